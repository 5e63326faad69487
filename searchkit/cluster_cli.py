"""``searchkit cluster``: a Sphinx cluster of N shards on this machine, to try the sphinxql engine.

    searchkit cluster init 2 clusters/local     # searchd configurations and cluster.json
    searchkit cluster start clusters/local
    searchkit index corpus/ --engine sphinxql://127.0.0.1:9306
    searchkit cluster status clusters/local
    searchkit cluster stop clusters/local

The engine's modules are imported by the commands only: the rest of the CLI does not pay for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from .errors import SearchkitError

cluster = typer.Typer(help="Run a Sphinx cluster of N shards on this machine (the sphinxql engine).",
                      no_args_is_help=True)
Folder = Annotated[Path, typer.Argument(help="The cluster's folder.", show_default=False)]


@contextmanager
def _reported() -> Iterator[None]:
    """A SearchkitError as one line on stderr and exit code 1."""
    try:
        yield
    except SearchkitError as error:
        typer.echo(f"searchkit: {error}", err=True)
        raise typer.Exit(1) from None


@cluster.command()
def init(
    shards: Annotated[int, typer.Argument(min=1, help="How many shards (one searchd each).", show_default=False)],
    folder: Annotated[Path, typer.Argument(help="Where the cluster lives.")] = Path("cluster"),
    port: Annotated[int, typer.Option(min=0, help="SphinxQL port of the head; the shards use the next ones (2 each). 0: free ports.")] = 9306,
    archives: Annotated[int, typer.Option(min=1, help="Archives the cluster holds (Sphinx 2.2 cannot add them later).")] = 1,
) -> None:
    """Write searchd configurations for SHARDS local shards and a distributed index in FOLDER."""
    from .backends.sphinxql import servers

    with _reported():
        made = servers.init(folder, shards, archives=archives, port=port)
    typer.echo(f"{shards} shards in {folder}; start them with: searchkit cluster start {folder}")
    typer.echo(f"then index with: searchkit index FOLDER --engine {made.url}")


@cluster.command()
def start(folder: Folder) -> None:
    """Start the cluster's searchd processes and wait until they serve their indexes."""
    from .backends.sphinxql import servers

    with _reported():
        made = servers.load(folder)
        for node in made.nodes:
            servers.start(node)
            typer.echo(f"{node.folder.name}: serving on 127.0.0.1:{node.sql_port} (pid {node.pid()})")


@cluster.command()
def stop(folder: Folder) -> None:
    """Stop the cluster's searchd processes (each saves its data first)."""
    from .backends.sphinxql import servers

    with _reported():
        made = servers.load(folder)
    for node in reversed(made.nodes):
        typer.echo(f"{node.folder.name}: {'stopped' if servers.stop(node) else 'was not running'}")


@cluster.command()
def status(folder: Folder) -> None:
    """Whether each searchd answers, and how many articles each shard holds (exit 1 if one is down)."""
    from .backends.sphinxql import servers

    with _reported():
        made = servers.load(folder)
    down = 0
    for number, node in enumerate(made.nodes):
        try:
            held = servers.articles(node, [f"{name}_{number}" for name in made.archives])
            typer.echo(f"{node.folder.name}: up on 127.0.0.1:{node.sql_port}, "
                       + ", ".join(f"{index} holds {count:,} articles" for index, count in held.items()))
        except SearchkitError:
            typer.echo(f"{node.folder.name}: not answering on 127.0.0.1:{node.sql_port}")
            down += 1
    if down:
        raise typer.Exit(1)
