"""The pipeline: stages in order. It knows nothing of where it runs (CLI, web, Spark)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .actors import Actors
from .clean import Clean, CleanOptions
from .coref import Coreference
from .dates import Dates
from .dedup import Dedup
from .document import Document, Reject
from .errors import OptionsError
from .events import Events
from .lexicon import Lexicon, default_lexicon
from .read import DATE_RE
from .sentences import Sentences

Stage = Callable[[Document], Document]
MAX_CHARS = 2_000_000  # a longer document is rejected: split it first


@dataclass(frozen=True)
class Options:
    """Every option of a coding run (the CLI builds one of these and nothing else)."""

    published: str | None = None  # default publication date for documents without one
    lexicons: tuple[str, ...] = ()  # user lexicon files added over the bundled ones
    clean: CleanOptions = field(default_factory=CleanOptions)
    max_chars: int = MAX_CHARS

    def __post_init__(self) -> None:
        if self.published is not None and not DATE_RE.match(self.published):
            raise OptionsError(f"--published {self.published!r}: expected YYYY-MM-DD")


class Pipeline:
    """Clean → sentences → dates → actors → coreference → events → dedup."""

    def __init__(self, options: Options | None = None, lexicon: Lexicon | None = None) -> None:
        self.options = options or Options()
        if lexicon is None:
            lexicon = Lexicon.load(self.options.lexicons) if self.options.lexicons else default_lexicon()
        self.lexicon = lexicon
        future = tuple(w for w, kind in lexicon.cues.items() if kind == "future")
        self.stages: list[Stage] = [
            Clean(self.options.clean),
            Sentences(),
            Dates(future),
            Actors(lexicon),
            Coreference(),
            Events(lexicon),
            Dedup(),
        ]

    def __call__(self, doc: Document) -> Document:
        if not doc.published and self.options.published:
            doc.published = self.options.published
        for stage in self.stages:
            doc = stage(doc)
        return doc

    def run(self, items: Iterable[Document | Reject]) -> Iterator[Document | Reject]:
        """Code every document; a document that fails becomes a Reject, the others go on."""
        for item in items:
            if isinstance(item, Reject):
                yield item
                continue
            if len(item.text) > self.options.max_chars:
                yield Reject(item.origin or item.id, f"document {item.id!r} has {len(item.text):,} characters, "
                             f"over the {self.options.max_chars:,} limit: split it")
                continue
            started = time.perf_counter()
            try:
                yield self(item)
            except Exception as error:
                yield Reject(item.origin or item.id,
                             f"document {item.id!r} could not be coded ({type(error).__name__}: {error}); "
                             f"please report it with the document", None)
            finally:
                _ = time.perf_counter() - started
