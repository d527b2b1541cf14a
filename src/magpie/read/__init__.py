"""Readers: files, folders and standard input in, Documents (or Rejects with a reason) out.

Formats: ``.txt`` (one article per file), ``.jsonl`` (one document per line), ``.html``/``.htm``
(main text extracted with trafilatura). Encodings: UTF-8 (with or without BOM), UTF-16, UTF-32
with a BOM, GB18030/GBK and Big5 are detected.

Every source has the same cap: one document (a ``.txt``/``.html`` file, one JSONL line) is at most
:data:`MAX_BYTES`, whether it comes from a file, a device (``/dev/zero``), a FIFO or standard input;
no more than that is ever read into memory for it. A JSONL file or stream may be any length.

Folders are walked in name order. What a walk leaves out is reported through ``on_skip(path,
reason)``: hidden names, files of other kinds, FIFOs, sockets and devices, broken links, and
symbolic links that lead out of the folder named (followed only with ``follow_symlinks=True``); a
folder that cannot be read is a Reject.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..document import Document, Reject
from ..isodate import is_day
from .encoding import decode
from .skipped import skip_reason, unsupported_reason

SUFFIXES = {".txt": "txt", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # the form only: magpie.isodate.is_day checks the day
_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON may spell one (\\ud800); UTF-8 and SQLite cannot hold it
MAX_BYTES = 50 * 1024 * 1024  # one document (a file, a JSONL line), from any source; larger: rejected with a reason
_PIECE = 1 << 20  # bytes read at a time while skipping the rest of an over-long line

OnSkip = Callable[[str, str], None]  # (path, reason): something a folder walk left out


def read_inputs(
    inputs: Iterable[str | Path], published: str | None = None, stdin: BinaryIO | None = None, *,
    follow_symlinks: bool = False, on_skip: OnSkip | None = None,
) -> Iterator[Document | Reject]:
    """Yield a Document for every article in ``inputs`` (files, folders or ``-``), else a Reject.

    ``follow_symlinks``: in folders, follow symbolic links that lead outside the folder named too
    (inside it they are always followed). ``on_skip(path, reason)`` hears of every path a folder
    walk leaves out (the CLI prints them).
    """
    for item in inputs:
        if str(item) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _with_default_date(read_jsonl_lines(stream, "<stdin>"), published)
            continue
        path = Path(item)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError as error:
            if path.is_symlink():
                yield Reject(str(path), f"broken symbolic link (to {os.readlink(path)})")
            elif isinstance(error, FileNotFoundError):
                yield Reject(str(path), "no such file or folder")
            else:
                yield Reject(str(path), f"cannot read: {error.strerror}")
            continue
        if is_dir:
            for found in input_files(path, follow_symlinks=follow_symlinks, on_skip=on_skip):
                if isinstance(found, Reject):
                    yield found
                else:
                    yield from _with_default_date(read_file(found), published)
        else:  # a file, or a device or FIFO named on purpose: read with the same cap
            yield from _with_default_date(read_file(path), published)


def input_files(root: Path, *, follow_symlinks: bool = False,
                on_skip: OnSkip | None = None) -> Iterator[Path | Reject]:
    """The files to read under the folder ``root`` in name order (a Reject for a folder that cannot be read).

    Symbolic links are followed when they lead inside ``root`` (or always, with ``follow_symlinks``);
    a file reached twice (links, hard links) is read once; every other path left out is reported to
    ``on_skip``.
    """
    base = root.resolve()
    top = root.stat()
    seen_dirs = {(top.st_dev, top.st_ino)}
    seen_files: set[tuple[int, int]] = set()

    def skip(path: Path, reason: str) -> None:
        if on_skip is not None:
            on_skip(str(path), reason)

    def walk(folder: Path) -> Iterator[Path | Reject]:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            yield Reject(str(folder), f"cannot read the folder: {error.strerror}")
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                skip(path, "hidden (the name starts with a dot)")
                continue
            try:
                info = entry.stat()  # through a link to what it leads to
                real = path.resolve(strict=True) if entry.is_symlink() and not follow_symlinks else None
            except (OSError, RuntimeError):
                skip(path, "broken symbolic link" if entry.is_symlink() else "cannot be read")
                continue
            if real is not None and not real.is_relative_to(base):
                skip(path, f"symbolic link to {real}, outside {root}: not followed (--follow-symlinks follows it)")
                continue
            key = (info.st_dev, info.st_ino)
            if stat.S_ISDIR(info.st_mode):
                if key in seen_dirs:
                    skip(path, "a folder already read (a link back into the tree)")
                    continue
                seen_dirs.add(key)
                yield from walk(path)
            elif not stat.S_ISREG(info.st_mode):
                skip(path, "not a regular file (a FIFO, socket or device)")
            elif path.suffix.lower() not in SUFFIXES:
                skip(path, skip_reason(path, SUFFIXES))
            elif key in seen_files:
                skip(path, "the same file as one read before (through a link or a hard link)")
            else:
                seen_files.add(key)
                yield path

    yield from walk(root)


def _with_default_date(items: Iterator[Document | Reject], published: str | None) -> Iterator[Document | Reject]:
    for item in items:
        if isinstance(item, Document) and not item.published and published:
            item.published, item.published_from = published, "option"
        yield item


def _over(origin: str, size: str, line: int | None = None) -> Reject:
    return Reject(origin, f"{size}, over the {MAX_BYTES // 2**20} MiB limit for one document: split it", line)


def read_file(path: Path) -> Iterator[Document | Reject]:
    """Read one file by its extension (unknown extensions are read as plain text).

    Devices and FIFOs are read like files, never more than :data:`MAX_BYTES` for one document (a FIFO
    waits for a writer, as ``cat`` does)."""
    kind = SUFFIXES.get(path.suffix.lower(), "txt")
    unsupported = unsupported_reason(path)
    if unsupported:  # a .docx, .pdf … would otherwise be refused as "binary data"
        yield Reject(str(path), unsupported)
        return
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if kind == "jsonl":
                yield from read_jsonl_lines(handle, str(path))
                return
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
                yield _over(str(path), f"file is {info.st_size / 1e6:,.0f} MB")
                return
            data = handle.read(MAX_BYTES + 1)  # a device or FIFO has no size: read no more than the cap
            if len(data) > MAX_BYTES:
                yield _over(str(path), f"more than {MAX_BYTES // 2**20} MiB")
                return
    except OSError as error:
        yield Reject(str(path), f"cannot read: {error.strerror or error}")
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
        metadata_published=date if is_day(date) else None,
        source=getattr(result, "sitename", None) or None,
        url=getattr(result, "url", None) or None,
        origin=str(path),
    )


def read_jsonl_lines(stream: BinaryIO, origin: str) -> Iterator[Document | Reject]:
    """One document per line: ``id``, ``text``, optional ``title``, ``published``, ``source``, ``url``.

    A line over :data:`MAX_BYTES` is rejected without holding more than that in memory; a stream that
    turns out to be binary data within such a line (``/dev/zero``) is not read further."""
    number = 0
    while raw := stream.readline(MAX_BYTES + 1):
        number += 1
        if len(raw) > MAX_BYTES and not raw.endswith(b"\n"):
            if b"\x00" in raw[:4096]:  # no JSON text line holds a NUL byte: binary data, perhaps endless
                yield Reject(origin, f"binary data (NUL bytes) and no line break in {MAX_BYTES // 2**20} MiB, not JSON "
                             f"lines: the rest of {origin} is not read", number)
                return
            size = len(raw) + _skip_line(stream)
            yield _over(origin, f"line is {size / 1e6:,.0f} MB", number)
            continue
        if not raw.strip():
            continue
        text, problem = decode(raw)
        if text is None:
            yield Reject(origin, problem or "cannot decode the line", number)
            continue
        yield document_from_json(text, origin, number)


def _skip_line(stream: BinaryIO) -> int:
    """Read to the end of the current line in pieces (never holding it); return the bytes skipped."""
    skipped = 0
    while piece := stream.readline(_PIECE):
        skipped += len(piece)
        if piece.endswith(b"\n"):
            break
    return skipped


def document_from_json(text: str, origin: str, number: int) -> Document | Reject:
    """One JSONL line (decoded): a Document, or a Reject for any line that is not one (never an exception)."""
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
