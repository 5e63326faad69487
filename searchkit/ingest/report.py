"""What an indexing run did, as counts a person can read."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileProblem:
    """A file that could not be read, whole (``whole``) or in part: its path and every reason."""

    path: str
    reasons: list[str]
    whole: bool


@dataclass
class IndexReport:
    """What an indexing run did. ``committed`` counts the articles added or updated by the commits
    made so far (what an interrupted run keeps)."""

    files: int = 0
    files_unchanged: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: int = 0
    committed: int = 0
    errors: list[FileProblem] = field(default_factory=list)
    passed_over: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.files:,} files ({self.files_unchanged:,} unchanged): {self.added:,} articles added, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged, {self.removed:,} removed, "
            f"{self.duplicates:,} duplicates skipped, {len(self.errors):,} files with errors"
        )
