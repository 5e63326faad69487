"""The Archive: searchkit's public API, one index on disk that can be filled and searched."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh.index import Index

from .engine import index as engine_index
from .engine import search as engine_search
from .engine.index import IndexReport
from .model import Article
from .results import SearchResults

DEFAULT_INDEX = Path("indexes") / "main"


def default_index() -> Path:
    """The index used when none is named: $SEARCHKIT_INDEX, else ``indexes/main``."""
    return Path(os.environ.get("SEARCHKIT_INDEX") or DEFAULT_INDEX)


class Archive:
    """An index of articles on disk: ``Archive(path).index([...])``, then ``.search(...)`` and ``.get(id)``."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_index()
        self._ix: Index | None = None
        self._searcher = None

    def index(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        progress: Callable[[int, int, Path], None] | None = None,
    ) -> IndexReport:
        """Add, update or skip every supported file under ``paths``; returns what was done.

        ``progress(done, total, path)``, when given, is called after each file.
        """
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        if self._ix is None:
            self._ix = engine_index.open_index(self.path, create=True)
        return engine_index.update(self._ix, paths, progress=progress)

    def search(self, query: str, *, limit: int = 10, page: int = 1) -> SearchResults:
        """Ranked hits for a query string (see the README for the syntax)."""
        return engine_search.search(self._current_searcher(), query, limit=limit, page=page)

    def get(self, article_id: str) -> Article:
        """The whole stored article with this id; KeyError when there is none."""
        article = engine_search.get(self._current_searcher(), article_id)
        if article is None:
            raise KeyError(article_id)
        return article

    def __len__(self) -> int:
        return self._current_searcher().doc_count()

    def close(self) -> None:
        """Release the open searcher (also done on garbage collection)."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _current_searcher(self):
        if self._ix is None:
            self._ix = engine_index.open_index(self.path)
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

