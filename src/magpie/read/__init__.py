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
from .encoding import decode
from .skipped import unsupported_reason

SUFFIXES = {".txt": "txt", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
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
            item.published, item.published_from = published, "option"
        yield item


def read_file(path: Path) -> Iterator[Document | Reject]:
    """Read one file by its extension (unknown extensions are read as plain text)."""
    kind = SUFFIXES.get(path.suffix.lower(), "txt")
    unsupported = unsupported_reason(path)
    if unsupported:  # a .docx, .pdf … would otherwise be refused as "binary data"
        yield Reject(str(path), unsupported)
        return
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
    try:
        import trafilatura  # imported lazily: it is slow to import and only HTML needs it
    except ImportError:
        from ..extras import MissingExtraError

        yield Reject(str(path), str(MissingExtraError("html", "trafilatura")))
        return

    # extensive_search=False: a date from the page's metadata only, never one guessed from its text (the
    # coder infers dates from the text itself, and --published must win over a metadata date)
    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                         include_tables=False, favor_precision=True,
                                         date_extraction_params={"extensive_search": False, "original_date": True})
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        yield Reject(str(path), "no article text found in the HTML")
        return
    date = getattr(result, "date", None)
    yield Document(
        id=path.stem,
        text=text,
        title=getattr(result, "title", None) or None,
        metadata_published=date if date and DATE_RE.match(date) else None,
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
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            yield Reject(origin, f"not valid JSON ({error.msg} at column {error.colno})", number)
            continue
        yield document_from_record(record, origin, number)


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
    if published is not None and (not isinstance(published, str) or not DATE_RE.match(published[:10])):
        return Reject(origin, f"field 'published' is {published!r}: expected YYYY-MM-DD or null", line)
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
