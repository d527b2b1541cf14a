import json
from pathlib import Path

import jsonschema

from magpie import code_documents, read_inputs
from magpie.write import records

from .conftest import ROOT

SCHEMA = json.loads((ROOT / "src" / "magpie" / "schema" / "event.schema.json").read_text(encoding="utf-8"))


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_record_on_the_examples_validates(lexicon):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    count = 0
    for doc in code_documents(read_inputs([ROOT / "examples"])):
        for record in records(doc, lexicon):
            errors = sorted(validator.iter_errors(record), key=str)
            assert not errors, (record["event_id"], [e.message for e in errors])
            count += 1
    assert count >= 10


def test_readme_documents_every_field():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in SCHEMA["properties"]:
        assert f"`{field}`" in readme, field
    assert Path(ROOT / "docs" / "lexicon-format.md").exists()
