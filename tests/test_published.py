"""Which publication date wins: the input's field > --published > the page's metadata > inferred from the text."""

from __future__ import annotations

import json
from pathlib import Path

from magpie.cli import main
from magpie.document import Document
from magpie.read import read_inputs

from .conftest import SEED


def _seed_html(path: Path, meta_date: str | None = None) -> Path:
    paragraphs = SEED.read_text(encoding="utf-8").split("\n\n")
    meta = f"<meta property='article:published_time' content='{meta_date}'>" if meta_date else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    path.write_text(f"<html><head><title>普京</title>{meta}</head><body><article>{body}</article></body></html>",
                    encoding="utf-8")
    return path


def _code(args: list[str], tmp_path: Path, capsys) -> tuple[list[dict], dict]:
    out, docs = tmp_path / "events.jsonl", tmp_path / "docs.jsonl"
    main(["code", *args, "-o", str(out), "--documents", str(docs), "-q"])
    capsys.readouterr()
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    (doc,) = [json.loads(line) for line in docs.read_text(encoding="utf-8").splitlines()]
    return events, doc


def test_published_option_beats_a_date_guessed_from_the_html(tmp_path, capsys) -> None:
    # trafilatura's text search guessed 2015-01-01 for this page, which dated the calls 2014-12-21
    page = _seed_html(tmp_path / "page.html")
    events, doc = _code([str(page), "--published", "2017-11-22"], tmp_path, capsys)
    assert doc["published"] == "2017-11-22" and doc["published_from"] == "option" and not doc["published_inferred"]
    calls = [e for e in events if e["code"] == "041"]
    assert calls and {e["date"] for e in calls} == {"2017-11-21"}
    assert not any(e["date_inferred"] for e in calls)


def test_published_option_beats_html_metadata(tmp_path, capsys) -> None:
    page = _seed_html(tmp_path / "page.html", meta_date="2017-11-25")
    _, doc = _code([str(page), "--published", "2017-11-22"], tmp_path, capsys)
    assert doc["published"] == "2017-11-22" and doc["published_from"] == "option"


def test_html_metadata_is_used_and_marked_when_no_date_is_given(tmp_path, capsys) -> None:
    page = _seed_html(tmp_path / "page.html", meta_date="2017-11-22")
    events, doc = _code([str(page)], tmp_path, capsys)
    assert doc["published"] == "2017-11-22" and doc["published_from"] == "metadata" and doc["published_inferred"]
    calls = [e for e in events if e["code"] == "041"]
    assert {e["date"] for e in calls} == {"2017-11-21"} and all(e["date_inferred"] for e in calls)


def test_html_without_metadata_date_infers_from_the_text(tmp_path, capsys) -> None:
    page = _seed_html(tmp_path / "page.html")
    (doc,) = list(read_inputs([page]))
    assert isinstance(doc, Document) and doc.published is None and doc.metadata_published is None
    _, report = _code([str(page)], tmp_path, capsys)
    assert report["published"] == "2017-11-22" and report["published_from"] == "text" and report["published_inferred"]


def test_input_field_beats_published_option(tmp_path, capsys) -> None:
    docs = tmp_path / "in.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": "俄罗斯总统普京21日与埃及总统塞西通了电话。",
                                "published": "2017-11-22"}, ensure_ascii=False) + "\n", encoding="utf-8")
    events, doc = _code([str(docs), "--published", "2018-03-05"], tmp_path, capsys)
    assert doc["published"] == "2017-11-22" and doc["published_from"] == "input"
    assert events[0]["date"] == "2017-11-21"
