"""The SphinxQL backend: an archive on a cluster, written in batches shard by shard.

Sphinx has no commit across shards (nor across indexes). A batch is written in an order that a
crash at any moment leaves right for the next run: the articles first (REPLACE, which a re-run
repeats without doubling anything), on each shard from the run's worker processes; then the
vocabulary and the facet spellings; then the deletions; and last the states of the batch's
files, so a file whose state was not recorded is read again by the next run. Searches may see
part of a batch while it is written.
"""

from __future__ import annotations

import getpass
import socket
import time
from concurrent.futures import Executor
from pathlib import Path

import orjson
import pymysql
from pymysql.converters import escape_string

from ...errors import SearchkitError
from ..base import Batch, FileState, Frame, read_frames
from .connection import Address, connect, failed, parse_url, shards_of
from .schema import (COLUMNS, SCHEMA_VERSION, STATE_CLAIM, STATE_FILE, STATE_VALUE, doc_id, file_row_id, hash63,
                     to_row, word_id)
from .searching import SphinxSearcher

STATEMENT_BYTES = 4_000_000  # rows per REPLACE statement: up to this size (max_packet_size must allow it)
STATEMENT_ROWS = 1_000
STATE_PART = 1_000_000  # a file's state is kept in parts of at most this many characters
_READ_PAGE = 10_000


def create(folder: Path, url: str) -> dict:
    """The configuration of a new index folder on the archive an engine address names (without a
    name, the first archive of the cluster no folder has claimed, now claimed for this one)."""
    location = parse_url(url)
    connection = connect(location.head)
    try:
        name = location.name or _claim(location.head, connection, folder)
        shards = [(str(address), index) for address, index in shards_of(location.head, name, connection)]
    finally:
        connection.close()
    if location.shards:
        if len(location.shards) != len(shards):
            raise SearchkitError(f"'{name}' has {len(shards)} shards, the address lists {len(location.shards)}")
        shards = [(str(address), index) for address, (_, index) in zip(location.shards, shards)]
    return {"engine": "sphinxql", "schema_version": SCHEMA_VERSION, "head": str(location.head), "archive": name,
            "shards": shards}


def _claim(head: Address, connection, folder: Path) -> str:
    """The first archive of the cluster that no index folder has claimed, claimed (INSERT of an
    id that exists fails, so two folders never claim the same archive)."""
    owner = orjson.dumps({"folder": str(folder.resolve()), "host": socket.gethostname(), "user": getpass.getuser(),
                          "claimed": time.time()}).decode()
    with connection.cursor() as cursor:
        cursor.execute("SHOW TABLES")
        tables = {row[0]: row[1] for row in cursor.fetchall()}
        archives = [name for name, kind in tables.items() if kind == "distributed" and f"{name}_state" in tables]
        for name in archives:
            try:
                cursor.execute(f"INSERT INTO {name}_state (id, kind, data) VALUES (%s, {STATE_CLAIM}, %s)",
                               (hash63("claim"), owner))
                return name
            except pymysql.err.MySQLError:
                continue
    if not archives:
        raise SearchkitError(f"the cluster at {head} holds no searchkit archive (see searchkit cluster init)")
    raise SearchkitError(f"every archive of the cluster at {head} is claimed by an index folder "
                         f"({', '.join(archives)}): name one to share it (sphinxql://{head}/{archives[0]})")


class SphinxBackend:
    """An archive on a cluster; ``folder`` holds its configuration, the write lock and spill files."""

    def __init__(self, folder: Path, meta: dict) -> None:
        self.folder = folder
        self.head = parse_url(f"sphinxql://{meta['head']}").head
        self.name = meta["archive"]
        self.shards = [(_parse_address(address), index) for address, index in meta["shards"]]
        self._known: set[int] | None = None  # vocabulary and spelling rows written (read once per run)
        self.parts: dict[int, int] = {}  # for each file (by key hash), the parts its state has in NAME_state
        self._check_layout()

    def _check_layout(self) -> None:
        connection = connect(self.head)
        try:
            found = shards_of(self.head, self.name, connection)
        finally:
            connection.close()
        if [index for _, index in found] != [index for _, index in self.shards]:
            raise SearchkitError(f"the archive '{self.name}' at {self.head} is no longer laid out as when this index "
                                 f"was made ({len(self.shards)} shards, now {len(found)}); rebuild it")

    def searcher(self) -> SphinxSearcher:
        return SphinxSearcher(self.folder, self.head, self.name, self.shards)

    def ingest_view(self) -> SphinxIngestView:
        self._known = None
        return SphinxIngestView(self)

    def commit(self, batch: Batch, pool: Executor | None, workers: int) -> None:
        shards = [(address.host, address.port, index) for address, index in self.shards]
        parts = _split(batch.frames, workers if pool is not None else 1)
        state = (self.head.host, self.head.port, f"{self.name}_state")
        jobs = [(shards, state, part) for part in parts if part]
        written = list(pool.map(_write_part, jobs)) if pool is not None and len(jobs) > 1 else [_write_part(job) for job in jobs]
        head = _Writer(self.head)
        try:
            known = self._known_rows(head)
            words = {key for part in written for key in part[0] if word_id(*key) not in known}
            spellings = {value: spelling for part in written for value, spelling in part[1].items() if value not in known}
            head.replace(f"{self.name}_words", ("id", "word", "grp", "w"),
                         [(word_id(group, word), word, group, word) for group, word in sorted(words)])
            head.replace(f"{self.name}_state", ("id", "kind", "data"),
                         [(value, STATE_VALUE, spelling[1]) for value, spelling in spellings.items()])
            known.update(word_id(*key) for key in words)
            known.update(spellings)
            ids = {identifier for part in written for identifier in part[2]}
            gone = sorted({doc_id(article_id) for article_id in batch.deletions} - ids)
            for number, (address, index) in enumerate(self.shards):
                mine = [identifier for identifier in gone if identifier % len(self.shards) == number]
                if mine:
                    with _Writer(address) as shard:
                        for start in range(0, len(mine), STATEMENT_ROWS):
                            shard.execute(f"DELETE FROM {index} WHERE id IN ({', '.join(map(str, mine[start:start + STATEMENT_ROWS]))})")
            self._record(head, batch.files)
        finally:
            head.close()

    def _known_rows(self, head: _Writer) -> set[int]:
        if self._known is None:
            self._known = set()
            for index, condition in ((f"{self.name}_words", ""), (f"{self.name}_state", f"WHERE kind = {STATE_VALUE}")):
                self._known.update(row[0] for row in head.read_all(f"SELECT id FROM {index} {condition}"))
        return self._known

    def _record(self, head: _Writer, states: dict[str, FileState | None]) -> None:
        """Record (or forget) the states of files: a state is kept in parts that share a digest,
        so that a state half written by a crash is taken as no state at all (its file is read
        again); then the parts no state needs any more go."""
        rows, stale = [], []
        for key, state in states.items():
            pieces: list[str] = []
            if state is not None:
                data = orjson.dumps({"key": key, "hash": state.file_hash, "path": state.path, "ids": state.ids,
                                     "errors": state.errors, "duplicate_of": state.duplicate_of}).decode()
                pieces = [data[start:start + STATE_PART] for start in range(0, len(data), STATE_PART)]
                rows += [(file_row_id(key, part), STATE_FILE, hash63(key), part, len(pieces), hash63(data), piece)
                         for part, piece in enumerate(pieces)]
            stale += [file_row_id(key, part) for part in range(len(pieces), self.parts.get(hash63(key), 0))]
            self.parts[hash63(key)] = len(pieces)
        head.replace(f"{self.name}_state", ("id", "kind", "key_hash", "part", "parts", "digest", "data"), rows)
        for start in range(0, len(stale), STATEMENT_ROWS):
            head.execute(f"DELETE FROM {self.name}_state WHERE id IN ({', '.join(map(str, stale[start:start + STATEMENT_ROWS]))})")

    def close(self) -> None:
        pass


class SphinxIngestView:
    """The archive as a run found it: the states of its files, and the owners of bodies."""

    def __init__(self, backend: SphinxBackend) -> None:
        self.searcher = backend.searcher()
        self.files: dict[str, FileState] = {}
        pieces: dict[int, list[tuple]] = {}
        with _Writer(backend.head) as head:
            for row in head.read_all(f"SELECT id, key_hash, part, parts, digest, data FROM {backend.name}_state "
                                     f"WHERE kind = {STATE_FILE}"):
                pieces.setdefault(row[1], []).append(row[2:])
        backend.parts = {key_hash: max(part for part, *_ in parts) + 1 for key_hash, parts in pieces.items()}
        for parts in pieces.values():
            parts.sort()
            if [part for part, *_ in parts] != list(range(parts[0][1])) or len({digest for _, _, digest, _ in parts}) != 1:
                continue  # half written: the file is read again
            data = orjson.loads("".join(piece for *_, piece in parts))
            self.files[data["key"]] = FileState(data["hash"], data["path"], data["ids"], data["errors"],
                                                data["duplicate_of"])

    def body_owner(self, body_hash: str) -> str | None:
        return self.searcher.body_owner(body_hash)

    def close(self) -> None:
        self.searcher.close()


class _Writer:
    """A connection to one searchd for writing, its failures turned into one-line errors."""

    def __init__(self, address: Address) -> None:
        self.address = address
        self.connection = connect(address)

    def execute(self, sql: str, args=None) -> list[tuple]:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, args)
                return list(cursor.fetchall())
        except pymysql.err.MySQLError as error:
            raise failed(self.address, error) from None

    def read_all(self, sql: str) -> list[tuple]:
        """Every row of a ``SELECT id, ...`` (without ORDER BY or LIMIT), page by page of ids."""
        rows: list[tuple] = []
        last = 0
        where = " AND " if " WHERE " in sql else " WHERE "
        while True:
            page = self.execute(f"{sql}{where}id > {last} ORDER BY id ASC LIMIT {_READ_PAGE} OPTION max_matches={_READ_PAGE}")
            rows.extend(page)
            if len(page) < _READ_PAGE:
                return rows
            last = page[-1][0]

    def replace(self, index: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """REPLACE rows in statements of at most STATEMENT_ROWS rows or STATEMENT_BYTES."""
        head = f"REPLACE INTO {index} ({', '.join(columns)}) VALUES "
        statement, size, count = [], 0, 0
        for row in rows:
            values = "(" + ",".join(map(_literal, row)) + ")"
            if statement and (count >= STATEMENT_ROWS or size + len(values) > STATEMENT_BYTES):
                self.execute(head + ",".join(statement))
                statement, size, count = [], 0, 0
            statement.append(values)
            size += len(values)
            count += 1
        if statement:
            self.execute(head + ",".join(statement))

    def close(self) -> None:
        try:
            self.connection.close()
        except pymysql.err.Error:
            pass

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _literal(value) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "(" + ",".join(map(str, value)) + ")"
    return "'" + escape_string(value) + "'"


def _parse_address(text: str) -> Address:
    host, _, port = text.rpartition(":")
    return Address(host, int(port))


def _split(frames: list[Frame], parts: int) -> list[list[Frame]]:
    size = max(1, -(-len(frames) // max(parts, 1)))
    return [frames[start:start + size] for start in range(0, len(frames), size)]


def _write_part(job: tuple[list[tuple[str, int, str]], tuple[str, int, str], list[Frame]]):
    """Write a part of a batch into the shards; (vocabulary entries, facet spellings, ids written).
    Runs in a worker process. The spellings of its articles' languages are written first: a
    query reads the languages an archive holds from them, so a row searchable without them
    (a run killed before its commit ends) would not be found by its stems."""
    shards, (head_host, head_port, state), frames = job
    rows: list[list[tuple]] = [[] for _ in shards]
    words: set[tuple[int, str]] = set()
    spellings: dict[int, tuple[str, str]] = {}
    ids = []
    for prepared in read_frames(frames):
        row = to_row(prepared)
        rows[row.id % len(shards)].append(row.values)
        words |= row.words
        spellings.update(row.spellings)
        ids.append(row.id)
    languages = [(value, STATE_VALUE, spelling) for value, (facet, spelling) in spellings.items() if facet == "lang"]
    if languages:
        with _Writer(Address(head_host, head_port)) as head:
            head.replace(state, ("id", "kind", "data"), languages)
    for (host, port, index), mine in zip(shards, rows):
        if mine:
            with _Writer(Address(host, port)) as shard:
                shard.replace(index, COLUMNS, mine)
    return words, spellings, ids

