"""What an indexing run did, as counts a person can read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..wording import counted


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
        text = f"{counted(self.files, name + ' file')}: "
        if self.skipped:
            kinds: Counter[str] = Counter()
            for reason, count in self.skipped.items():  # "not HTML (image/png)" counts as "not HTML"
                kinds[reason.split(" (")[0]] += count
            reasons = ", ".join(f"{count:,} {kind}" for kind, count in kinds.most_common())
            return (text + f"{counted(records, 'record')}, {counted(self.articles, 'article')}, "
                    f"{sum(self.skipped.values()):,} skipped ({reasons})")
        return text + counted(self.articles, "article")


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
    errors_unchanged: list[FileProblem] = field(default_factory=list)  # reported by an earlier run, bytes unchanged
    passed_over: list[tuple[str, str]] = field(default_factory=list)
    formats: dict[str, FormatTally] = field(default_factory=dict)  # of the files read anew

    def summary(self) -> str:
        """One line of counts; then, when files of several formats were read or records were
        passed over, a line per format."""
        text = (
            f"{counted(self.files, 'file')} ({self.files_unchanged:,} unchanged): {counted(self.added, 'article')} added, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged, {self.removed:,} removed, "
            f"{counted(self.duplicates, 'duplicate')} skipped, {counted(len(self.errors), 'file')} with errors"
        )
        if self.errors_unchanged:
            count = len(self.errors_unchanged)
            text += f" ({count:,} more unchanged since reported: --verbose lists {'them' if count > 1 else 'it'})"
        if len(self.formats) > 1 or any(tally.skipped for tally in self.formats.values()):
            text += "".join(f"\n  {tally.line(name)}" for name, tally in sorted(self.formats.items()))
        return text
