"""Readers: files, folders and standard input in, Documents (or Rejects with a reason) out.

Formats: ``.txt`` (one article per file), ``.jsonl`` (one document per line), ``.html``/``.htm``
(main text extracted with trafilatura). Encodings: UTF-8 (with or without BOM), UTF-16,
GB18030/GBK and Big5 are detected.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..document import Document, Reject
from ..isodate import is_day
from .encoding import decode

SUFFIXES = {".txt": "txt", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # the form only: magpie.isodate.is_day checks the day
_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON may spell one (\\ud800); UTF-8 and SQLite cannot hold it
MAX_BYTES = 50 * 1024 * 1024  # one input file; larger files are rejected with a reason


def read_inputs(
    inputs: Iterable[str | Path], published: str | None = None, stdin: BinaryIO | None = None
) -> Iterator[Document | Reject]:
    """Yield a Document for every article in ``inputs`` (files, folders or ``-``), else a Reject."""
    for item in inputs:
        if str(item) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _with_default_date(read_jsonl_lines(stream, "<stdin>"), published)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            for file in files:
                yield from _with_default_date(read_file(file), published)
        elif path.exists():
            yield from _with_default_date(read_file(path), published)
        else:
            yield Reject(str(path), "no such file or folder")


def _with_default_date(items: Iterator[Document | Reject], published: str | None) -> Iterator[Document | Reject]:
    for item in items:
        if isinstance(item, Document) and not item.published and published:
            item.published = published
        yield item


def read_file(path: Path) -> Iterator[Document | Reject]:
    """Read one file by its extension (unknown extensions are read as plain text)."""
    kind = SUFFIXES.get(path.suffix.lower(), "txt")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield Reject(str(path), f"file is {size / 1e6:.0f} MB, over the {MAX_BYTES // 2**20} MiB limit: split it")
            return
        if kind == "jsonl":
            with open(path, "rb") as handle:
                yield from read_jsonl_lines(handle, str(path))
            return
        data = path.read_bytes()
    except OSError as error:
        yield Reject(str(path), f"cannot read: {error.strerror}")
        return
    text, problem = decode(data)
    if text is None:
        yield Reject(str(path), problem or "cannot decode")
        return
    if not text.strip():
        yield Reject(str(path), "empty file")
        return
    if kind == "html":
        yield from _from_html(text, path)
        return
    yield Document(id=path.stem, text=text, origin=str(path))


def _from_html(html: str, path: Path) -> Iterator[Document | Reject]:
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                         include_tables=False, favor_precision=True)
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        yield Reject(str(path), "no article text found in the HTML")
        return
    date = getattr(result, "date", None)
    yield Document(
        id=path.stem,
        text=text,
        title=getattr(result, "title", None) or None,
        published=date if is_day(date) else None,
        source=getattr(result, "sitename", None) or None,
        url=getattr(result, "url", None) or None,
        origin=str(path),
    )


def read_jsonl_lines(stream: BinaryIO, origin: str) -> Iterator[Document | Reject]:
    """One document per line: ``id``, ``text``, optional ``title``, ``published``, ``source``, ``url``."""
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        text, problem = decode(raw)
        if text is None:
            yield Reject(origin, problem or "cannot decode the line", number)
            continue
        yield _from_line(text, origin, number)


def _from_line(text: str, origin: str, number: int) -> Document | Reject:
    """One JSONL line: a Document, or a Reject for any line that is not one (never an exception)."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return Reject(origin, f"not valid JSON ({error.msg} at column {error.colno})", number)
    except RecursionError:
        return Reject(origin, "not valid JSON for Magpie (arrays or objects nested too deeply)", number)
    except ValueError as error:  # an integer of more than sys.get_int_max_str_digits() digits
        digits = "4,300" if sys.get_int_max_str_digits() == 4300 else f"{sys.get_int_max_str_digits():,}"
        reason = f"a number with more than {digits} digits" if "digits" in str(error) else str(error)
        return Reject(origin, f"not valid JSON for Magpie ({reason})", number)
    try:
        return document_from_record(record, origin, number)
    except Exception as error:  # a record no check foresaw: still one reject, never the end of the run
        return Reject(origin, f"cannot read the record ({type(error).__name__}: {error}); please report it", number)


def document_from_record(record: object, origin: str, line: int | None = None) -> Document | Reject:
    """Validate one JSON record and make it a Document (or a Reject saying what is wrong)."""
    if not isinstance(record, dict):
        return Reject(origin, "a JSONL line must be an object with 'id' and 'text'", line)
    text = record.get("text")
    if not isinstance(text, str):
        return Reject(origin, "field 'text' is missing or not a string", line)
    if not text.strip():
        return Reject(origin, "field 'text' is empty", line)
    doc_id = record.get("id")
    if doc_id is None:
        doc_id = f"{Path(origin).stem}-{line}" if line is not None else Path(origin).stem
    published = record.get("published")
    if published is not None and (not isinstance(published, str) or not is_day(published[:10])):
        return Reject(origin, f"field 'published' is {_shown(published)}: expected YYYY-MM-DD (a real day, ASCII "
                      f"digits) or null", line)
    for name in ("id", "text", "title", "source", "url", "published"):
        value = record.get(name)
        if isinstance(value, str) and (bad := _SURROGATE.search(value)):
            return Reject(origin, f"field {name!r} holds a lone surrogate ({bad.group()!a} at character "
                          f"{bad.start():,}), which is not Unicode text: fix the program that wrote the line", line)
    where = f"{origin}:{line}" if line is not None else origin

    def optional(name: str) -> str | None:
        value = record.get(name)
        return str(value) if value not in (None, "") else None

    return Document(
        id=str(doc_id),
        text=text,
        title=optional("title"),
        published=published[:10] if published else None,
        source=optional("source"),
        url=optional("url"),
        origin=where,
    )


def _shown(value: object, limit: int = 40) -> str:
    """``repr`` of a field's value, cut short (a hostile line may hold megabytes)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
