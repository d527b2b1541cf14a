"""A readable table of events for a terminal."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int) -> str:
    out, used = "", 0
    for c in text:
        w = _width(c)
        if used + w > width:
            out = out[:-1] + "…" if out else ""
            used = _width(out)
            break
        out += c
        used += w
    return out + " " * (width - used)


COLUMNS = (("date", 11), ("source", 22), ("code", 5), ("target", 22), ("place", 8), ("evidence", 46))


def format_table(rows: Iterable[dict[str, Any]]) -> str:
    lines = ["  ".join(_cell(name.upper(), w) for name, w in COLUMNS)]
    for r in rows:
        def actor(a: dict[str, Any] | None) -> str:
            return "—" if a is None else f"{a['code'] or '?'} {a['text']}"
        trigger = r["evidence"]["trigger"]["text"]
        values = {
            "date": (r["date"] or "?") + ("*" if r["date_inferred"] else ""),
            "source": actor(r["source"]),
            "code": r["code"] + ("p" if r["planned"] else ""),
            "target": actor(r["target"]),
            "place": (r["place"] or {}).get("name") or "",
            "evidence": f"[{trigger}] " + r["evidence"]["sentence"].replace("\n", " "),
        }
        lines.append("  ".join(_cell(values[name], w) for name, w in COLUMNS).rstrip())
    return "\n".join(lines)
