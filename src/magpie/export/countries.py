"""Country codes in exports: ISO 3166 alpha-3 (as Magpie stores them) or CAMEO's (GDELT's and ICEWS's lookups).

The CAMEO country lookup uses ISO alpha-3 except for a few codes it kept or made its own: ROM
(Romania, ISO ROU), MTN (Montenegro, MNE), TMP (Timor-Leste, TLS), IMY (Isle of Man, IMN). The
differences are the data file ``data/cameo_countries.tsv``; :func:`to_cameo` rewrites an event
record's country codes, and the country part of its actor codes (ROUGOV → ROMGOV), with them.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ExportError

DATA = Path(__file__).resolve().parent / "data" / "cameo_countries.tsv"
HEADER = ("iso", "cameo", "en", "note")
CHOICES = ("cameo", "iso")
_CODE = re.compile(r"^[A-Z]{3}$")


def default_for(fmt: str) -> str:
    """``cameo`` for the GDELT tables (their lookups are CAMEO's), ``iso`` for the other formats."""
    return "cameo" if fmt in ("gdelt", "mentions") else "iso"


def load_table(path: Path = DATA) -> dict[str, str | None]:
    """ISO code → CAMEO code (None: CAMEO has none) from a ``cameo_countries.tsv`` file, validated."""
    table: dict[str, str | None] = {}
    cameo_seen: dict[str, str] = {}
    header: tuple[str, ...] | None = None
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = tuple(c.strip() for c in line.rstrip("\n").split("\t"))
            where = f"{path}:{number}"
            if header is None:
                if cells[: len(HEADER)] != HEADER:
                    raise ExportError(f"{where}: expected the header {' '.join(HEADER)} (tab-separated)")
                header = cells
                continue
            if len(cells) != len(header):
                raise ExportError(f"{where}: expected {len(header)} tab-separated cells, found {len(cells)}")
            iso, cameo = cells[0], cells[1]
            if not _CODE.match(iso):
                raise ExportError(f"{where}: iso {iso!r} is not three capital letters")
            if cameo != "-" and not _CODE.match(cameo):
                raise ExportError(f"{where}: cameo {cameo!r} is not three capital letters (or '-' for none)")
            if iso in table:
                raise ExportError(f"{where}: {iso} is listed twice")
            if cameo != "-":
                if cameo in cameo_seen:
                    raise ExportError(f"{where}: CAMEO code {cameo} is already given to {cameo_seen[cameo]}")
                cameo_seen[cameo] = iso
            table[iso] = None if cameo == "-" else cameo
    if header is None:
        raise ExportError(f"{path}: no header line")
    return table


@cache
def iso_to_cameo() -> dict[str, str]:
    """The ISO codes that CAMEO spells differently, and how it spells them."""
    return {iso: cameo for iso, cameo in load_table().items() if cameo}


def cameo_to_iso(code: str) -> str:
    """A country code given in CAMEO (a filter value such as ROM) as Magpie stores it (ROU)."""
    reverse = {cameo: iso for iso, cameo in iso_to_cameo().items()}
    return reverse.get(code.upper(), code)


def _country(code: str | None) -> str | None:
    return iso_to_cameo().get(code, code) if code else code


def _actor_code(code: str | None) -> str | None:
    if not code or len(code) < 3:
        return code
    mapped = iso_to_cameo().get(code[:3])
    return mapped + code[3:] if mapped else code


def to_cameo(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of a merged event record with CAMEO country codes (countries, actor codes and the place)."""
    table = iso_to_cameo()
    source, target, place = record.get("source") or {}, record.get("target") or {}, record.get("place") or {}
    if not any(code and code[:3] in table for code in (source.get("code"), source.get("country"), target.get("code"),
                                                        target.get("country"), place.get("country"))):
        return record  # nothing to rewrite (nearly every event)
    out = copy.copy(record)
    for side in ("source", "target"):
        actor = record.get(side)
        if actor:
            out[side] = {**actor, "code": _actor_code(actor.get("code")), "country": _country(actor.get("country"))}
    place = record.get("place")
    if place:
        out["place"] = {**place, "country": _country(place.get("country"))}
    return out
