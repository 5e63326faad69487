"""Errors a user can cause. Each carries a one-line message meant to be shown as it is."""


class SearchkitError(Exception):
    """Base class: something the user can fix, with a message that says what."""


class ReadError(SearchkitError):
    """A file (or a part of one) could not be turned into articles."""


class IndexNotFound(SearchkitError):
    """There is no index where one was expected."""


class QueryError(SearchkitError):
    """A query string or search option could not be understood."""
