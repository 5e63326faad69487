"""Local searchd processes: a cluster of N shards in a folder, one searchd per shard, as
``searchkit cluster`` and the tests run them.

``init`` writes one configuration per searchd (``nodeI/searchd.conf``) and ``cluster.json``.
Searchd I holds shard I of every archive; searchd 0, the head, also holds each archive's
distributed index (its own shard locally, the others as agents) and its bookkeeping indexes.
Each searchd listens for SphinxQL on a port and for its agents' API on the next one.

searchd's exit codes cannot be trusted (it exits 0 when its port is taken, after a minute of
retries, or when another searchd holds its pid file): a start is checked in its output (FATAL),
its log (NOT SERVING) and by asking it for its indexes until they are all there.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

from ...errors import SearchkitError
from .schema import distributed_declaration, shard_declaration, state_declaration, words_declaration

SEARCHD = "searchd"
CLUSTER_FILE = "cluster.json"
DEFAULT_ARCHIVE = "articles"


@dataclass(frozen=True)
class Node:
    """One searchd: its folder, ports and the indexes it holds."""

    folder: Path
    sql_port: int
    api_port: int
    indexes: tuple[str, ...]

    @property
    def config(self) -> Path:
        return self.folder / "searchd.conf"

    @property
    def log(self) -> Path:
        return self.folder / "searchd.log"

    def pid(self) -> int | None:
        try:
            pid = int((self.folder / "searchd.pid").read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None


@dataclass(frozen=True)
class Cluster:
    folder: Path
    nodes: tuple[Node, ...]
    archives: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"sphinxql://127.0.0.1:{self.nodes[0].sql_port}"


def archive_names(count: int) -> tuple[str, ...]:
    return (DEFAULT_ARCHIVE,) + tuple(f"{DEFAULT_ARCHIVE}{number}" for number in range(2, count + 1))


def init(folder: Path, shards: int, archives: int = 1, port: int = 9306) -> Cluster:
    """Write the configuration of a cluster of ``shards`` searchd processes in ``folder``
    (SphinxQL on ``port``, ``port + 2``, ...; free ports when ``port`` is 0)."""
    if shards < 1 or archives < 1:
        raise SearchkitError("a cluster needs at least one shard and one archive")
    if (folder / CLUSTER_FILE).exists():
        raise SearchkitError(f"{folder} already holds a cluster ({CLUSTER_FILE}); give another folder")
    if shutil.which(SEARCHD) is None:
        raise SearchkitError("searchd is not installed (Debian: apt-get install sphinxsearch)")
    folder.mkdir(parents=True, exist_ok=True)
    folder = folder.resolve()
    ports = [(port + 2 * i, port + 2 * i + 1) for i in range(shards)] if port else _free_ports(shards)
    names = archive_names(archives)
    nodes = []
    for number, (sql_port, api_port) in enumerate(ports):
        home = folder / f"node{number}"
        home.mkdir(exist_ok=True)
        indexes = [f"{name}_{number}" for name in names]
        text = "".join(shard_declaration(index, str(home / index)) for index in indexes)
        if number == 0:
            for name in names:
                agents = [f"127.0.0.1:{api}:{name}_{other}" for other, (_, api) in enumerate(ports) if other]
                text += distributed_declaration(name, f"{name}_0", agents)
                text += state_declaration(f"{name}_state", str(home / f"{name}_state"))
                text += words_declaration(f"{name}_words", str(home / f"{name}_words"))
                indexes += [name, f"{name}_state", f"{name}_words"]
        text += _searchd_section(home, sql_port, api_port)
        (home / "searchd.conf").write_text(text)
        nodes.append(Node(home, sql_port, api_port, tuple(indexes)))
    description = {"version": 1, "archives": list(names),
                   "nodes": [{"folder": node.folder.name, "sql_port": node.sql_port, "api_port": node.api_port,
                              "indexes": list(node.indexes)} for node in nodes]}
    (folder / CLUSTER_FILE).write_bytes(orjson.dumps(description, option=orjson.OPT_INDENT_2) + b"\n")
    return Cluster(folder, tuple(nodes), names)


def load(folder: Path) -> Cluster:
    try:
        description = orjson.loads((folder / CLUSTER_FILE).read_bytes())
    except FileNotFoundError:
        raise SearchkitError(f"no cluster in {folder} (make one with: searchkit cluster init N {folder})") from None
    except (OSError, orjson.JSONDecodeError) as error:
        raise SearchkitError(f"cannot read {folder / CLUSTER_FILE}: {error}") from None
    folder = folder.resolve()
    nodes = tuple(Node(folder / node["folder"], node["sql_port"], node["api_port"], tuple(node["indexes"]))
                  for node in description["nodes"])
    return Cluster(folder, nodes, tuple(description["archives"]))


def _searchd_section(home: Path, sql_port: int, api_port: int) -> str:
    # binlog_flush stays at its default (2): 1 lost the last acknowledged batch after kill -9.
    return f"""
searchd
{{
  listen = 127.0.0.1:{sql_port}:mysql41
  listen = 127.0.0.1:{api_port}
  log = {home}/searchd.log
  pid_file = {home}/searchd.pid
  binlog_path = {home}
  workers = threads
  max_packet_size = 128M
  read_timeout = 5
  client_timeout = 300
}}
"""


def _free_ports(count: int) -> list[tuple[int, int]]:
    """Pairs of neighbouring free loopback ports."""
    pairs: list[tuple[int, int]] = []
    while len(pairs) < count:
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
        if all(port not in pair and port + 1 not in pair for pair in pairs):
            pairs.append((port, port + 1))
    return pairs


def start(node: Node, timeout: float = 60.0) -> None:
    """Start a searchd and wait until it serves all its indexes; SearchkitError saying why not."""
    if node.pid() is not None:
        return
    began = _log_size(node)
    result = subprocess.run([SEARCHD, "--config", str(node.config)], capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode != 0 or "FATAL" in output:
        raise SearchkitError(f"searchd of {node.folder.name} did not start: {_reason(output)}")
    wait_ready(node, began, timeout)


def wait_ready(node: Node, began: int, timeout: float) -> None:
    """Wait until a searchd serves all its indexes (``began``: its log's size before it started)."""
    import pymysql

    deadline = time.monotonic() + timeout
    while True:
        refused = _log_lines(node, began, "NOT SERVING") + _log_lines(node, began, "FATAL")
        if refused:
            raise SearchkitError(f"searchd of {node.folder.name} did not start: {_reason(refused[0])}")
        try:
            connection = pymysql.connect(host="127.0.0.1", port=node.sql_port, user="", password="", connect_timeout=1)
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SHOW TABLES")
                    if set(node.indexes) <= {row[0] for row in cursor.fetchall()}:
                        return
            finally:
                connection.close()
        except pymysql.err.MySQLError:
            pass
        if time.monotonic() > deadline:
            raise SearchkitError(f"searchd of {node.folder.name} does not answer on 127.0.0.1:{node.sql_port} "
                                 f"after {timeout:.0f} s (see {node.log})")
        time.sleep(0.01)  # polling for the condition, not waiting a guessed time


def _log_size(node: Node) -> int:
    try:
        return node.log.stat().st_size
    except OSError:
        return 0


def _log_lines(node: Node, since: int, marker: str) -> list[str]:
    """Lines of the node's log holding ``marker``, written after its first ``since`` bytes."""
    try:
        with node.log.open("rb") as log:
            log.seek(since)
            return [line for line in log.read().decode(errors="replace").splitlines() if marker in line]
    except OSError:
        return []


def _reason(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    for line in lines:
        if "FATAL" in line or "ERROR" in line or "NOT SERVING" in line:
            return line.split("] ", 1)[-1].strip()
    return lines[-1].strip() if lines else "no output"


def stop(node: Node, timeout: float = 60.0) -> bool:
    """Stop a searchd (its RAM chunks saved); False when it was not running."""
    pid = node.pid()
    if pid is None:
        return False
    subprocess.run([SEARCHD, "--config", str(node.config), "--stopwait"], capture_output=True, text=True,
                   timeout=timeout)
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
    return True


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def articles(node: Node, indexes: list[str]) -> dict[str, int]:
    """How many articles each of a searchd's shards holds; SearchkitError when it does not answer."""
    from .connection import Address, connect

    connection = connect(Address("127.0.0.1", node.sql_port), multi=True)
    try:
        held = {}
        with connection.cursor() as cursor:
            for index in indexes:
                cursor.execute(f"SELECT id FROM {index} LIMIT 1; SHOW META")
                cursor.nextset()
                held[index] = int(dict(cursor.fetchall()).get("total_found", 0))
        return held
    finally:
        connection.close()
