"""Actor search in every spelling the lexicon knows (普丁, 蒲亭 → 普京), over the events a filter selects.

Used by the actor list of :mod:`magpie.web.queries` and by the analysts' pages; it imports neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..normalise import _converter, to_simplified
from ..store import query

# OpenCC conversions an actor search tries besides Traditional -> Simplified: Taiwan and Hong Kong forms with
# their phrases (tw2sp), and Simplified -> Traditional for names stored as written
SCRIPT_CONFIGS = ("tw2sp", "hk2s", "s2t")


# -- actor search ---------------------------------------------------------------------------------------------

def spellings(value: str) -> tuple[set[str], set[str], set[str]]:
    """Every form of an actor name the search tests: (names, actor codes, countries).

    The name as typed, in Simplified and Traditional script (OpenCC), and every canonical name the lexicon
    gives any of these forms (普丁, 蒲亭, 弗拉迪米爾·普丁 → 普京; 川普 → 特朗普); the actor codes of
    organisations and the countries the lexicon gives them (聯合國 → IGOUNO, 俄羅斯 → RUS).
    """
    value = value.strip()
    forms = {value, to_simplified(value)} | {_converter(config).convert(value) for config in SCRIPT_CONFIGS}
    forms.discard("")
    names, codes, countries = set(forms), set(), set()
    for form in forms:
        more_names, more_codes, more_countries = query._lexicon_names(form)
        names |= more_names
        codes |= more_codes
        countries |= more_countries
    return names, codes, countries


def actor_codes_named(store: Any, where: str, params: Sequence[Any], q: str) -> set[str]:
    """Actor codes of the events matching ``where`` that ``q`` finds: a code prefix (RUS, rusgov), or a name in
    any spelling (:func:`spellings`) contained in one of the code's canonical names or mention texts, or a
    country or organisation the lexicon gives the name."""
    needle = q.strip()
    if not needle:
        return set()
    names, codes, countries = spellings(needle)
    found: set[str] = set()
    if needle.isascii():
        upper = needle.upper()
        found |= {c for c in _codes(store, where, params) if c.startswith(upper)}
    for code, country, name, text in _named(store, where, params):
        if code in codes or country in countries or \
                any(n in (name or "") or n in (text or "") for n in names):
            found.add(code)
    return found


def _codes(store: Any, where: str, params: Sequence[Any]) -> list[str]:
    return store._cached(("analyst-codes", where, tuple(params)), lambda: [r[0] for r in store._rows(
        f"SELECT e.source_code FROM events e{where} UNION SELECT e.target_code FROM events e{where}",
        [*params, *params]) if r[0] is not None])


def _named(store: Any, where: str, params: Sequence[Any]) -> list[tuple[str, str | None, str | None,
                                                                               str | None]]:
    """Distinct (code, country, canonical name, mention text in Simplified) of both sides of the events."""
    def compute() -> list[tuple[str, str | None, str | None, str | None]]:
        rows = store._rows(
            f"SELECT e.source_code, e.source_country, e.source_name, de.source_text FROM events e "
            f"LEFT JOIN doc_events de ON de.event_key = e.event_key{where} UNION "
            f"SELECT e.target_code, e.target_country, e.target_name, de.target_text FROM events e "
            f"LEFT JOIN doc_events de ON de.event_key = e.event_key{where}", [*params, *params])
        return [(code, country, name, to_simplified(text) if text else None)
                for code, country, name, text in rows if code is not None]

    return store._cached(("analyst-named", where, tuple(params)), compute)
