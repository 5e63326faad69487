"""What an indexing run did, as counts a person can read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class FileProblem:
    """A file that could not be read, whole (``whole``) or in part: its path and every reason."""

    path: str
    reasons: list[str]
    whole: bool


@dataclass
class FormatTally:
    """What the files of one format gave: articles, and records passed over on purpose (by reason)."""

    files: int = 0
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def line(self, name: str) -> str:
        records = self.articles + sum(self.skipped.values())
        text = f"{self.files:,} {name} file{'s' if self.files != 1 else ''}: "
        if self.skipped:
            kinds: Counter[str] = Counter()
            for reason, count in self.skipped.items():  # "not HTML (image/png)" counts as "not HTML"
                kinds[reason.split(" (")[0]] += count
            reasons = ", ".join(f"{count:,} {kind}" for kind, count in kinds.most_common())
            return text + f"{records:,} records, {self.articles:,} articles, {sum(self.skipped.values()):,} skipped ({reasons})"
        return text + f"{self.articles:,} article{'s' if self.articles != 1 else ''}"


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
    formats: dict[str, FormatTally] = field(default_factory=dict)  # of the files read anew

    def summary(self) -> str:
        """One line of counts; then, when files of several formats were read or records were
        passed over, a line per format."""
        text = (
            f"{self.files:,} files ({self.files_unchanged:,} unchanged): {self.added:,} articles added, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged, {self.removed:,} removed, "
            f"{self.duplicates:,} duplicates skipped, {len(self.errors):,} files with errors"
        )
        if len(self.formats) > 1 or any(tally.skipped for tally in self.formats.values()):
            text += "".join(f"\n  {tally.line(name)}" for name, tally in sorted(self.formats.items()))
        return text
