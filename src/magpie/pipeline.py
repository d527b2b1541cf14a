"""The pipeline: stages in order. It knows nothing of where it runs (CLI, web, Spark)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .coder.actors import Actors
from .coder.clean import Clean, CleanOptions
from .coder.coref import Coreference
from .coder.dates import Dates
from .coder.dedup import Dedup
from .coder.events import Events
from .coder.sentences import Sentences
from .coder.stance import Stance
from .coder.tokens import LexicalModel, Tokens
from .document import Document, Reject
from .errors import OptionsError
from .isodate import is_day
from .lexicon import Lexicon, default_lexicon

Stage = Callable[[Document], Document]
MAX_CHARS = 2_000_000  # a longer document is rejected: split it first


@dataclass(frozen=True)
class Options:
    """Every option of a coding run (the CLI builds one of these and nothing else)."""

    published: str | None = None  # default publication date for documents without one
    lexicons: tuple[str, ...] = ()  # user lexicon files added over the bundled ones
    clean: CleanOptions = field(default_factory=CleanOptions)
    max_chars: int = MAX_CHARS
    timeout: float = 30.0  # seconds one document may take before it is rejected (0: no limit)
    lexical_model: bool = True  # the learnt lexical layer (LAC: words, parts of speech, names); off: lexicons only

    def __post_init__(self) -> None:
        if self.published is not None and not is_day(self.published):
            raise OptionsError(f"--published {self.published!r}: expected YYYY-MM-DD, a real day in ASCII digits")


class Pipeline:
    """Clean → sentences → dates → tokens → actors → coreference → events → stance → dedup."""

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
            Tokens(lexicon, LexicalModel() if self.options.lexical_model else None),
            Actors(lexicon),
            Coreference(),
            Events(lexicon),
            Stance(lexicon),
            Dedup(),
        ]

    def __call__(self, doc: Document) -> Document:
        # the publication date: the input's own field > --published > the page's metadata > inferred from the text
        if doc.published:
            doc.published_from = doc.published_from or "input"
        elif self.options.published:
            doc.published, doc.published_from = self.options.published, "option"
        elif doc.metadata_published:
            # not given by the user: events dated against it are marked date_inferred, as for a text date
            doc.published, doc.published_from, doc.published_inferred = doc.metadata_published, "metadata", True
        for stage in self.stages:
            doc = stage(doc)
        if doc.published_from is None and doc.published:
            doc.published_from = "text"
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
            try:
                with _time_limit(self.options.timeout):
                    doc = self(item)
            except DocumentTimeout:
                yield Reject(item.origin or item.id, f"document {item.id!r} took longer than "
                             f"{self.options.timeout:g} s to code and was skipped; split it or raise the timeout")
                continue
            except Exception as error:
                yield Reject(item.origin or item.id,
                             f"document {item.id!r} could not be coded ({type(error).__name__}: {error}); "
                             f"please report it with the document", None)
                continue
            yield doc


class DocumentTimeout(Exception):
    """Raised inside the pipeline when one document runs over its time budget."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (Unix main thread only; elsewhere no limit is enforced)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
