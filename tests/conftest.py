from __future__ import annotations

from pathlib import Path

import pytest

from magpie.document import Document
from magpie.lexicon import default_lexicon
from magpie.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_ec79773fa7d8658e.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def lexicon():
    return default_lexicon()


@pytest.fixture(scope="session")
def pipeline(lexicon):
    return Pipeline(lexicon=lexicon)


@pytest.fixture(scope="session")
def seed_doc(pipeline):
    return pipeline(Document(id="000_ec79773fa7d8658e", text=SEED.read_text(encoding="utf-8")))


def coded(pipeline: Pipeline, text: str, published: str | None = "2017-11-22", **kw) -> Document:
    return pipeline(Document(id=kw.pop("doc_id", "t"), text=text, published=published, **kw))


def triples(doc: Document) -> set[tuple[str | None, str, str | None, str | None]]:
    return {(e.source.code, e.code, e.target.code if e.target else None, e.date) for e in doc.events}
