"""English names for actors and places, from the lexicons' ``en`` column (for exports and the web UI).

Magpie's canonical names are Chinese (普京, 联合国, 索契); analysts who do not read Chinese get the
lexicon's English beside them: a person's ``en`` (Vladimir Putin), an organisation's (United Nations), a
place's (Sochi), a country's (Russia). A name the lexicon does not know (an official found from a title,
俄羅斯總統網站) gets the English name of its actor's country and its role code (Russia GOV) when there is one.
"""

from __future__ import annotations

from functools import cache, lru_cache

from .lexicon import DATA_DIR, _rows, _split
from .normalise import to_simplified

# file prefix, in the order a name's English is looked for (a person before a place of the same name)
_FILES = ("countries", "organisations", "people", "places")


@cache
def _names() -> tuple[dict[str, str], dict[str, str]]:
    """(name → English, country code → English) from the bundled lexicon files, read directly: an export needs
    these few columns, not the coder's whole lexicon (about a second to build)."""
    names: dict[str, str] = {}
    countries: dict[str, str] = {}
    for prefix in _FILES:
        for path in sorted(DATA_DIR.glob(f"{prefix}*.tsv")):
            for _, row in _rows(path, ("code", "names") if prefix == "countries" else ("names",)):
                english = row.get("en", "").strip()
                if not english:
                    continue
                if prefix == "countries":
                    countries.setdefault(row.get("code", ""), english)
                for name in _split(row.get("names", "")):
                    names.setdefault(name, english)
    return names, countries


@lru_cache(maxsize=65536)
def english_name(name: str | None, country: str | None = None, role: str | None = None) -> str | None:
    """The English for a canonical actor or place name; else ``<country in English> <role>``; else None."""
    names, countries = _names()
    if name:
        english = names.get(name) or names.get(to_simplified(name))
        if english:
            return english
    known = countries.get(country) if country else None
    if known:
        return f"{known} {role}" if role else known
    return None
