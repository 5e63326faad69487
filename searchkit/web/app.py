"""The web application: a search page, an article page, exports and a JSON API, each a thin
layer over ``Archive``. Read-only: it never writes the index, and each request sees its last commit.

Every page is rendered by Jinja2 with autoescaping on, and every string from the index is cleaned
(``text.clean``) on its way into a page; the Content-Security-Policy allows scripts from this
server's own files only, so nothing in an article can run. No request parameter reaches the file
system: the index is fixed when the app is made, and the static files are read once, at start.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import orjson
from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..archive import Archive
from ..errors import QueryError, SearchkitError
from ..results import SearchResults
from . import comments, exports, text, timeline
from .state import DATE_FACETS, FILTERS, MAX_DEPTH, BadRequest, SearchState, facet_names, number

PAGE_FACETS = ("tag", "author", "source", "section", "place", "person", "org", "lang", "year", "month")
API_FACETS = (*FILTERS, "lang", *DATE_FACETS)
LONGEST_DATE_LIST = 36  # longer year or month lists are left to the timeline
SIMILAR = 8
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # a click to a publisher's page does not tell it what was searched
    "X-Frame-Options": "DENY",
}
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")  # as the Host header writes them
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str
    version: str


def create_app(index: str | Path, *, hosts: tuple[str, ...] = LOOPBACK) -> ASGIApp:
    """The application over the index at ``index``; ``hosts`` are the names it answers to (``*``: any)."""
    site = Site(Path(index))
    routes = [
        Route("/", site.search_page),
        Route("/article/{article_id:path}", site.article_page),
        Route("/export/hits.csv", site.export_hits_csv),
        Route("/export/hits.jsonl", site.export_hits_jsonl),
        Route("/export/facets.csv", site.export_facets),
        Route("/export/timeline.csv", site.export_timeline),
        Route("/api/search", site.api_search),
        Route("/api/article/{article_id:path}", site.api_article),
        Route("/api/similar/{article_id:path}", site.api_similar),
        Route("/api/stats", site.api_stats),
        Route("/static/{name}", site.asset),
    ]
    handlers = {HTTPException: site.http_error, BadRequest: site.bad_request, SearchkitError: site.library_error,
                Exception: site.server_error}
    # A page on another site cannot reach this one through a name it controls (DNS rebinding).
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers, lifespan=site.lifespan)
    return SecurityHeaders(app)


class SecurityHeaders:
    """Adds the security headers to every response, error pages included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(name.lower().encode(), value.encode()) for name, value in HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Site:
    """The routes' handlers over one archive."""

    def __init__(self, index: Path) -> None:
        self.index = index
        self.archive = Archive(index)
        self.lock = threading.Lock()  # one Whoosh searcher, one request at a time
        self.templates = Environment(
            loader=PackageLoader("searchkit.web"),
            autoescape=True,
            finalize=text.finalize,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.assets = _assets()
        self.templates.globals.update(
            asset=lambda name: f"/static/{name}?v={self.assets[name].version}",
            article_url=lambda article_id, prefix="/article/": prefix + quote(article_id, safe=""),
            link=text.http_url,
            highlighted=text.highlighted,
            walk=comments.walk,
            thousands=lambda n: f"{n:,}",
        )

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """The archive is closed when the server stops."""
        try:
            yield
        finally:
            self.archive.close()

    # Pages

    async def search_page(self, request: Request) -> Response:
        state = SearchState.from_params(request.query_params)
        try:
            results = await self._locked(
                self.archive.search, state.query, **state.options(), limit=state.limit, page=state.page,
                facets=(*PAGE_FACETS, "day"),
            )
        except QueryError as error:
            return self._page("search.html", status=400, state=state, error=str(error), results=None)
        suggestion = state.url(q=results.suggestion) if results.suggestion and state.q else None
        return self._page(
            "search.html", state=state, results=results, error=None, suggestion=suggestion,
            timeline=timeline.build(results.facets, results.total), facets=_shown_facets(results),
            first=(state.page - 1) * state.limit + 1,
            last_page=max(1, min(-(-results.total // state.limit), MAX_DEPTH // state.limit)),
        )

    async def article_page(self, request: Request) -> Response:
        article_id = request.path_params["article_id"]
        article = await self._by_id(self.archive.get, article_id)
        similar = await self._by_id(self.archive.similar, article_id, limit=SIMILAR)
        return self._page(
            "article.html", article=article, similar=similar.hits, threads=comments.threads(article.comments),
            paragraphs=[part for part in article.body.split("\n\n") if part.strip()],
        )

    # Exports: every hit, read one at a time by an Archive of their own (the page's searcher stays free)

    async def export_hits_csv(self, request: Request) -> Response:
        return await self._export(request, exports.hits_csv, "csv")

    async def export_hits_jsonl(self, request: Request) -> Response:
        return await self._export(request, exports.hits_jsonl, "jsonl")

    async def export_facets(self, request: Request) -> Response:
        state = SearchState.from_params(request.query_params)
        names = facet_names(request.query_params, API_FACETS) or list(PAGE_FACETS)
        limit = number(request.query_params, "facet_limit", 10_000, 1, 100_000)
        results = await self._search(state, limit=1, page=1, facets=names, facet_limit=limit, snippets=False)
        return _download(exports.facets_csv(results.facets), "csv", f"{_slug(state)}-facets")

    async def export_timeline(self, request: Request) -> Response:
        state = SearchState.from_params(request.query_params)
        results = await self._search(state, limit=1, page=1, facets=DATE_FACETS, snippets=False)
        return _download(exports.timeline_csv(timeline.build(results.facets, results.total)), "csv",
                         f"{_slug(state)}-timeline")

    async def _export(self, request: Request, write: Callable[[Iterator], Iterator[bytes]], kind: str) -> Response:
        state = SearchState.from_params(request.query_params)
        archive = Archive(self.index)
        try:
            hits = await run_in_threadpool(archive.stream, state.query, **state.options())
            first = await run_in_threadpool(next, hits, None)  # a query that cannot be read fails here, as a 400
        except QueryError as error:
            archive.close()
            raise HTTPException(400, str(error)) from None

        def every_hit() -> Iterator:
            try:
                if first is not None:
                    yield first
                    yield from hits
            finally:
                archive.close()

        return _download(write(every_hit()), kind, _slug(state))

    # JSON API: the library's own objects as JSON

    async def api_search(self, request: Request) -> Response:
        params = request.query_params
        state = SearchState.from_params(params, max_limit=1000)
        results = await self._search(
            state, facets=facet_names(params, API_FACETS), facet_limit=number(params, "facet_limit", 10, 1, 100_000),
            snippets=params.get("snippets", "1") != "0", query=state.q,
        )
        return _json(results.to_dict())

    async def api_article(self, request: Request) -> Response:
        return _json((await self._by_id(self.archive.get, request.path_params["article_id"])).to_dict())

    async def api_similar(self, request: Request) -> Response:
        limit = number(request.query_params, "limit", 10, 1, 1000)
        return _json((await self._by_id(self.archive.similar, request.path_params["article_id"], limit=limit)).to_dict())

    async def api_stats(self, request: Request) -> Response:
        top = number(request.query_params, "top", 10, 1, 1000)
        return _json((await self._locked(self.archive.stats, top=top)).to_dict())

    async def asset(self, request: Request) -> Response:
        found = self.assets.get(request.path_params["name"])
        if found is None:
            raise HTTPException(404, "no such file")
        return Response(found.body, media_type=found.media_type, headers={"Cache-Control": "max-age=86400"})

    # Errors: a page (or, under /api/, a JSON object) with one line saying what went wrong

    async def http_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return self._error(request, error.status_code, error.detail)

    async def bad_request(self, request: Request, error: Exception) -> Response:
        return self._error(request, 400, str(error))

    async def library_error(self, request: Request, error: Exception) -> Response:
        status = 400 if isinstance(error, QueryError) else 503  # the index is missing, or unreadable by this version
        return self._error(request, status, str(error))

    async def server_error(self, request: Request, error: Exception) -> Response:
        return self._error(request, 500, "the server failed to answer this request (its log says why)")

    def _error(self, request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return _json({"error": text.clean(message)}, status)
        return self._page("error.html", status=status, status_code=status, message=message)

    # Helpers

    async def _search(self, state: SearchState, *, query: str | None = None, **options: Any) -> SearchResults:
        """``Archive.search`` for a request's state; a query that cannot be read is a 400."""
        try:
            return await self._locked(
                self.archive.search, state.query if query is None else query, **state.options(),
                **{"limit": state.limit, "page": state.page, **options},
            )
        except QueryError as error:
            raise HTTPException(400, str(error)) from None

    async def _locked(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        def run() -> T:
            with self.lock:
                return call(*args, **kwargs)

        return await run_in_threadpool(run)

    async def _by_id(self, call: Callable[..., T], article_id: str, **kwargs: Any) -> T:
        """A library call about one article; an unknown id is a 404."""
        try:
            return await self._locked(call, article_id, **kwargs)
        except KeyError:  # ArticleNotFound is a KeyError too
            raise HTTPException(404, f"no article with id {article_id} in this index") from None

    def _page(self, name: str, *, status: int = 200, **context: Any) -> Response:
        """A page, streamed as it is rendered in chunks (an article of any size holds little memory)."""
        chunks = _chunked(self.templates.get_template(name).generate(**context))
        return StreamingResponse(chunks, status_code=status, media_type="text/html; charset=utf-8")


def _shown_facets(results: SearchResults) -> list[tuple[str, list[dict]]]:
    """The facets a page lists: those with values, date lists only when short."""
    return [(name, results.facets[name]) for name in PAGE_FACETS
            if results.facets.get(name) and (name not in DATE_FACETS or len(results.facets[name]) <= LONGEST_DATE_LIST)]


def _chunked(pieces: Iterator[str], size: int = exports.CHUNK) -> Iterator[bytes]:
    buffer: list[str] = []
    held = 0
    for piece in pieces:
        buffer.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(buffer).encode("utf-8")
            buffer, held = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def _download(chunks: Iterator[bytes], kind: str, name: str) -> StreamingResponse:
    media = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}[kind]
    return StreamingResponse(chunks, media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'})


def _slug(state: SearchState) -> str:
    """A file name from the query: ASCII letters and digits only, so no header or path can be made of it."""
    words = re.findall(r"[A-Za-z0-9]+", state.q)
    return "searchkit-" + ("-".join(words)[:60].strip("-") or "all")


def _json(data: dict, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def _assets() -> dict[str, Asset]:
    """The page's own stylesheet and script, read once from the package."""
    folder = resources.files("searchkit.web") / "static"
    types = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
    found = {}
    for entry in folder.iterdir():
        suffix = Path(entry.name).suffix
        if suffix in types:
            body = entry.read_bytes()
            found[entry.name] = Asset(body, types[suffix], hashlib.blake2b(body, digest_size=6).hexdigest())
    return found
