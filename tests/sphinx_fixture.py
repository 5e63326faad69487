"""A Sphinx cluster for the tests: 2 searchd processes on free loopback ports in a temporary folder,
started once per session (waiting until they serve their indexes) and stopped at its end.

The cluster declares ``ARCHIVES`` archives (Sphinx 2.2 cannot make indexes at run time); each index
folder a test makes claims a free one, and when the test ends the archives claimed under its
temporary folder are emptied (TRUNCATE RTINDEX) and released for the next tests. Measured: the
cluster starts in about 0.5 s, and emptying an archive takes a few milliseconds.

Without ``searchd`` the Sphinx runs of the behaviour tests are skipped, saying why, except in CI
(``CI`` or ``SEARCHKIT_REQUIRE_SPHINX`` set), where they fail.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pymysql
import pytest

from searchkit.backends.sphinxql import servers
from searchkit.backends.sphinxql.schema import hash63

SHARDS = 2
ARCHIVES = 16


def require_searchd() -> None:
    if shutil.which(servers.SEARCHD) is None:
        message = "searchd is not installed (Debian: apt-get install sphinxsearch)"
        if os.environ.get("CI") or os.environ.get("SEARCHKIT_REQUIRE_SPHINX"):
            pytest.fail(f"{message}, and CI or SEARCHKIT_REQUIRE_SPHINX requires the Sphinx tests")
        pytest.skip(message)


def start_cluster(folder: Path, shards: int = SHARDS, archives: int = ARCHIVES) -> servers.Cluster:
    cluster = servers.init(folder, shards, archives=archives, port=0)
    try:
        for node in cluster.nodes:
            servers.start(node)
    except BaseException:
        stop_cluster(cluster)
        raise
    return cluster


def stop_cluster(cluster: servers.Cluster) -> None:
    for node in cluster.nodes:
        servers.stop(node)


def sql(node: servers.Node, statement: str):
    connection = pymysql.connect(host="127.0.0.1", port=node.sql_port, user="", password="", autocommit=True)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall()
    finally:
        connection.close()


def release_archives(cluster: servers.Cluster, under: Path) -> None:
    """Empty and release the archives claimed by index folders under ``under`` (or gone)."""
    head = cluster.nodes[0]
    for name in cluster.archives:
        rows = sql(head, f"SELECT data FROM {name}_state WHERE id = {hash63('claim')}")
        if not rows:
            continue
        folder = Path(orjson.loads(rows[0][0])["folder"])
        if folder.is_relative_to(under.resolve()) or not folder.exists():
            for number, node in enumerate(cluster.nodes):
                sql(node, f"TRUNCATE RTINDEX {name}_{number}")
            sql(head, f"TRUNCATE RTINDEX {name}_words")
            sql(head, f"TRUNCATE RTINDEX {name}_state")
