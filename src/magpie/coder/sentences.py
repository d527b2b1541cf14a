"""Sentence segmentation and quotation spans over the cleaned view."""

from __future__ import annotations

import re

from ..document import Document, Span

TERMINALS = set("。！？!?")
CLOSERS = set("”’」』）)\"'")
OPEN_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
MAX_SENTENCE = 400  # characters; longer runs without punctuation are cut at commas


class Sentences:
    """Split each kept paragraph into sentences; mark quoted speech."""

    name = "sentences"

    def __call__(self, doc: Document) -> Document:
        view = doc.view
        sentences: list[Span] = []
        quotes: list[Span] = []
        for para in doc.paragraphs:
            start = para.start
            for match in _BOUNDARY.finditer(view, para.start, para.end):
                end = match.end()
                if end - start > MAX_SENTENCE:
                    start = _cut_long(sentences, view, start, match.start())
                _add(sentences, view, start, end)
                start = end
            if para.end - start > MAX_SENTENCE:
                start = _cut_long(sentences, view, start, para.end)
            _add(sentences, view, start, para.end)
            if _QUOTE_OPEN.search(view, para.start, para.end):
                quotes.extend(_quotes(view, para))
        doc.sentences = sentences
        doc.quotes = quotes
        return doc


_BOUNDARY = re.compile("[。！？!?]+[”’」』）)\"'。！？!?]*")
_QUOTE_OPEN = re.compile("[“‘「『]")


def _cut_long(out: list[Span], view: str, start: int, end: int) -> int:
    """Cut a run without sentence punctuation at commas every MAX_SENTENCE characters."""
    while end - start > MAX_SENTENCE:
        cut = max(view.rfind(c, start, start + MAX_SENTENCE) for c in "，,；; ")
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        _add(out, view, start, cut)
        start = cut
    return start


def _add(out: list[Span], view: str, start: int, end: int) -> None:
    while start < end and view[start].isspace():
        start += 1
    while end > start and view[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))


def _quotes(view: str, para: Span) -> list[Span]:
    """Spans inside “…” (an unclosed quote runs to the end of the paragraph)."""
    spans: list[Span] = []
    i = para.start
    while i < para.end:
        opener = _QUOTE_OPEN.search(view, i, para.end)  # the next opening quote mark
        if opener is None:
            break
        i = opener.start()
        closer = OPEN_QUOTES[view[i]]
        j = view.find(closer, i + 1, para.end)
        end = para.end if j < 0 else j
        # short quotes are names or titles (“伊斯兰国”, “极好的电话交谈”), not reported speech
        if end - i > 12:
            spans.append(Span(i + 1, end))
        i = end + 1
    return spans
