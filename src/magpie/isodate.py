"""Dates given by users (options, query parameters, JSONL fields): ISO 8601 with ASCII digits, real days only.

``\\d`` in a Python pattern matches every Unicode digit (full-width ２０１７, Arabic-Indic ٢٠١٧), and a
pattern alone accepts 2017-13-45; these checks accept neither.
"""

from __future__ import annotations

import datetime as dt
import re

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PARTIAL = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def is_day(value: object) -> bool:
    """``value`` is a real calendar day written YYYY-MM-DD in ASCII digits (2017-02-28; not 2017-02-30)."""
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date(value: object) -> bool:
    """``value`` is a real YYYY-MM-DD day, a YYYY-MM month or a YYYY year, in ASCII digits (year 0001 on)."""
    if not isinstance(value, str) or not _PARTIAL.fullmatch(value):
        return False
    if len(value) == 10:
        return is_day(value)
    if len(value) == 7:
        return "01" <= value[5:7] <= "12" and value[:4] != "0000"
    return value != "0000"
