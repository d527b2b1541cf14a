"""Script normalisation: a Simplified view of the text with the same length and offsets."""

from __future__ import annotations

import re
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


SCRIPT_SAMPLE = 2000  # characters read to tell the script
_HAN = re.compile("[\u4e00-\u9fff]")


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


def fold(text: str) -> str:
    """Fold full-width digits, middle-dot and quote variants (length-preserving)."""
    return text.translate(_FOLD)


def simplified_view(text: str) -> str:
    """The text in Simplified script with punctuation variants folded; offsets unchanged."""
    return fold(to_simplified(text))


@cache
def _script_table() -> dict[int, str]:
    """A translation table marking Traditional-only characters \x01 and Simplified-only ones \x02 (by OpenCC,
    over the CJK Unified Ideographs block), so counting them runs at C speed."""
    t2s, s2t = _converter("t2s").convert, _converter("s2t").convert
    block = "".join(chr(code) for code in range(0x4E00, 0xA000))
    table: dict[int, str] = {}
    for char, simple, traditional in zip(block, t2s(block), s2t(block), strict=False):
        if simple != char:
            table[ord(char)] = "\x01"
        elif traditional != char:
            table[ord(char)] = "\x02"
    return table


def detect_script(text: str, simplified: str | None = None) -> str:
    """``hant``, ``hans``, ``mixed`` or ``none`` (no Han characters), from a sample of the text."""
    text = text[:SCRIPT_SAMPLE]
    if not _HAN.search(text):
        return "none"
    marked = text.translate(_script_table())
    traditional, simple = marked.count("\x01"), marked.count("\x02")
    if traditional and traditional >= 3 * simple:
        return "hant"
    if simple and simple >= 3 * traditional:
        return "hans"
    if not traditional and not simple:
        return "hans"  # characters common to both scripts
    return "mixed"
