"""Small, specific exception types. Messages name the file, line or document and what to do."""


class MagpieError(Exception):
    """Base class for every error Magpie raises on purpose."""


class LexiconError(MagpieError):
    """A lexicon file is missing, malformed or contradicts itself."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line = path, line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class InputError(MagpieError):
    """An input file or record cannot be read as a document."""


class OptionsError(MagpieError):
    """An option has a value Magpie cannot use."""


class StoreError(MagpieError):
    """The event store (SQLite database) cannot be opened, migrated, read or written."""


class ExportError(MagpieError):
    """An export format or destination Magpie cannot write."""


class WorkerError(MagpieError):
    """A worker process of ``--workers`` died (killed, out of memory) or could not start."""
