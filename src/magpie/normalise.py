"""Script normalisation: a Simplified view of the text with the same length and offsets."""

from __future__ import annotations

from functools import cache

import opencc

# Length-preserving character folds applied to the view (never to the original text).
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits
        "・": "·", "•": "·", "‧": "·", "∙": "·", "･": "·", "‐": "-",
        "「": "“", "」": "”", "『": "‘", "』": "’", "\u3000": " ", "\xa0": " ",
    }
)


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Convert to Simplified script, guaranteeing the result has exactly the same length.

    OpenCC ``t2s`` is length-preserving in practice; where a phrase rule would change the length,
    that stretch is converted character by character instead.
    """
    if not text:
        return text
    convert = _converter("t2s").convert
    out = convert(text)
    if len(out) == len(text):
        return out
    parts = []
    for line in text.split("\n"):
        converted = convert(line)
        if len(converted) != len(line):
            converted = "".join(c2 if len(c2 := convert(c)) == 1 else c for c in line)
        parts.append(converted)
    return "\n".join(parts)


def simplified_view(text: str) -> str:
    """The text in Simplified script with punctuation variants folded; offsets unchanged."""
    return to_simplified(text).translate(_FOLD)


def detect_script(text: str, simplified: str | None = None) -> str:
    """``hant``, ``hans``, ``mixed`` or ``none`` (no Han characters)."""
    simplified = to_simplified(text) if simplified is None else simplified
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    if not han:
        return "none"
    traditional = sum(1 for a, b in zip(text, simplified, strict=True) if a != b and "\u4e00" <= a <= "\u9fff")
    to_trad = _converter("s2t").convert(text)
    simplified_only = sum(1 for a, b in zip(text, to_trad, strict=False) if a != b and "\u4e00" <= a <= "\u9fff")
    if traditional and traditional >= 3 * simplified_only:
        return "hant"
    if simplified_only and simplified_only >= 3 * traditional:
        return "hans"
    if not traditional and not simplified_only:
        return "hans"  # characters common to both scripts
    return "mixed"
