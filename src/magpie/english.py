"""English names for actors and places, from the lexicons' ``en`` column (for exports and the web UI).

Magpie's canonical names are Chinese (普京, 联合国, 索契); analysts who do not read Chinese get the
lexicon's English beside them: a person's ``en`` (Vladimir Putin), an organisation's (United Nations), a
place's (Sochi), a country's (Russia). A name the lexicon does not know (an official found from a title,
俄羅斯總統網站) gets the English name of its actor's country and its role code (Russia GOV) when there is one.
"""

from __future__ import annotations

from functools import cache, lru_cache

from .lexicon import DATA_DIR, Lexicon, _rows, _split, default_lexicon
from .normalise import to_simplified


@cache
def _organisations() -> dict[str, str]:
    """Organisation name (Simplified) → English, from the bundled organisations*.tsv."""
    out: dict[str, str] = {}
    for path in sorted(DATA_DIR.glob("organisations*.tsv")):
        for _, row in _rows(path, ("names", "code", "en")):
            if row.get("en"):
                for name in _split(row.get("names", "")):
                    out.setdefault(to_simplified(name), row["en"])
    return out


def _lexicon_english(name: str, lexicon: Lexicon) -> str | None:
    key = to_simplified(name)
    for entity in lexicon.entities.get(key, ()):
        if entity.kind == "person" and entity.person is not None:
            english = next((r.en for r in entity.person.roles if r.en), None)
        elif entity.kind == "country" and entity.country in lexicon.countries:
            english = lexicon.countries[entity.country].en
        elif entity.kind == "place" and entity.place is not None:
            english = entity.place.en
        elif entity.kind == "organisation":
            english = _organisations().get(key)
        else:
            english = None
        if english:
            return english
    return None


@lru_cache(maxsize=65536)
def english_name(name: str | None, country: str | None = None, role: str | None = None) -> str | None:
    """The English for a canonical actor or place name; else ``<country in English> <role>``; else None."""
    lexicon = default_lexicon()
    if name:
        english = _lexicon_english(name, lexicon)
        if english:
            return english
    known = lexicon.countries.get(country) if country else None
    if known is not None and known.en:
        return f"{known.en} {role}" if role else known.en
    return None
