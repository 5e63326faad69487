"""searchkit: ranked, faceted full-text search over collections of news articles.

>>> import searchkit
>>> archive = searchkit.Archive("indexes/main")            # doctest: +SKIP
>>> archive.index(["corpus/"])                              # doctest: +SKIP
>>> archive.search("al-Bab ceasefire").hits[0].title        # doctest: +SKIP
"""

from .archive import Archive, default_index
from .errors import ArticleNotFound, IndexBusy, IndexDamaged, IndexNotFound, Interrupted, QueryError, ReadError, SearchkitError
from .model import Article, Comment
from .results import Hit, SearchResults, Snippet, Stats

__version__ = "0.1.0"


def __getattr__(name: str):
    """``IndexReport`` and ``read_file`` load the readers, so they are imported on first use."""
    if name == "IndexReport":
        from .ingest import IndexReport

        return IndexReport
    if name == "read_file":
        from .readers import read_file

        return read_file
    raise AttributeError(f"module 'searchkit' has no attribute {name!r}")

__all__ = [
    "Archive",
    "Article",
    "ArticleNotFound",
    "Comment",
    "Hit",
    "IndexBusy",
    "IndexDamaged",
    "IndexNotFound",
    "Interrupted",
    "IndexReport",
    "QueryError",
    "ReadError",
    "SearchResults",
    "SearchkitError",
    "Snippet",
    "Stats",
    "default_index",
    "read_file",
]
