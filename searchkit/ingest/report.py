"""What an indexing run did, as counts a person can read."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..wording import counted

ALIKE = 4  # files that failed alike and are said in one line (fewer: a line each)
EXAMPLES = 3  # paths that line names (fewer than ALIKE, so "and N more" always follows)
# Where in its file a reader met a bad record: "record 3: ", "line 12: ", "item 2: " ...
_RECORD_AT = re.compile(r"^(?:record|line|item|story|document|article|message) \d+: ")


@dataclass
class FileProblem:
    """A file that could not be read, whole (``whole``) or in part: its path and every reason."""

    path: str
    reasons: list[str]
    whole: bool

    def line(self, every_reason: bool = False) -> str:
        """The file and its first reason (``every_reason``: all of them), in one line."""
        if self.whole:
            return f"skipped {self.path}: {self.reasons[0]}"
        reasons = self.reasons if every_reason else self.reasons[:1]
        more = len(self.reasons) - len(reasons)
        tail = f" (and {more} more: --verbose lists them)" if more else ""
        return f"skipped {counted(len(self.reasons), 'record')} of {self.path}: {'; '.join(reasons)}{tail}"

    def kind(self) -> tuple[bool, tuple[str, ...]]:
        """What went wrong, whatever the file and the records it happened at: its distinct
        reasons without their record or line numbers (files that failed alike share it)."""
        return self.whole, tuple(dict.fromkeys(_RECORD_AT.sub("", reason) for reason in self.reasons))


def problem_lines(problems: list[FileProblem]) -> list[str]:
    """A line per file, in order; ``ALIKE`` or more files of one ``kind`` in one line, at the
    first one's place: how many files (and records), why, and a few of their paths."""
    kinds = [problem.kind() for problem in problems]
    alike: dict[tuple[bool, tuple[str, ...]], list[FileProblem]] = {}
    for problem, kind in zip(problems, kinds):
        alike.setdefault(kind, []).append(problem)
    lines = []
    for problem, kind in zip(problems, kinds):
        group = alike[kind]
        if len(group) < ALIKE:
            lines.append(problem.line())
        elif problem is group[0]:
            lines.append(_alike_line(group, kind))
    return lines


def _alike_line(group: list[FileProblem], kind: tuple[bool, tuple[str, ...]]) -> str:
    whole, reasons = kind
    files = counted(len(group), "file")
    what = files if whole else f"{counted(sum(len(problem.reasons) for problem in group), 'record')} of {files}"
    examples = ", ".join(problem.path for problem in group[:EXAMPLES])
    return f"skipped {what}: {'; '.join(reasons)} ({examples} and {len(group) - EXAMPLES:,} more: --verbose lists them)"


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

    def problem_lines(self, verbose: bool = False) -> list[str]:
        """Lines on the files that could not be read, files that failed alike in one line;
        ``verbose``: a line per file with every reason, and the files still bad since an earlier run."""
        if verbose:
            return [problem.line(every_reason=True) for problem in self.errors + self.errors_unchanged]
        return problem_lines(self.errors)

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
