"""Magpie's web application (``magpie serve``): an HTTP API and four pages over a read-only event store.

    >>> from magpie.web import create_app                 # doctest: +SKIP
    >>> app = create_app("magpie.db")                      # a FastAPI application; serve it with uvicorn

See :mod:`magpie.web.app` for the endpoints and pages, :mod:`magpie.web.queries` for the queries.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(path: str | Path, **options: Any) -> FastAPI:
    """The web application over the store at ``path`` (see :func:`magpie.web.app.create_app`)."""
    from ..extras import need

    need("fastapi", "web")
    need("jinja2", "web")
    from .app import create_app as make

    return make(path, **options)
