"""The ``searchkit`` command: argument parsing and rendering over the library API, nothing more.

Exit codes: 0 done (files that could not be read are reported on stderr), 1 the command failed
(no index, nothing to index, nothing readable), 2 a usage error or a query that cannot be read.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Optional

import orjson
import typer

from .archive import Archive
from .errors import QueryError, ReadError, SearchkitError
from .model import Article
from .readers import RecordError, read_file
from .results import Hit, SearchResults, Snippet

app = typer.Typer(
    help="Index folders of news articles and search them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

IndexOption = Annotated[
    Optional[Path],
    typer.Option("--index", "-i", help="Index folder [default: $SEARCHKIT_INDEX or indexes/main]", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a readable listing.")]

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _Failure(SearchkitError):
    """The command as a whole failed."""


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn a user's error into one line on stderr and the documented exit code."""
    try:
        yield
    except QueryError as error:
        _warn(str(error))
        raise typer.Exit(2) from None
    except SearchkitError as error:
        _warn(str(error))
        raise typer.Exit(1) from None


@app.command()
def index(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to index.", show_default=False)],
    index_dir: IndexOption = None,
) -> None:
    """Index every supported file under PATHS; a re-run only redoes what changed."""
    bar = None
    with _user_errors(), ExitStack() as stack:

        def progress(done: int, total: int, path: Path) -> None:
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(
                    typer.progressbar(
                        length=total, label="Indexing", file=sys.stderr, show_pos=True, hidden=not sys.stderr.isatty()
                    )
                )
            bar.update(1)

        report = Archive(index_dir).index(paths, progress=progress)
        stack.close()
        for path, reason in report.errors:
            _warn(f"skipped {path}: {reason}")
        typer.echo(report.summary())
        if report.errors and report.added + report.updated + report.unchanged == 0:
            raise _Failure("no articles could be read from the given paths")


@app.command()
def query(
    text: Annotated[str, typer.Argument(help='Query: words, "phrases", field:word, AND/OR/NOT, -word.', show_default=False)],
    index_dir: IndexOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Hits per page.")] = 10,
    page: Annotated[int, typer.Option("--page", min=1, help="Page of hits to show.")] = 1,
    as_json: JsonOption = False,
) -> None:
    """Search the index: ranked hits with snippets, best first."""
    with _user_errors(), Archive(index_dir) as archive:
        results = archive.search(text, limit=limit, page=page)
    if as_json:
        _print_json(results.to_dict())
    else:
        _render_results(results, page, limit)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="Files to read.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Show the articles extracted from FILES (JSON Lines with --json, one record per line)."""
    read_any = False
    with _user_errors():
        for path in files:
            try:
                for item in read_file(path):
                    if isinstance(item, RecordError):
                        _warn(f"skipped part of {path}: {item}")
                        continue
                    read_any = True
                    if as_json:
                        _print_json(item.to_dict())
                    else:
                        _render_article(item)
            except ReadError as error:
                _warn(f"skipped {path}: {error}")
        if not read_any:
            raise _Failure("no articles could be read")


def main() -> None:
    """Entry point of the ``searchkit`` command."""
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()


def _warn(message: str) -> None:
    typer.echo(f"searchkit: {_safe(message)}", err=True)


def _safe(text: str) -> str:
    """Text from pages, made harmless for a terminal (no control characters or escape sequences)."""
    return _UNSAFE.sub("", text)


def _print_json(data: dict) -> None:
    sys.stdout.buffer.write(orjson.dumps(data) + b"\n")
    sys.stdout.flush()


def _render_results(results: SearchResults, page: int, limit: int) -> None:
    if not results.total:
        typer.echo(f'No articles match "{_safe(results.query)}".')
        return
    first = (page - 1) * limit + 1
    shown = f"{first}-{first + len(results.hits) - 1} of " if results.total > len(results.hits) else ""
    noun = "article matches" if results.total == 1 else "articles match"
    typer.echo(f'{shown}{results.total} {noun} "{_safe(results.query)}"\n')
    for number, hit in enumerate(results.hits, start=first):
        _render_hit(number, hit)


def _render_hit(number: int, hit: Hit) -> None:
    typer.echo(typer.style(f"{number:>3}. {_safe(hit.title) or '(untitled)'}", bold=True))
    facts = [hit.published[:10] if hit.published else "undated"]
    facts += [value for value in (hit.source, hit.section, ", ".join(hit.authors)) if value]
    facts.append(f"id {hit.id}")
    typer.echo("     " + _safe(" · ".join(facts)))
    if hit.tags:
        typer.echo("     tags: " + _safe(", ".join(hit.tags)))
    if hit.snippet:
        typer.echo(f"     {hit.snippet.field}: " + _emphasise(hit.snippet))
    typer.echo()


def _emphasise(snippet: Snippet) -> str:
    """The snippet with its matched words in bold (or **marked** when not writing to a terminal)."""
    color = sys.stdout.isatty()
    parts, cursor = [], 0
    for start, end in snippet.highlights:
        word = _safe(snippet.text[start:end])
        parts.append(_safe(snippet.text[cursor:start]))
        parts.append(typer.style(word, bold=True, fg="yellow") if color else f"**{word}**")
        cursor = end
    parts.append(_safe(snippet.text[cursor:]))
    return "".join(parts)


def _render_article(article: Article) -> None:
    paragraphs = article.body.count("\n\n") + 1 if article.body else 0
    rows = [
        ("title", article.title),
        ("published", article.published or ""),
        ("authors", ", ".join(article.authors)),
        ("section", article.section or ""),
        ("source", article.source or ""),
        ("url", article.url or ""),
        ("tags", ", ".join(article.tags)),
        ("body", f"{len(article.body):,} characters in {paragraphs} paragraphs"),
        ("related", f"{len(article.related_headlines)} headlines"),
        ("captions", f"{len(article.image_captions)}"),
        ("comments", f"{len(article.comments)}"),
        ("id", article.id),
    ]
    typer.echo(typer.style(_safe(article.path), bold=True))
    for name, value in rows:
        if value:
            typer.echo(f"  {name:<10} {_safe(value)}")
    typer.echo()


if __name__ == "__main__":
    main()
