"""Cleaning: set aside scraper damage without touching the original text.

Site-name headers, photo captions and credits, and repeated blocks are recorded as ``Removed``
spans and blanked in the view; paragraphs broken mid-sentence are rejoined in the view. The
original ``text`` is never changed, so every offset still indexes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, Removed, Span
from ..normalise import detect_script, fold, to_simplified

SENTENCE_END = "。！？!?…”’」』）)；;"
SITE_SUFFIX = re.compile(r"(网|网站|新闻|新闻网|日报|时报|晚报|早报|报|社|电视台|频道|在线|周刊|资讯|之声|门户)$")
CAPTION = re.compile(
    r"^[\s(（\[【]*(资料图片|资料图|资料照片|档案照片|图片|图为|图：|图:|照片|摄影|视频截图|截图|图片来源|图源|配图|"
    r"点击图片|组图|高清图)"
)
CAPTION_TAIL = re.compile(
    r"(新华社发|新华社记者\S{0,8}摄|记者\S{0,8}摄|中新社发|法新社|路透社|美联社|供图|摄）|摄\)|图片来源[^。]*)\s*$"
)
CREDIT = re.compile(
    r"^[\s(（\[【]*(责任编辑|责编|编辑[：:]|来源[：:]|原标题[：:]|作者[：:]|本文来源|文章来源|稿源|"
    r"转载请注明|版权所有|声明[：:]|\(完\)|（完）|【完】|分享到|相关阅读|相关新闻|延伸阅读|扫描二维码)"
)
# 新华网平壤2月21日电 / 中新网2月23日电 / （记者 王小明）: the dateline names where the report was filed,
# not an actor; it is set aside (its date still informs the publication date).
DATELINE = re.compile(
    r"\s*[（(]?[\u4e00-\u9fff]{0,12}?(网|社|报|台|电视台|日报|新闻|讯)[\u4e00-\u9fff]{0,8}?"
    r"\d{1,2}月\d{1,2}日(电|讯|消息)\s*([（(][^）)]{0,20}[）)])?\s*"
)
# （中央社记者温贵香台北28日电） / （明报）: a bracketed credit line that opens a paragraph
BRACKET_DATELINE = re.compile(r"\s*[（(][^（()）]{0,30}?(?:电|专电|讯|报道)[）)]\s*")
KEY_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
MIN_REPEAT = 8  # characters: shorter paragraphs are compared exactly, never as substrings
SUBSTRING_LIMIT = 200_000  # documents longer than this get exact repeat detection only
MAX_SUBSTRING_PARAGRAPHS = 400


@dataclass(frozen=True)
class CleanOptions:
    detect_header: bool = True
    remove_captions: bool = True
    remove_repeats: bool = True
    join_broken: bool = True


class Clean:
    """Normalise to a Simplified view, then set aside headers, captions and repeats."""

    name = "clean"

    def __init__(self, options: CleanOptions | None = None) -> None:
        self.options = options or CleanOptions()

    def __call__(self, doc: Document) -> Document:
        simplified = to_simplified(doc.text)
        flat = fold(simplified)
        doc.script = detect_script(doc.text, simplified)
        paragraphs = _paragraphs(flat)
        kept: list[Span] = []
        removed: list[Removed] = []
        o = self.options
        header_done = not o.detect_header
        seen_exact: set[str] = set()
        seen_text: list[str] = []
        # substring repeats (a fragment of an earlier paragraph) cost time quadratic in the paragraphs: only for
        # documents of ordinary size; longer ones get exact repeat detection
        allow_substring = len(doc.text) <= SUBSTRING_LIMIT and len(paragraphs) <= MAX_SUBSTRING_PARAGRAPHS
        for index, para in enumerate(paragraphs):
            line = flat[para.start : para.end].strip()
            if not header_done:
                header_done = True
                reason = self._header(doc, flat, paragraphs, index)
                if reason == "site_name":
                    removed.append(Removed(para.start, para.end, "site_name"))
                    header_done = False  # the next line may be the title
                    continue
            if o.remove_captions and len(line) <= 200:
                if CREDIT.match(line):
                    removed.append(Removed(para.start, para.end, "credit"))
                    continue
                if CAPTION.match(line) or (CAPTION_TAIL.search(line) and len(line) <= 120):
                    removed.append(Removed(para.start, para.end, "caption"))
                    continue
            if o.remove_repeats:
                key = KEY_DROP.sub("", line)
                if key and key in seen_exact:
                    removed.append(Removed(para.start, para.end, "repeated"))
                    continue
                if allow_substring and len(key) >= MIN_REPEAT and any(key in earlier for earlier in seen_text):
                    removed.append(Removed(para.start, para.end, "repeated"))
                    continue
                if key:
                    seen_exact.add(key)
                    if allow_substring and len(key) >= MIN_REPEAT:
                        seen_text.append(key)
            dateline = DATELINE.match(flat, para.start, para.end) or BRACKET_DATELINE.match(flat, para.start, para.end)
            if dateline and dateline.end() < para.end:
                removed.append(Removed(para.start, dateline.end(), "dateline"))
                para = Span(dateline.end(), para.end)
            kept.append(para)

        blanks = [(item.start, item.end) for item in removed]
        if o.join_broken:
            kept = _join_broken(kept, flat, blanks)
        doc.view = _blank(flat, blanks)
        doc.removed = sorted(removed, key=lambda r: r.start)
        doc.paragraphs = kept
        return doc

    @staticmethod
    def _header(doc: Document, flat: str, paragraphs: list[Span], index: int) -> str | None:
        """Classify the first line(s): a site name is removed, a title is kept and recorded."""
        para = paragraphs[index]
        line = flat[para.start : para.end].strip()
        nxt = flat[paragraphs[index + 1].start : paragraphs[index + 1].end].strip() \
            if index + 1 < len(paragraphs) else ""
        heading = _is_heading(line)
        if heading and len(line) <= 12 and SITE_SUFFIX.search(line) and _is_heading(nxt) and nxt:
            return "site_name"
        if heading and len(line) <= 10 and SITE_SUFFIX.search(line) and doc.title and line not in doc.title:
            return "site_name"
        if heading and nxt and not _is_heading(nxt) and doc.title is None:
            doc.title = doc.text[para.start : para.end].strip()
            return "title"
        return None


def _is_heading(line: str) -> bool:
    """A short line with no sentence punctuation: a site name, title or sub-heading."""
    return 0 < len(line) <= 40 and not re.search(r"[。，,；;！？!?]", line)


def _paragraphs(text: str) -> list[Span]:
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(Span(start, end))
    return spans


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every span replaced by as many spaces (same length, same offsets)."""
    if not spans:
        return text
    out, at = [], 0
    for start, end in sorted(spans):
        if end <= at:
            continue
        start = max(start, at)
        out.append(text[at:start])
        out.append(" " * (end - start))
        at = end
    out.append(text[at:])
    return "".join(out)


def _join_broken(kept: list[Span], flat: str, blanks: list[tuple[int, int]]) -> list[Span]:
    """Rejoin a paragraph that stops mid-sentence with the next one (the gap between them becomes spaces)."""
    out: list[Span] = []
    for para in kept:
        if out:
            prev = out[-1]
            prev_text = flat[prev.start : prev.end]
            if not _is_heading(prev_text) and prev_text[-1] not in SENTENCE_END \
                    and not _is_heading(flat[para.start : para.end]):
                blanks.append((prev.end, para.start))  # only line breaks, spaces and removed text lie between
                out[-1] = Span(prev.start, para.end)
                continue
        out.append(para)
    return out
