"""What becomes of each article a run reads: new, an update, a duplicate, or a removal.

The decisions are a pure function of the index as the run found it and of what the run has read
so far, in order. An article is a duplicate when an article the run keeps has its id or its body,
or when an article the index held at the start has its body and survives the run. Whether such
an article survives is not always known yet: its file may come later in the run (a record moved
between files, a renamed file under ``--prune``). Then the decision waits until that file has
been read (or the run ends), and so does the file that holds the waiting article: a file is
handed over for commit only when all its articles are decided, so that every commit holds whole
files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..backends.base import FileState, Frame
from .report import FileProblem, IndexReport
from .workers import Incoming


@dataclass
class Ready:
    """A file whose articles are all decided: what to write, what to delete, the state to record
    (None forgets the file), and the states of other files that gave up an article to it."""

    key: str
    state: FileState | None
    frames: list[Frame] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    other_states: dict[str, FileState] = field(default_factory=dict)
    waiting: int = 0  # articles still undecided


class Ledger:
    """The run's decisions, step by step: each step returns the files that became ready."""

    def __init__(self, files: dict[str, FileState], body_owner: Callable[[str], str | None],
                 open_keys: Iterable[str], report: IndexReport) -> None:
        self.files = files
        self.body_owner = body_owner
        self.report = report
        self.owner_file = {article_id: key for key, state in files.items() for article_id in state.ids}
        self.unsettled = {key for key in open_keys if key in files}  # files the run will read or prune
        self.removed: set[str] = set()  # articles of the index the run deletes
        self.replaced: set[str] = set()  # articles of the index the run writes again (their body may differ)
        self.kept: dict[str, str] = {}  # id -> body hash of every article the run writes
        self.kept_bodies: dict[str, str] = {}  # body hash -> id of the article the run writes with it
        self.waiting: dict[str, list[tuple[Incoming, Ready]]] = {}  # owner id -> articles waiting on it

    def changed(self, key: str, path: str, file_hash: str, articles: list[Incoming], errors: list[str]) -> list[Ready]:
        """A file read anew (new, changed, or read again because articles its duplicates copied went)."""
        previous = self.files.get(key)
        before = previous.ids if previous else []
        if errors and not articles:  # unreadable now: what the index holds of it stays
            self.unsettled.discard(key)
            state = FileState(file_hash, path, list(before), errors, previous.duplicate_of if previous else [])
            return [Ready(key, state), *self._resolve(before)]
        ready = Ready(key, FileState(file_hash, path, [], errors))
        present = {article.id for article in articles}
        for article_id in before:
            if article_id not in present and article_id not in self.kept:
                self._remove(article_id, ready)
        self.unsettled.discard(key)
        later = []
        for article in articles:  # updates first: an article the index holds keeps its id
            if self._live(article.id) and article.id not in self.kept:
                self._keep(article, ready, update=True)
            else:
                later.append(article)
        for article in later:
            self._decide(article, ready)
        return [*([ready] if not ready.waiting else []), *self._resolve(before)]

    def unchanged(self, key: str) -> list[Ready]:
        """A file whose bytes are what the index last read: its articles stay."""
        self.unsettled.discard(key)
        state = self.files[key]
        self.report.files_unchanged += 1
        self.report.unchanged += len(state.ids)
        if state.errors:
            whole = not state.ids and len(state.errors) == 1
            self.report.errors_unchanged.append(FileProblem(state.path, list(state.errors), whole))
        return self._resolve(state.ids)

    def gone(self, key: str) -> list[Ready]:
        """A file that is no longer there (``--prune``): its articles go, and the index forgets it."""
        ready = Ready(key, None)
        for article_id in self.files[key].ids:
            if article_id not in self.kept:
                self._remove(article_id, ready)
        self.unsettled.discard(key)
        return [ready, *self._resolve(self.files[key].ids)]

    def finish(self) -> list[Ready]:
        """The end of the run's reading: files not read are settled as they are."""
        self.unsettled.clear()
        return self._resolve(list(self.waiting))

    def orphaned(self, read: set[str]) -> list[str]:
        """Files not read anew in this run that skipped copies of articles the run removed or
        rewrote: they must be read again, or those copies would be lost."""
        return [key for key, state in self.files.items() if key not in read
                and not (self.removed.isdisjoint(state.duplicate_of) and self.replaced.isdisjoint(state.duplicate_of))]

    def _live(self, article_id: str) -> bool:
        return article_id in self.owner_file and article_id not in self.removed

    def _remove(self, article_id: str, ready: Ready) -> None:
        if article_id not in self.removed:
            self.removed.add(article_id)
            ready.deletions.append(article_id)
            self.report.removed += 1

    def _keep(self, article: Incoming, ready: Ready, update: bool) -> None:
        self.kept[article.id] = article.body_hash
        if article.body_hash:
            self.kept_bodies.setdefault(article.body_hash, article.id)
        ready.frames.append(article.frame)
        ready.state.ids.append(article.id)
        if update:
            ready.deletions.append(article.id)  # the stored copy is replaced
            self.replaced.add(article.id)
            self.report.updated += 1
            owner = self.owner_file.get(article.id)
            if owner is not None and owner != ready.key and owner not in self.unsettled and owner in self.files:
                state = ready.other_states.get(owner) or self.files[owner]
                ready.other_states[owner] = FileState(state.file_hash, state.path,
                                                      [i for i in state.ids if i != article.id], state.errors,
                                                      state.duplicate_of)
        else:
            self.report.added += 1

    def _decide(self, article: Incoming, ready: Ready) -> None:
        if article.id in self.kept:
            return self._duplicate(article.id, ready)
        if article.body_hash and article.body_hash in self.kept_bodies:
            return self._duplicate(self.kept_bodies[article.body_hash], ready)
        owner = self.body_owner(article.body_hash) if article.body_hash else None
        if owner is None or owner == article.id or owner in self.removed or owner in self.kept:
            self._keep(article, ready, update=False)
        elif self.owner_file.get(owner) in self.unsettled:
            self.waiting.setdefault(owner, []).append((article, ready))
            ready.waiting += 1
        else:  # the index holds this body, and keeps it
            self._duplicate(owner, ready)

    def _duplicate(self, owner: str, ready: Ready) -> None:
        self.report.duplicates += 1
        if owner not in ready.state.duplicate_of:
            ready.state.duplicate_of.append(owner)

    def _resolve(self, owners: Iterable[str]) -> list[Ready]:
        """Decide the articles that waited on these owners; the files that became ready."""
        done = []
        for owner in owners:
            for article, ready in self.waiting.pop(owner, ()):
                self._decide(article, ready)
                ready.waiting -= 1
                if not ready.waiting:
                    done.append(ready)
        return done
