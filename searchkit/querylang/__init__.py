"""The query language, free of any engine: a query string becomes a tree (``ast``, ``parser``),
and the language's rules make of the tree the plan a backend executes (``plan``)."""

from .parser import parse
from .plan import Plan, plan_query

__all__ = ["Plan", "parse", "plan_query"]
