"""Indexing runs, engine-free: which files, parsed where, what becomes of each article, when to commit."""

from .pipeline import update
from .report import FileProblem, IndexReport
from .walk import check

__all__ = ["FileProblem", "IndexReport", "check", "update"]
