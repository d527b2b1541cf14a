"""Files in input folders that the readers pass over, and why (the CLI says so on stderr).

A folder is read for ``.txt``, ``.jsonl``, ``.html`` and ``.htm`` files; hidden files and folders are
passed over silently, everything else is listed here with the reason, so that a folder of Word files
does not look like a folder of articles with no events.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

UNSUPPORTED = {  # suffix → what it is; given by name such a file is rejected with this reason, in a folder skipped
    ".docx": "a Word document", ".doc": "a Word document", ".odt": "an OpenDocument text", ".rtf": "a rich-text file",
    ".pdf": "a PDF", ".xlsx": "a spreadsheet", ".xls": "a spreadsheet", ".pptx": "a presentation",
    ".epub": "an e-book",
}
CONVERT = "save it as plain text (.txt) or HTML, or put its text in a JSONL line"


def unsupported_reason(path: Path) -> str | None:
    """Why a file of a format Magpie cannot read is refused (None when its format is one Magpie reads as text)."""
    what = UNSUPPORTED.get(path.suffix.lower())
    return f"{what} ({path.suffix}) is not read: {CONVERT}" if what else None


def skipped_files(inputs: Iterable[str | Path], suffixes: Iterable[str]) -> Iterator[tuple[Path, str]]:
    """(file, reason) for every file in the input folders that is not read, hidden files excepted."""
    known = set(suffixes)
    for item in inputs:
        if str(item) == "-":
            continue
        folder = Path(item)
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
                continue
            suffix = path.suffix.lower()
            if suffix in known:
                continue
            if suffix in UNSUPPORTED:
                yield path, f"{UNSUPPORTED[suffix]} ({path.suffix}) is not read: {CONVERT}"
            elif suffix == ".md":
                yield path, "Markdown is not read from a folder: name the file to read it as text, or rename it .txt"
            else:
                yield path, f"not a {', '.join(sorted(known))} file (give it by name to read it as text)"


def skip_messages(inputs: Iterable[str | Path], suffixes: Iterable[str], limit: int = 20) -> list[str]:
    """What the CLI says about the input folders: each file passed over and why (the first ``limit``), and each
    folder with nothing to read."""
    known = sorted(set(suffixes))
    found = list(skipped_files(inputs, known))
    lines = [f"skipped {path}: {reason}" for path, reason in found[:limit]]
    if len(found) > limit:
        lines.append(f"skipped {len(found) - limit:,} more files of formats Magpie does not read")
    for item in inputs:
        folder = Path(item) if str(item) != "-" else None
        if folder is not None and folder.is_dir() and not any(
                p.is_file() and p.suffix.lower() in known
                and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                for p in folder.rglob("*")):
            lines.append(f"{folder}: no {', '.join(known)} files in this folder")
    return lines
