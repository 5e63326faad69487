"""The ``searchkit`` command: argument parsing and rendering over the library API, nothing more.

Exit codes: 0 done (files that could not be read are reported on stderr), 1 the command failed
(no index, nothing to index, nothing readable, no such article), 2 a usage error or a query that
cannot be read.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import orjson
import typer

from .archive import Archive
from .errors import Interrupted, QueryError, ReadError, SearchkitError
from .model import Article
from .results import Hit, SearchResults, Snippet, Stats

app = typer.Typer(
    help="Index folders of news articles and search them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

IndexOption = Annotated[
    Optional[Path],
    typer.Option("--index", "-i", help="Index folder [default: $SEARCHKIT_INDEX, else the nearest indexes/main in this folder or above]", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON output (JSON Lines for many records).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="CSV output, one row per hit.")]
Values = Annotated[Optional[list[str]], typer.Option(show_default=False)]
ColumnsOption = Annotated[
    Optional[str],
    typer.Option(help="Which CSV/TSV columns fill which fields, e.g. body=text,title=headline.", show_default=False),
]

# Control characters (C0 but tab and newline, DEL, C1) and the bidirectional controls that can
# make text read in another order than it is stored ("Trojan Source": U+061C, U+200E, U+200F,
# U+202A-U+202E, U+2066-U+2069).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same, and the line and paragraph separators, as orjson writes them (raw UTF-8): JSON output
# carries them as \u escapes instead, the same data without the raw characters.
_UNSAFE_JSON = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]")
# A spreadsheet runs a cell starting with these as a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_COLUMNS = ["rank", "id", "score", "published", "title", "source", "section", "authors", "tags", "url",
                "snippet_field", "snippet"]


class Sort(str, Enum):
    relevance = "relevance"
    newest = "newest"
    oldest = "oldest"


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
    prune: Annotated[bool, typer.Option("--prune", help="Remove the articles of files that are gone from PATHS.")] = False,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Processes that parse and write [default: one per core].", show_default=False)] = None,
    wait: Annotated[float, typer.Option(min=0, help="Seconds to wait for another indexing run to finish.")] = 0.0,
    commit_every: Annotated[Optional[int], typer.Option(min=1, help="Commit after this many articles, or 32 MB of them, whichever comes first (a crash costs at most one batch). [default: 50000]", show_default=False)] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Every reason a file could not be read, not only the first.")] = False,
    columns: ColumnsOption = None,
) -> None:
    """Index every supported file under PATHS; a re-run only redoes what changed."""
    from .readers import ReadOptions

    try:
        mapping = ReadOptions.parse_columns(columns or "").columns
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--columns") from None
    started = time.monotonic()
    with _user_errors(), ExitStack() as stack:
        bar = None

        def progress(done: int, total: int, report) -> None:
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(
                    typer.progressbar(length=total, label="Indexing", file=sys.stderr, show_pos=True,
                                      hidden=not sys.stderr.isatty())
                )
            rate = (report.added + report.updated) / max(time.monotonic() - started, 1e-6)
            bar.label = f"Indexing ({rate:,.0f} articles/s)"
            bar.update(1)

        try:
            report = Archive(index_dir).index(paths, progress=progress, prune=prune, workers=workers, wait=wait,
                                              on_wait=_warn, commit_every=commit_every, columns=mapping)
        except Interrupted as stop:
            stack.close()
            _warn(str(stop))
            raise typer.Exit(130) from None
        stack.close()
        for path, reason in report.passed_over:
            _warn(f"passed over {path}: {reason}")
        for problem in report.errors:
            _warn(_problem(problem, verbose))
        typer.echo(report.summary())
        if report.errors and report.added + report.updated + report.unchanged == 0:
            raise _Failure("no articles could be read from the given paths")


@app.command()
def query(
    text: Annotated[str, typer.Argument(help='Query: words, "phrases", field:word, date:2017-03, AND/OR/NOT, -word.', show_default=False)],
    index_dir: IndexOption = None,
    tag: Values = None,
    author: Values = None,
    section: Values = None,
    source: Values = None,
    place: Values = None,
    since: Annotated[Optional[str], typer.Option(help="Only articles published on or after this date (YYYY[-MM[-DD]]).", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option(help="Only articles published on or before this date (YYYY[-MM[-DD]]).", show_default=False)] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only articles in this language (ISO 639-1).", show_default=False)] = None,
    facet: Annotated[Optional[list[str]], typer.Option("--facet", "-f", help="Count hits by tag, author, section, source, place, person, org, exchange, lang; by year, month or day published, or by day crawled (every bucket, in time order).", show_default=False)] = None,
    facet_limit: Annotated[int, typer.Option(min=1, help="How many values of each facet to show.")] = 10,
    sort: Annotated[Sort, typer.Option(help="Order of the hits.")] = Sort.relevance,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Hits per page.")] = 10,
    page: Annotated[int, typer.Option(min=1, help="Page of hits to show.")] = 1,
    every: Annotated[bool, typer.Option("--all", help="Stream every hit (JSON Lines, or CSV with --csv).")] = False,
    expand_duplicates: Annotated[bool, typer.Option("--expand-duplicates", help="Show every syndicated copy, not one per story.")] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Search the index: ranked hits with snippets, best first; filters narrow, facets count."""
    filters = {name: values for name, values in
               (("tag", tag), ("author", author), ("section", section), ("source", source), ("place", place)) if values}
    options = dict(filters=filters, since=since, until=until, lang=lang, sort=sort.value,
                   expand_duplicates=expand_duplicates)
    with _user_errors(), Archive(index_dir) as archive:
        if every:
            hits = archive.stream(text, **options)
            _write_csv(hits) if as_csv else _write_json_lines(hit.to_dict() for hit in hits)
            return
        results = archive.search(text, **options, limit=limit, page=page, facets=facet or (), facet_limit=facet_limit)
    if as_json:
        _print_json(results.to_dict())
    elif as_csv:
        _write_csv(results.hits, first=(page - 1) * limit + 1)
    else:
        _render_results(results, page, limit)


@app.command()
def similar(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="The id of an indexed article.", show_default=False)],
    index_dir: IndexOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many stories.")] = 10,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Stories like the article with this id."""
    with _user_errors(), Archive(index_dir) as archive:
        results = archive.similar(article_id, limit=limit)
    if as_json:
        _print_json(results.to_dict())
    elif as_csv:
        _write_csv(results.hits)
    else:
        _render_results(results, 1, limit)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="The id of an indexed article.", show_default=False)],
    index_dir: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """The whole stored record of one article, comments included."""
    with _user_errors(), Archive(index_dir) as archive:
        article = archive.get(article_id)
    if as_json:
        _print_json(article.to_dict())
    else:
        _render_full_article(article)


@app.command()
def stats(
    index_dir: IndexOption = None,
    top: Annotated[int, typer.Option(min=1, help="How many of the most common tags, sources and authors.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """What the index holds: articles, date span, top tags, sources and authors, size on disk."""
    with _user_errors(), Archive(index_dir) as archive:
        summary = archive.stats(top=top)
    if as_json:
        _print_json(summary.to_dict())
    else:
        _render_stats(summary)


@app.command()
def check(index_dir: IndexOption = None) -> None:
    """Read every file of the index and check it against what was written (exit 1 when damaged)."""
    with _user_errors(), Archive(index_dir) as archive:
        checked = archive.check()
        articles = len(archive)
    typer.echo(f"the index at {_line(str(archive.path))} is sound: {articles:,} articles, "
               f"{checked / 1_000_000:.1f} MB checked")


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="Files to read.", show_default=False)],
    as_json: JsonOption = False,
    columns: ColumnsOption = None,
) -> None:
    """Show the articles extracted from FILES (JSON Lines with --json, one record per line)."""
    from .ingest.walk import record_path
    from .readers import ReadOptions, RecordError, Skipped, read_file  # only this command reads files

    try:
        options = ReadOptions.parse_columns(columns or "")
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--columns") from None
    read_any = False
    with _user_errors():
        for path in files:
            try:
                for item in read_file(path, options, record_path=record_path(str(path))):
                    if isinstance(item, Skipped):
                        continue
                    if isinstance(item, RecordError):
                        _warn(f"skipped part of {path}: {item}")
                        continue
                    read_any = True
                    if as_json:
                        _print_json(item.to_dict())
                    else:
                        _render_summary(item)
            except ReadError as error:
                _warn(f"skipped {path}: {error}")
        if not read_any:
            raise _Failure("no articles could be read")


@app.command()
def serve(
    index_dir: IndexOption = None,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free one).")] = 8000,
    host: Annotated[str, typer.Option(help="Address to listen on; the default lets only this machine connect.")] = "127.0.0.1",
) -> None:
    """Search the index from a browser: a local web page with facets, a timeline and exports (read-only)."""
    from .web import serve as run  # the web stack loads for this command only

    with _user_errors():
        run(index_dir, host=host, port=port, say=typer.echo)


def main() -> None:
    """Entry point of the ``searchkit`` command."""
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()


def _problem(problem, verbose: bool) -> str:
    """One line for a file that could not be read, whole or in part."""
    if problem.whole:
        return f"skipped {problem.path}: {problem.reasons[0]}"
    reasons = problem.reasons if verbose else problem.reasons[:1]
    more = len(problem.reasons) - len(reasons)
    tail = f" (and {more} more: --verbose lists them)" if more else ""
    return f"skipped {len(problem.reasons)} records of {problem.path}: {'; '.join(reasons)}{tail}"


def _warn(message: str) -> None:
    typer.echo(f"searchkit: {_line(message)}", err=True)


def _safe(text: str) -> str:
    """Text from pages, made harmless for a terminal (no control characters, escape sequences or
    bidirectional controls)."""
    return _UNSAFE.sub("", text)


def _line(text: str) -> str:
    """Text that must stay on one line (a message, a file name), made harmless: a newline in it
    is shown as ``\\n`` rather than starting a line of its own."""
    return _safe(text).replace("\n", "\\n")


def _json(data: dict) -> bytes:
    return _UNSAFE_JSON.sub(lambda found: b"\\u%04x" % ord(found.group().decode()), orjson.dumps(data)) + b"\n"


def _print_json(data: dict) -> None:
    sys.stdout.buffer.write(_json(data))
    sys.stdout.flush()


def _write_json_lines(records: Iterable[dict]) -> None:
    for record in records:
        sys.stdout.buffer.write(_json(record))
    sys.stdout.flush()


def _cell(value: str) -> str:
    """A CSV cell of text: harmless for a terminal, and never read as a formula by a spreadsheet
    (a leading ``'``, as OWASP advises)."""
    value = _safe(value)
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _write_csv(hits: Iterable[Hit], first: int = 1) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(_CSV_COLUMNS)
    for rank, hit in enumerate(hits, start=first):
        row = hit.to_dict()
        writer.writerow(
            [rank, _cell(row["id"]), row["score"]]
            + [_cell(text) for text in (row["published"] or "", row["title"], row["source"] or "", row["section"] or "",
                                        "; ".join(row["authors"]), "; ".join(row["tags"]), row["url"] or "",
                                        row["snippet_field"] or "", row["snippet"])]
        )


def _render_results(results: SearchResults, page: int, limit: int) -> None:
    if results.suggestion:
        typer.echo(f'Did you mean: {_safe(results.suggestion)}\n')
    if not results.total:
        typer.echo(f'No articles match "{_safe(results.query)}".')
        return
    first = (page - 1) * limit + 1
    shown = f"{first}-{first + len(results.hits) - 1} of " if results.total > len(results.hits) else ""
    noun = "article matches" if results.total == 1 else "articles match"
    typer.echo(f'{shown}{results.total} {noun} "{_safe(results.query)}"\n')
    for number, hit in enumerate(results.hits, start=first):
        _render_hit(number, hit)
    for name, counts in results.facets.items():
        values = " · ".join(f"{item['value']} ({item['count']})" for item in counts) or "(none)"
        typer.echo(f"{name}: {_safe(values)}")


def _render_hit(number: int, hit: Hit) -> None:
    typer.echo(typer.style(f"{number:>3}. {_safe(hit.title) or '(untitled)'}", bold=True))
    facts = [hit.published[:10] if hit.published else "undated"]
    facts += [value for value in (hit.source, hit.section, ", ".join(hit.authors)) if value]
    facts.append(f"id {hit.id}")
    if hit.duplicates:
        facts.append(f"{hit.duplicates} similar")
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


def _render_summary(article: Article) -> None:
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
    typer.echo(typer.style(_line(article.path), bold=True))
    for name, value in rows:
        if value:
            typer.echo(f"  {name:<10} {_safe(value)}")
    typer.echo()


def _render_full_article(article: Article) -> None:
    typer.echo(typer.style(_safe(article.title) or "(untitled)", bold=True))
    facts = [article.published or "undated", article.source or "", article.section or "", ", ".join(article.authors)]
    typer.echo(_safe(" · ".join(fact for fact in facts if fact)))
    for label, value in (("url", article.url), ("tags", ", ".join(article.tags)), ("file", article.path), ("id", article.id)):
        if value:
            typer.echo(f"{label}: {_line(value)}")
    for caption in article.image_captions:
        typer.echo(f"[image] {_safe(caption)}")
    typer.echo()
    typer.echo(_safe(article.body))
    if article.related_headlines:
        typer.echo("\nRelated:")
        for headline in article.related_headlines:
            typer.echo(f"  - {_safe(headline)}")
    if article.comments:
        typer.echo(f"\nComments ({len(article.comments)}):")
        for comment in article.comments:
            who = comment.author or "anonymous"
            if comment.reply_to:
                who += f" → {comment.reply_to}"
            if comment.published:
                who += f", {comment.published}"
            typer.echo(f"  {_safe(who)}: {_safe(comment.text)}")


def _render_stats(summary: Stats) -> None:
    typer.echo(f"index:     {_line(summary.path)} ({summary.size_bytes / 1_000_000:.1f} MB on disk)")
    typer.echo(f"articles:  {summary.articles:,}")
    if summary.first_published:
        typer.echo(f"published: {summary.first_published[:10]} to {summary.last_published[:10]}")
    for name, counts in summary.top.items():
        values = ", ".join(f"{item['value']} ({item['count']})" for item in counts) or "(none)"
        typer.echo(f"top {name + 's:':<9}{_safe(values)}")


if __name__ == "__main__":
    main()
