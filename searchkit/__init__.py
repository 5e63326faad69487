"""searchkit: ranked, faceted full-text search over collections of news articles.

>>> import searchkit
>>> archive = searchkit.Archive("indexes/main")            # doctest: +SKIP
>>> archive.index(["corpus/"])                              # doctest: +SKIP
>>> archive.search("al-Bab ceasefire").hits[0].title        # doctest: +SKIP
"""

from .archive import Archive, default_index
from .engine.index import IndexReport
from .errors import IndexNotFound, QueryError, ReadError, SearchkitError
from .model import Article, Comment
from .readers import read_file
from .results import Hit, SearchResults, Snippet, Stats

__version__ = "0.1.0"

__all__ = [
    "Archive",
    "Article",
    "Comment",
    "Hit",
    "IndexNotFound",
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
