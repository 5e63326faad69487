"""Errors a user can cause. Each carries a one-line message meant to be shown as it is."""


class SearchkitError(Exception):
    """Base class: something the user can fix, with a message that says what."""


class ReadError(SearchkitError):
    """A file (or a part of one) could not be turned into articles."""


class IndexNotFound(SearchkitError):
    """There is no index where one was expected."""


class IndexDamaged(SearchkitError):
    """The index's files are not what was written (truncated, overwritten, missing): it must be rebuilt."""


class QueryError(SearchkitError):
    """A query string or search option could not be understood."""


class IndexBusy(SearchkitError):
    """Another indexing run holds the index's write lock."""


class Interrupted(SearchkitError):
    """An indexing run was stopped (Ctrl-C); what it committed before stays. ``report`` says what that was."""

    def __init__(self, report) -> None:
        super().__init__(
            f"interrupted: {report.committed:,} articles were committed before the stop; "
            "run the same command again to finish"
        )
        self.report = report


class ArticleNotFound(SearchkitError, KeyError):
    """No article with this id in the index (a KeyError too, as a mapping's missing key is)."""

    def __init__(self, article_id: str) -> None:
        super().__init__(f"no article with id {article_id} in this index")
        self.article_id = article_id

    def __str__(self) -> str:
        return self.args[0]
