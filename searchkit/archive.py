"""The Archive: searchkit's public API, one index that can be filled and searched."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import search as searching
from .backends import open_backend
from .backends.base import INDEX_MARKER, Backend, Filters, Searcher
from .errors import ArticleNotFound, IndexNotFound, QueryError, SearchkitError
from .fields import FACETS
from .model import Article
from .results import Hit, SearchResults, Stats
from .search import Request
from .search import facets as facet_shapes

if TYPE_CHECKING:
    from .ingest import IndexReport

DEFAULT_INDEX = Path("indexes") / "main"


def default_index() -> Path:
    """The index used when none is named: ``$SEARCHKIT_INDEX``; else the nearest ``indexes/main``
    holding an index, in this folder or one above it (as git finds its repository); else
    ``indexes/main`` here, where a first run makes it."""
    if os.environ.get("SEARCHKIT_INDEX"):
        return Path(os.environ["SEARCHKIT_INDEX"])
    for folder in _upward():
        if (folder / DEFAULT_INDEX / INDEX_MARKER).is_file():
            return folder / DEFAULT_INDEX if folder != Path.cwd() else DEFAULT_INDEX
    return DEFAULT_INDEX


def _upward() -> list[Path]:
    here = Path.cwd()
    return [here, *here.parents]


class Archive:
    """An index of articles: ``Archive(path).index([...])``, then ``.search(...)``, ``.get(id)``, ...

    ``engine`` is the search engine of a new index (default ``$SEARCHKIT_ENGINE``, else
    ``whoosh``); an existing index keeps the one it was made with.

    Search options, the same for :meth:`search` and :meth:`stream`:

    - ``filters``: facet values to keep, e.g. ``{"tag": ["Syria"], "source": ["Reuters", "AP"]}``
      (any value within a facet, all facets together; case-insensitive, exact; a single string
      is one value);
    - ``since`` / ``until``: inclusive dates, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``;
    - ``lang``: a language code (ISO 639-1, or a tag such as ``en-US``; QueryError names the
      archive's languages for anything else);
    - ``sort``: ``relevance`` (default), ``newest`` or ``oldest``.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, engine: str | None = None) -> None:
        self.named = path is not None
        self.path = Path(path) if path is not None else default_index()
        self.engine = engine or os.environ.get("SEARCHKIT_ENGINE") or "whoosh"  # for a new index
        self._backend: Backend | None = None
        self._searcher: Searcher | None = None

    def index(
        self,
        paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
        *,
        progress: Callable[[int, int, IndexReport], None] | None = None,
        prune: bool = False,
        workers: int | None = None,
        wait: float = 0.0,
        on_wait: Callable[[str], None] | None = None,
        commit_every: int | None = None,
        columns: dict[str, str] | None = None,
    ) -> IndexReport:
        """Add, update or skip every supported file under ``paths``; returns what was done.

        ``prune`` removes the articles of files gone from under ``paths``; ``workers`` processes
        parse and write (default: one per core); ``wait`` seconds are spent waiting for another
        run's lock (``on_wait`` is told when waiting starts), after which IndexBusy is raised; a
        commit follows every ``commit_every`` articles (default 50,000) or 32 MB of articles,
        whichever comes first (a crash costs at most that batch); ``columns`` maps article fields
        to the columns of CSV/TSV exports whose headers searchkit does not know
        (``{"body": "text"}``); ``progress(done, total, report)`` is called after each file. Ctrl-C stops the run at the
        next file and raises Interrupted; everything committed before stays.
        """
        from . import ingest  # the readers and the writer: only indexing pays for them

        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        paths = list(paths) if isinstance(paths, Iterable) else [paths]
        if not all(isinstance(path, (str, os.PathLike)) for path in paths):
            raise TypeError("'paths' takes a path or a list of paths (str or os.PathLike)")
        _check_type("prune", prune, bool)
        for label, value in (("workers", workers), ("commit_every", commit_every)):
            if value is not None:
                _check_whole(label, value)
        _check_type("wait", wait, (int, float))
        ingest.check(paths, self.path)  # before the index is made, so a refused run writes nothing
        from .readers import ReadOptions

        try:
            if self._backend is None:
                self._backend = open_backend(self.path, create=True, engine=self.engine)
            return ingest.update(
                self._backend, paths, progress=progress, prune=prune, workers=workers, wait=wait, on_wait=on_wait,
                commit_every=commit_every, options=ReadOptions(columns=dict(columns or {})),
            )
        except OSError as error:  # the index folder cannot be written: full, read-only, not a folder...
            raise SearchkitError(f"cannot write to the index at {self.path}: {_reason(error)}; "
                                 "what it held before is unchanged") from None

    def search(
        self,
        query: str,
        *,
        filters: dict[str, Iterable[str] | str] | None = None,
        since: str | None = None,
        until: str | None = None,
        lang: str | None = None,
        sort: str = "relevance",
        limit: int = 10,
        page: int = 1,
        facets: Iterable[str] = (),
        facet_limit: int = 10,
        snippets: bool = True,
        expand_duplicates: bool = False,
    ) -> SearchResults:
        """A page of hits for a query string (syntax in the README), with facet counts over all hits.

        ``facets`` names facets to count (``tag``, ``author``, ``section``, ``source``, ``place``,
        ``person``, ``org``, ``exchange``, ``lang``; and over dates ``year``, ``month``, ``day``
        published and ``crawled`` (by day), which give every bucket in time order); ``snippets=False`` skips cutting them; near
        duplicates are folded into one hit (``Hit.duplicates`` counts the others) unless
        ``expand_duplicates``.
        """
        _check_search(query, sort, expand_duplicates, snippets)
        _check_whole("limit", limit)
        _check_whole("page", page)
        _check_whole("facet_limit", facet_limit)
        facets = _texts("facets", facets)
        request = Request(query, _filters(filters, since, until, lang), sort, limit, page, tuple(facets), facet_limit,
                          snippets, expand_duplicates)
        return searching.search(self._current_searcher(), request)

    def stream(
        self,
        query: str,
        *,
        filters: dict[str, Iterable[str] | str] | None = None,
        since: str | None = None,
        until: str | None = None,
        lang: str | None = None,
        sort: str = "relevance",
        snippets: bool = True,
        expand_duplicates: bool = False,
    ) -> Iterator[Hit]:
        """Every hit of a query, in order, one at a time (records are read as they are yielded)."""
        _check_search(query, sort, expand_duplicates, snippets)
        request = Request(query, _filters(filters, since, until, lang), sort, snippets=snippets,
                          expand_duplicates=expand_duplicates)
        return searching.stream(self._current_searcher(), request)

    def similar(self, article_id: str, *, limit: int = 10) -> SearchResults:
        """Stories like the article with this id; ArticleNotFound when there is none."""
        _check_text("article_id", article_id)
        _check_whole("limit", limit)
        results = searching.similar(self._current_searcher(), article_id, limit)
        if results is None:
            raise ArticleNotFound(article_id)
        return results

    def get(self, article_id: str) -> Article:
        """The whole stored article with this id; ArticleNotFound when there is none."""
        _check_text("article_id", article_id)
        article = self._current_searcher().get(article_id)
        if article is None:
            raise ArticleNotFound(article_id)
        return article

    def stats(self, *, top: int = 10) -> Stats:
        """How many articles, over what dates, the most common tags, sources, authors and languages, the size on disk."""
        _check_whole("top", top)
        searcher = self._current_searcher()
        first, last = searcher.date_span()
        size = _folder_size(self.path)
        names = ("tag", "source", "author", "lang")
        counted = searcher.all_facets(names)
        return Stats(
            path=str(self.path),
            articles=searcher.count(),
            first_published=first,
            last_published=last,
            size_bytes=size,
            top={name: facet_shapes.shape(name, counted[name], top) for name in names},
        )

    def check(self) -> int:
        """Read every file of the index in full and check it against what was written; returns
        the bytes checked (IndexDamaged when a file is not what was written).

        Opening an index checks sizes, and in full only the files changed since they were
        written; this also finds damage that left a file's size and time as they were.
        """
        if self._backend is None:
            self._backend = open_backend(self.path)
        return self._backend.verify()

    def __len__(self) -> int:
        return self._current_searcher().count()

    def close(self) -> None:
        """Release the open searcher (also done when the Archive is garbage-collected)."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _current_searcher(self) -> Searcher:
        if self._backend is None:
            try:
                self._backend = open_backend(self.path)
            except IndexNotFound as missing:
                if self.named or os.environ.get("SEARCHKIT_INDEX"):
                    raise
                looked = ", ".join(str(folder / DEFAULT_INDEX) for folder in _upward())
                raise IndexNotFound(f"{missing} (looked for indexes/main in {looked}; "
                                    "name one with --index or $SEARCHKIT_INDEX)") from None
        if self._searcher is not None and not self._searcher.up_to_date():
            # A newer commit: searches move to it. The old searcher is let go rather than closed,
            # so a stream still reading from it goes on; its files are unmapped once nothing holds it.
            self._searcher = None
        if self._searcher is None:
            self._searcher = self._backend.searcher()
        return self._searcher


def _filters(filters: dict[str, Iterable[str] | str] | None, since: str | None, until: str | None,
             lang: str | None) -> Filters:
    """The search options as Filters; QueryError for an unknown facet or a value that is not text."""
    values: dict[str, tuple[str, ...]] = {}
    if filters is not None and not isinstance(filters, dict):
        raise TypeError(f"'filters' takes a dict of facet names to values, not {type(filters).__name__}")
    for name, chosen in (filters or {}).items():
        if name not in FACETS:
            raise QueryError(f"unknown filter '{name}' (filters: {', '.join(FACETS)})")
        chosen = tuple(_texts(f"filter '{name}'", chosen))
        if chosen:
            values[name] = chosen
    for label, value in (("since", since), ("until", until), ("lang", lang)):
        if value is not None and not isinstance(value, str):
            raise QueryError(f"'{label}' takes text, not {type(value).__name__}")
    return Filters(values, since, until, lang)


# Arguments of the wrong type are a TypeError saying which and what it takes, before any work.

def _check_search(query, sort, expand_duplicates, snippets) -> None:
    _check_text("query", query)
    _check_text("sort", sort)
    _check_type("expand_duplicates", expand_duplicates, bool)
    _check_type("snippets", snippets, bool)


def _check_type(label: str, value, kinds: type | tuple[type, ...]) -> None:
    if not isinstance(value, kinds) or (isinstance(value, bool) and kinds != bool):
        names = " or ".join(kind.__name__ for kind in (kinds if isinstance(kinds, tuple) else (kinds,)))
        raise TypeError(f"'{label}' takes {names}, not {type(value).__name__}")


def _check_text(label: str, value) -> None:
    _check_type(label, value, str)


def _check_whole(label: str, value) -> None:
    _check_type(label, value, int)
    if value < 1:
        raise QueryError(f"'{label}' must be at least 1")


def _texts(label: str, values) -> list[str]:
    """One text or an iterable of texts, as a list."""
    if isinstance(values, str):
        return [values]
    values = list(values) if isinstance(values, Iterable) else [values]
    if not all(isinstance(value, str) for value in values):
        raise TypeError(f"{label} takes text or a list of texts")
    return values


def _folder_size(folder: Path) -> int:
    """The bytes of the files in a folder (a file a commit deletes meanwhile counts for nothing)."""
    size = 0
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if entry.is_file():
                size += entry.stat().st_size
        except FileNotFoundError:
            pass
    return size


def _reason(error: OSError) -> str:
    reason = error.strerror or str(error)
    return f"{reason} ({error.filename})" if error.filename else reason
