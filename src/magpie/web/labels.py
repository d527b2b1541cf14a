"""Bilingual labels for the web application: CAMEO roots, QuadClasses, countries and CAMEO code names."""

from __future__ import annotations

from functools import cache
from typing import Any

# CAMEO roots: Chinese, English (the codebook's root names)
ROOTS: dict[str, tuple[str, str]] = {
    "01": ("公开声明", "Make public statement"),
    "02": ("呼吁", "Appeal"),
    "03": ("表达合作意向", "Express intent to cooperate"),
    "04": ("磋商", "Consult"),
    "05": ("外交合作", "Engage in diplomatic cooperation"),
    "06": ("物质合作", "Engage in material cooperation"),
    "07": ("提供援助", "Provide aid"),
    "08": ("让步", "Yield"),
    "09": ("调查", "Investigate"),
    "10": ("要求", "Demand"),
    "11": ("表示不满", "Disapprove"),
    "12": ("拒绝", "Reject"),
    "13": ("威胁", "Threaten"),
    "14": ("抗议", "Protest"),
    "15": ("展示武力", "Exhibit force posture"),
    "16": ("降低关系", "Reduce relations"),
    "17": ("胁迫", "Coerce"),
    "18": ("攻击", "Assault"),
    "19": ("战斗", "Fight"),
    "20": ("大规模暴力", "Use unconventional mass violence"),
}

QUADS: dict[str, tuple[str, str]] = {
    "1": ("言语合作", "Verbal cooperation"),
    "2": ("物质合作", "Material cooperation"),
    "3": ("言语冲突", "Verbal conflict"),
    "4": ("物质冲突", "Material conflict"),
}


@cache
def meta() -> dict[str, Any]:
    """Everything the pages label with: roots, QuadClasses, CAMEO code names, country names."""
    from ..lexicon import default_lexicon

    lexicon = default_lexicon()
    return {
        "roots": {code: {"zh": zh, "en": en} for code, (zh, en) in ROOTS.items()},
        "quads": {code: {"zh": zh, "en": en} for code, (zh, en) in QUADS.items()},
        "codes": {code: {"name": info.name, "goldstein": info.goldstein, "quad_class": info.quad_class}
                  for code, info in sorted(lexicon.cameo.items())},
        "countries": {code: {"zh": country.names[0] if country.names else code, "en": country.en}
                      for code, country in sorted(lexicon.countries.items())},
    }
