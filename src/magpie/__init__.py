"""Magpie: political event data (CAMEO / PLOVER) from Chinese-language news.

    >>> import magpie
    >>> events = magpie.code("俄罗斯总统普京21日与埃及总统塞西通了电话。", published="2017-11-22")
    >>> [(e["source"]["code"], e["code"], e["target"]["code"], e["date"]) for e in events]
    [('RUSGOV', '041', 'EGYGOV', '2017-11-21')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .document import Actor, Document, Event, Reject, Span
from .errors import InputError, LexiconError, MagpieError, OptionsError
from .lexicon import Lexicon, default_lexicon
from .pipeline import Options, Pipeline
from .read import read_inputs
from .store import (
    Store,
    open,
)
from .write.records import event_record, records

__version__ = "0.1.0"

__all__ = [
    "Actor", "Document", "Event", "InputError", "Lexicon", "LexiconError", "MagpieError", "Options",
    "OptionsError", "Pipeline", "Reject", "Span", "Store", "code", "code_documents", "default_lexicon",
    "event_record", "open", "read_inputs", "records",
]


def code(text: str, published: str | None = None, *, doc_id: str = "doc", title: str | None = None,
         source: str | None = None, options: Options | None = None) -> list[dict[str, Any]]:
    """Code one article; return its events as records (see ``schema/event.schema.json``)."""
    pipeline = Pipeline(options)
    doc = pipeline(Document(id=doc_id, text=text, title=title, published=published, source=source))
    return list(records(doc, pipeline.lexicon))


def code_documents(documents: Iterable[Document | Reject], options: Options | None = None,
                   pipeline: Pipeline | None = None) -> Iterator[Document | Reject]:
    """Code many documents; yields each coded Document (``.events``) or a Reject with its reason."""
    pipeline = pipeline or Pipeline(options)
    yield from pipeline.run(documents)
