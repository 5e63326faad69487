"""Reaching a SphinxQL cluster: addresses, connections, the layout of an archive's shards, and
what the server can do.

An engine address is ``sphinxql://HOST:PORT[/ARCHIVE][?shards=HOST:PORT,...]``: the head searchd
(the one holding the distributed index) and the archive's name; without a name, the first archive
of the cluster no index folder has claimed. Writes go to each shard's own searchd (2.2 cannot
insert through a distributed index): its SphinxQL address is found from the distributed index's
agents, each searchd listening for SphinxQL one port below its API port (as ``searchkit cluster
init`` sets them up), unless ``shards=`` lists them in order.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pymysql
from pymysql.constants import CLIENT

from ...errors import SearchkitError

SCHEME = "sphinxql"
DEFAULT_PORT = 9306
CONNECT_TIMEOUT = 5


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Location:
    """Where an archive lives: the head, the archive's name (None: any unclaimed) and, when given,
    the SphinxQL addresses of its shards."""

    head: Address
    name: str | None
    shards: tuple[Address, ...] = ()


def parse_url(url: str) -> Location:
    """An engine address; SearchkitError when it cannot be read."""
    parts = urlsplit(url)
    if parts.scheme != SCHEME or not parts.hostname:
        raise SearchkitError(f"cannot read the engine address '{url}' (write sphinxql://HOST:PORT[/ARCHIVE])")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise SearchkitError(f"cannot read the port of '{url}'") from None
    name = parts.path.strip("/") or None
    if name is not None and not name.replace("_", "").isalnum():
        raise SearchkitError(f"'{name}' is not an archive name (letters, digits and _)")
    shards = tuple(_address(text) for value in parse_qs(parts.query).get("shards", []) for text in value.split(",") if text)
    return Location(Address(parts.hostname, port), name, shards)


def _address(text: str) -> Address:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise SearchkitError(f"cannot read the shard address '{text}' (write HOST:PORT)")
    return Address(host, int(port))


def connect(address: Address, multi: bool = False, timeout: float | None = None) -> pymysql.connections.Connection:
    """A SphinxQL connection; SearchkitError in one line when the server does not answer."""
    try:
        return pymysql.connect(host=address.host, port=address.port, user="", password="", charset="utf8mb4",
                               autocommit=True, connect_timeout=CONNECT_TIMEOUT, read_timeout=timeout,
                               write_timeout=timeout, client_flag=CLIENT.MULTI_STATEMENTS if multi else 0)
    except (pymysql.err.MySQLError, OSError, socket.error) as error:
        raise Unreachable(address, error) from None


class Unreachable(SearchkitError):
    """A server of the cluster does not answer."""

    def __init__(self, address: Address, error: BaseException) -> None:
        reason = error.args[1] if isinstance(error, pymysql.err.MySQLError) and len(error.args) > 1 else str(error)
        reason = str(reason).split(" (", 1)[-1].rstrip(")") if "Can't connect" in str(reason) else reason
        super().__init__(f"the sphinxql server at {address} does not answer ({reason})")
        self.address = address


def failed(address: Address, error: pymysql.err.MySQLError) -> SearchkitError:
    """A server's error as one line."""
    if isinstance(error, pymysql.err.OperationalError) and error.args and error.args[0] in (2003, 2006, 2013):
        return Unreachable(address, error)
    message = str(error.args[1] if len(error.args) > 1 else error).rstrip("\x00").splitlines()[0]
    return SearchkitError(f"the sphinxql server at {address} refused a request: {message}")


def shards_of(head: Address, name: str, connection) -> list[tuple[Address, str]]:
    """The (SphinxQL address, RT index) of each shard of an archive, in order, read from its
    distributed index (agents listen for SphinxQL one port below their API port)."""
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"DESCRIBE {name}")
        except pymysql.err.MySQLError as error:
            raise SearchkitError(f"the cluster at {head} has no archive '{name}' ({failed(head, error)})") from None
        rows = cursor.fetchall()
    found = []
    for agent, kind in rows:
        if kind == "local":
            found.append((head, agent))
        else:
            host, port, index = agent.rsplit(":", 2)
            found.append((Address(host, int(port) - 1), index))
    if not found:
        raise SearchkitError(f"'{name}' at {head} is not a distributed index of shards")
    return found
