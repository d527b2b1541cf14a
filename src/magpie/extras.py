"""Optional features and the extra that installs each: a clear message when one is missing.

    pip install 'magpie-events[web]'        # from a checkout: pip install '.[web]'

=========  ======================================================  ========================================
extra      for                                                      packages
=========  ======================================================  ========================================
web        ``magpie serve`` (web UI and HTTP API)                   fastapi, uvicorn, jinja2, orjson, …
parquet    ``magpie export --format parquet``, ``to_arrow()``       pyarrow
pandas     ``to_pandas()``                                          pandas, pyarrow
html       reading ``.html`` / ``.htm`` files                       trafilatura, lxml_html_clean
spark      ``magpie spark``                                         pyspark, pandas, pyarrow (and Java 17)
all        every feature above
=========  ======================================================  ========================================
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MagpieError

FEATURES = {
    "web": "the web UI (magpie serve)",
    "parquet": "Parquet and Arrow output",
    "pandas": "pandas output (to_pandas)",
    "html": "reading HTML files",
    "spark": "magpie spark",
}


class MissingExtraError(MagpieError):
    """A feature's optional dependency is not installed; the message says which extra installs it."""

    def __init__(self, extra: str, module: str) -> None:
        self.extra, self.module = extra, module
        super().__init__(
            f"{FEATURES[extra]} needs the Python package {module!r}, which is not installed: "
            f"pip install 'magpie-events[{extra}]' (from a checkout of Magpie: pip install '.[{extra}]'; "
            f"every feature: [all])")


def need(module: str, extra: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        top = module.split(".")[0]
        if error.name is not None and error.name.split(".")[0] != top:
            raise  # the module is there but one of its own imports failed: show that
        raise MissingExtraError(extra, top) from None
