"""The ``searchkit`` command: argument parsing and rendering over the library API, nothing more.

Exit codes: 0 done (files that could not be read are reported on stderr), 1 the command failed
(no index, nothing to index, nothing readable, no such article, no such page), 2 a usage error
or a query that cannot be read.

Styles (bold, colour) and the histogram's Unicode blocks go only to a terminal, and not under
``NO_COLOR`` or ``TERM=dumb``, which get plain text and ASCII bars without any escape code.
"""

from __future__ import annotations

import csv
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import orjson
import typer

from .archive import Archive
from .cluster_cli import cluster
from .errors import Interrupted, QueryError, ReadError, SearchkitError
from .fields import DATE_FACETS
from .model import Article
from .results import FilterCount, Hit, SearchResults, Snippet, Stats
from .wording import counted

app = typer.Typer(
    help="Index folders of news articles and search them.",
    epilog="Tab completion of commands and options: searchkit --install-completion (bash, zsh, fish, PowerShell).",
    no_args_is_help=True,
    add_completion=True,  # 0.2 ms of start-up: typer imports its completion modules either way
    pretty_exceptions_enable=False,
)
app.add_typer(cluster, name="cluster")

IndexOption = Annotated[
    Optional[Path],
    typer.Option("--index", "-i", help="Index folder (default: $SEARCHKIT_INDEX, else the nearest indexes/main in this folder or above).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON output (JSON Lines for many records).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="CSV output, one row per hit.")]
ColumnsOption = Annotated[
    Optional[str],
    typer.Option(help="Which CSV/TSV columns fill which fields, e.g. body=text,title=headline.", show_default=False),
]


def _filter(kept: str) -> object:
    """The type of a repeatable filter option such as ``--tag``."""
    return Annotated[Optional[list[str]], typer.Option(
        help=f"Only articles {kept}; exact, case aside; repeat for any of several.", show_default=False)]


TagFilter = _filter("with this tag")
AuthorFilter = _filter("by this author")
SectionFilter = _filter("in this section")
SourceFilter = _filter("from this source (the publication)")
PlaceFilter = _filter("about this place (Reuters' PLACES, a JSON record's places)")
PersonFilter = _filter("about this person (Reuters' PEOPLE, a JSON record's people)")
OrgFilter = _filter("about this organisation (Reuters' ORGS, a JSON record's orgs)")
ExchangeFilter = _filter("about this stock exchange (Reuters' EXCHANGES, a JSON record's exchanges)")
LangFilter = _filter("in this language (ISO 639-1 code, e.g. en)")

# Control characters (C0 but tab and newline, DEL, C1) and the bidirectional controls that can
# make text read in another order than it is stored ("Trojan Source": U+061C, U+200E, U+200F,
# U+202A-U+202E, U+2066-U+2069).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same, and the line and paragraph separators, as orjson writes them (raw UTF-8): JSON output
# carries them as \u escapes instead, the same data without the raw characters.
_UNSAFE_JSON = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]")
# A spreadsheet runs a cell starting with these as a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
HISTOGRAM_COLUMNS = 50  # the longest bar: a line of a day's bar (2 + 10 + 1 + 50 + 1 + its count) fits in 80
SHOWN_GAP = 3  # empty date buckets shown as such between two others; more are summed up in a line
_DATE_UNITS = {4: "year", 7: "month", 10: "day"}  # by the length of a date bucket's label
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


def _one_output(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise QueryError("--json and --csv: give one or the other")


def _show_version(wanted: bool) -> None:
    if wanted:
        from importlib.metadata import version  # only when asked: it costs start-up time

        typer.echo(f"searchkit {version('searchkit')}")
        raise typer.Exit()


@app.callback()
def _options_of_every_command(
    context: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    if _plain_requested():
        context.color = False  # every echo, the progress bar's included, strips escape codes


@app.command()
def index(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to index.", show_default=False)],
    index_dir: IndexOption = None,
    prune: Annotated[bool, typer.Option("--prune", help="Remove the articles of files that are gone from PATHS.")] = False,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Processes that parse and write (default: one per core).", show_default=False)] = None,
    wait: Annotated[float, typer.Option(min=0, help="Seconds to wait for another indexing run to finish.")] = 0.0,
    commit_every: Annotated[Optional[int], typer.Option(min=1, help="Commit after this many articles, or 32 MB of them, whichever comes first (a crash costs at most one batch; default: 50000).", show_default=False)] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Every file that could not be read on a line of its "
                                          "own (not files that failed alike in one), with every reason, not only the "
                                          "first; and the files still bad since an earlier run.")] = False,
    columns: ColumnsOption = None,
    engine: Annotated[Optional[str], typer.Option(help="Engine of a new index: whoosh, or a cluster address, sphinxql://HOST:PORT (or .../ARCHIVE), default $SEARCHKIT_ENGINE, else whoosh; an existing index keeps its own.", show_default=False)] = None,
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
                stream = _WithoutEscapes(sys.stderr) if _plain_requested() else sys.stderr
                bar = stack.enter_context(
                    typer.progressbar(length=total, label="Indexing", file=stream, show_pos=True,
                                      hidden=not sys.stderr.isatty())
                )
            rate = (report.added + report.updated) / max(time.monotonic() - started, 1e-6)
            bar.label = f"Indexing ({rate:,.0f} articles/s)"
            bar.update(1)

        try:
            report = Archive(index_dir, engine=engine).index(paths, progress=progress, prune=prune, workers=workers, wait=wait,
                                              on_wait=_warn, commit_every=commit_every, columns=mapping)
        except Interrupted as stop:
            stack.close()
            _warn(str(stop))
            raise typer.Exit(130) from None
        stack.close()
        for path, reason in report.passed_over:
            _warn(f"passed over {path}: {reason}")
        for line in report.problem_lines(verbose):
            _warn(line)
        typer.echo(report.summary())
        if report.errors and report.added + report.updated + report.unchanged == 0:
            raise _Failure("no articles could be read from the given paths")


@app.command()
def query(
    text: Annotated[str, typer.Argument(metavar="TEXT", help='Query: words, "phrases", field:word, date:2017-03, AND/OR/NOT, -word.', show_default=False)],
    index_dir: IndexOption = None,
    tag: TagFilter = None,
    author: AuthorFilter = None,
    section: SectionFilter = None,
    source: SourceFilter = None,
    place: PlaceFilter = None,
    person: PersonFilter = None,
    org: OrgFilter = None,
    exchange: ExchangeFilter = None,
    lang: LangFilter = None,
    since: Annotated[Optional[str], typer.Option(help="Only articles published on or after this date (YYYY[-MM[-DD]]).", show_default=False)] = None,
    until: Annotated[Optional[str], typer.Option(help="Only articles published on or before this date (YYYY[-MM[-DD]]).", show_default=False)] = None,
    facet: Annotated[Optional[list[str]], typer.Option("--facet", "-f", help="Count hits by tag, author, section, source, place, person, org, exchange, lang; by year, month or day published, or by day crawled (every bucket, in time order, drawn as a histogram). With --csv or --all, the counts are the output: one table of facet, value, count.", show_default=False)] = None,
    facet_limit: Annotated[int, typer.Option(min=1, help="How many values of each facet to show (--all: every value).")] = 10,
    sort: Annotated[Sort, typer.Option(help="Order of the hits.")] = Sort.relevance,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Hits per page (default 10).", show_default=False)] = None,
    page: Annotated[Optional[int], typer.Option(min=1, help="Page of hits to show (default 1).", show_default=False)] = None,
    every: Annotated[bool, typer.Option("--all", help="Stream every hit (JSON Lines, or CSV with --csv); with --facet, every value of each facet.")] = False,
    expand_duplicates: Annotated[bool, typer.Option("--expand-duplicates", help="Show every syndicated copy, not one per story.")] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Search the index: ranked hits with snippets, best first; filters narrow, facets count."""
    chosen = (("tag", tag), ("author", author), ("section", section), ("source", source), ("place", place),
              ("person", person), ("org", org), ("exchange", exchange), ("lang", lang))
    options = dict(filters={name: values for name, values in chosen if values}, since=since, until=until,
                   sort=sort.value, expand_duplicates=expand_duplicates)
    with _user_errors():
        _one_output(as_json, as_csv)
        if every and (limit or page):
            raise QueryError("--all writes every hit: --limit and --page choose a page of hits; give one or the other")
    limit, page = limit or 10, page or 1
    with _user_errors(), Archive(index_dir) as archive:
        if facet and (every or as_csv):  # the facet counts are the table
            counts = archive.search(text, **options, limit=1, snippets=False, facets=facet,
                                    facet_limit=sys.maxsize if every else facet_limit)
            _write_facet_csv(counts) if as_csv else _write_json_lines(_facet_rows(counts))
            return
        if every:
            hits = archive.stream(text, **options)
            _write_csv(hits) if as_csv else _write_json_lines(hit.to_dict() for hit in hits)
            return
        results = archive.search(text, **options, limit=limit, page=page, facets=facet or (), facet_limit=facet_limit)
        for warning in results.warnings:
            _warn(warning)
        if results.total and not results.hits:
            raise _Failure(f"no page {page} (the last is {results.pages})")
    if as_json:
        _print_json(results.to_dict())
    elif as_csv:
        _write_csv(results.hits, first=results.first)
    else:
        _render_results(results)


@app.command()
def similar(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="The id of an indexed article.", show_default=False)],
    index_dir: IndexOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many stories.")] = 10,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Stories like the article with this id."""
    with _user_errors():
        _one_output(as_json, as_csv)
    with _user_errors(), Archive(index_dir) as archive:
        results = archive.similar(article_id, limit=limit)
    if as_json:
        _print_json(results.to_dict())
    elif as_csv:
        _write_csv(results.hits)
    else:
        _render_results(results)


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
    if _plain_requested():
        app.rich_markup_mode = None  # Rich styles help and usage errors even under NO_COLOR
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()


def _plain_requested() -> bool:
    """NO_COLOR (set, not empty) or TERM=dumb: no escape codes, no Unicode bars."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def _decorated() -> bool:
    """Whether standard output may be styled: a terminal, and plain output not requested."""
    return sys.stdout.isatty() and not _plain_requested()


class _WithoutEscapes:
    """A text stream that drops escape sequences: click's progress bar writes its cursor codes
    directly, past the colour setting."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(_ESCAPES.sub("", text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


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
    """A CSV cell of text: harmless for a terminal, and never read as a formula by a spreadsheet."""
    return _no_formula(_safe(value))


def _no_formula(value: str) -> str:
    """A cell a spreadsheet will not read as a formula (a leading ``'``, as OWASP advises)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _write_csv(hits: Iterable[Hit], first: int = 1) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(_CSV_COLUMNS)
    for rank, hit in enumerate(hits, start=first):
        snippet = hit.snippet
        cells = [hit.id, hit.published or "", hit.title, hit.source or "", hit.section or "", "; ".join(hit.authors),
                 "; ".join(hit.tags), hit.url or "", snippet.field if snippet else "", snippet.text if snippet else ""]
        if _UNSAFE.search("".join(cells)):  # (one search a row: most rows have nothing to remove)
            cells = [_safe(cell) for cell in cells]
        cells = [_no_formula(cell) for cell in cells]
        writer.writerow([rank, cells[0], round(hit.score, 4) if hit.score is not None else None, *cells[1:]])


def _render_results(results: SearchResults) -> None:
    if results.suggestion:
        typer.echo(f'Did you mean: {_safe(results.suggestion)}\n')
    if not results.total:
        typer.echo(_nothing_found(results))
        return
    typer.echo(f"{_heading(results)}\n")
    for number, hit in enumerate(results.hits, start=results.first):
        _render_hit(number, hit)
    for name, counts in results.facets.items():
        if name in DATE_FACETS and counts:
            typer.echo(f"{name}:")
            for line in _histogram(counts, fancy=_decorated()):
                typer.echo(f"  {line}")
            continue
        values = " · ".join(f"{item['value']} ({item['count']})" for item in counts) or "(none)"
        typer.echo(f"{name}: {_safe(values)}")


def _histogram(counts: list[dict], fancy: bool) -> list[str]:
    """A date facet's buckets (years, months or days, told by their length) as bars, one line
    each, within 80 columns: Unicode blocks in eighths when ``fancy``, else ``#``; a gap of a few
    empty buckets shows them, a longer one is one line saying how many."""
    peak = max(item["count"] for item in counts)
    width = max(len(item["value"]) for item in counts)
    unit = _DATE_UNITS.get(width, "bucket")
    lines, previous = [], None
    for item in counts:
        missing = _buckets_between(previous, item["value"]) if previous else 0
        if missing > SHOWN_GAP:
            lines.append(f"{' ' * width} {'⋮' if fancy else '...'} {missing:,} {unit}s without hits")
        else:
            lines += [f"{_bucket_after(previous, n + 1):<{width}} 0" for n in range(missing)]
        bar = _bar(item["count"] / peak * HISTOGRAM_COLUMNS, fancy)
        lines.append(f"{_safe(item['value']):<{width}} {bar} {item['count']:,}")
        previous = item["value"]
    return lines


def _bar(length: float, fancy: bool) -> str:
    """A bar ``length`` columns long (at least a sliver, for a bucket that is not empty)."""
    if not fancy:
        return "#" * max(1, round(length))
    eighths = max(1, round(length * 8))
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


def _buckets_between(earlier: str, later: str) -> int:
    """How many date buckets (years ``YYYY``, months ``YYYY-MM`` or days) lie strictly between two."""
    try:
        if len(earlier) == len(later) == 4:
            return int(later) - int(earlier) - 1
        if len(earlier) == len(later) == 7:
            (y1, m1), (y2, m2) = (map(int, value.split("-")) for value in (earlier, later))
            return (y2 * 12 + m2) - (y1 * 12 + m1) - 1
        return (date.fromisoformat(later) - date.fromisoformat(earlier)).days - 1
    except ValueError:  # not a date bucket: no gap is drawn
        return 0


def _bucket_after(bucket: str, steps: int) -> str:
    """The date bucket ``steps`` years, months or days after ``bucket``."""
    if len(bucket) == 4:
        return str(int(bucket) + steps)
    if len(bucket) == 7:
        year, month = map(int, bucket.split("-"))
        year, month = divmod(year * 12 + month - 1 + steps, 12)
        return f"{year:04d}-{month + 1:02d}"
    return (date.fromisoformat(bucket) + timedelta(days=steps)).isoformat()


def _heading(results: SearchResults) -> str:
    """What the list holds: its ranks against the articles matched (stories when near duplicates
    were folded, and how many there are when every hit was grouped)."""
    query = f'"{_safe(results.query)}"'
    articles = f"{counted(results.total, 'article matches', 'articles match')} {query}"
    last = results.first + len(results.hits) - 1
    span = f"{results.first:,}" if last == results.first else f"{results.first:,}-{last:,}"
    whole = results.page == 1 and not results.more
    if results.stories == results.total:  # nothing folded: the list is the articles
        return articles if whole else f"{span} of {articles}"
    if results.stories is None:
        return f"stories {span} · {articles}"
    stories = counted(results.stories, "story", "stories")
    return f"{stories} · {articles}" if whole else f"stories {span} of {results.stories:,} · {articles}"


def _nothing_found(results: SearchResults) -> str:
    """Why a search found nothing: the query, or (when it has hits) the filters that left none."""
    query = f'"{_safe(results.query)}"'
    if not results.unfiltered:
        return f"No articles match {query}."
    found = f"{counted(results.unfiltered, 'article matches', 'articles match')} {query}"
    emptied = [count for count in results.filter_counts if not count.total]
    if emptied:
        return f"{found}; " + ", ".join(f"none {_kept_by(count)}" for count in emptied) + "."
    each = ", ".join(f"{count.total:,} {_kept_by(count)}" for count in results.filter_counts)
    return f"{found}; {each}; none with all of these filters together."


def _kept_by(count: FilterCount) -> str:
    """A filter in words: 'with source Sputnik or AP', 'published since 2017-01', 'in language de'."""
    values = _safe(" or ".join(count.values))
    if count.filter in ("since", "until"):
        return f"published {count.filter} {values}"
    if count.filter == "lang":
        return f"in language {values}"
    return f"with {count.filter} {values}"


def _facet_rows(results: SearchResults) -> Iterator[dict]:
    """Facet counts as rows of one table: facet, value, count."""
    for name, counts in results.facets.items():
        for item in counts:
            yield {"facet": name, "value": item["value"], "count": item["count"]}


def _write_facet_csv(results: SearchResults) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(["facet", "value", "count"])
    for row in _facet_rows(results):
        writer.writerow([row["facet"], _cell(row["value"]), row["count"]])


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
    """The snippet with its matched words in bold (or **marked** when styles are off)."""
    color = _decorated()
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
        ("body", f"{counted(len(article.body), 'character')} in {counted(paragraphs, 'paragraph')}"),
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
        typer.echo(f"top {name + 's:':<9}{_safe(values)}" if name != "lang" else f"languages: {_safe(values)}")


if __name__ == "__main__":
    main()
