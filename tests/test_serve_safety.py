"""`searchkit serve` against hostile pages and hostile requests: page text shows as text and never
runs, only http(s) addresses become links, no request parameter reaches the file system, nothing is
written to the index, and a malformed request gets a 4xx page, never a traceback."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from serve_support import HOSTILE, HOSTILE_ID, LINKED, LINKED_ID, build_archive, free_port, running_server
from starlette.testclient import TestClient

import searchkit
import searchkit.web.app
from searchkit.web import create_app, exports
from searchkit.web.text import clean, http_url

RAW_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PACKAGE = Path(searchkit.web.app.__file__).parent


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("serve-safety"))


@pytest.fixture(scope="module")
def client(index):
    with TestClient(create_app(index), base_url="http://127.0.0.1") as client:
        yield client


def hostile_pages(client) -> dict[str, str]:
    """Every page that shows the hostile record: in results, on its own page, among similar stories."""
    urls = ["/?q=zebra", "/?q=zebra&expand=1", f"/article/{HOSTILE_ID}", f"/article/{LINKED_ID}",
            "/?q=zebra&tag=%2BALERT", "/?q=zebra&source=x%22%3E%3Csvg", "/?q=%3Cscript%3Ealert(1)%3C/script%3E"]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.text
    assert "zebra" in pages[f"/article/{LINKED_ID}"]
    return pages


def assert_inert(html: str) -> None:
    """Nothing in the page can run: one script, ours, from our server; no event attributes; every link
    and resource on this server, or an http(s) link that opens with neither opener nor referrer."""
    tree = HTMLParser(html)
    scripts = tree.css("script")
    assert [s.attributes.get("src", "").split("?")[0] for s in scripts] == ["/static/page.js"]
    assert all(not s.text() for s in scripts)
    for node in tree.root.traverse():
        for name, value in node.attributes.items():
            assert not name.lower().startswith("on"), (node.tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                local = value.startswith(("/", "?", "#")) and not value.startswith("//")
                external = node.tag == "a" and value.startswith(("http://", "https://"))
                assert local or external or value == "data:,", (node.tag, name, value)
                if external:
                    assert node.attributes.get("rel") == "noopener noreferrer"
    assert tree.css("iframe, img, object, embed, base, form[action^=javascript]") == []


def test_a_script_in_a_title_shows_as_text(client):
    pages = hostile_pages(client)
    for html in pages.values():
        assert_inert(html)
        assert "<script>window.__pwned" not in html
    title = HTMLParser(pages[f"/article/{HOSTILE_ID}"]).css_first("article h1").text()
    assert title == clean(HOSTILE["title"]) and title.startswith("<script>window.__pwned = 'title'</script>")
    hit_titles = [a.text() for a in HTMLParser(pages["/?q=zebra"]).css("li.hit h2 a")]
    assert clean(HOSTILE["title"]) in hit_titles


def test_an_onerror_attribute_shows_as_text(client):
    pages = hostile_pages(client)
    tree = HTMLParser(pages[f"/article/{HOSTILE_ID}"])
    assert [li.text() for li in tree.css(".captions li")] == HOSTILE["image_captions"]
    assert "onerror=" in tree.css_first("article h1").text()
    replies = [p.text() for p in tree.css("li.comment .text")]
    assert replies[1].startswith("<img src=x onerror=")
    for html in pages.values():
        assert_inert(html)  # no element anywhere has an on... attribute, and there is no <img>


def test_a_javascript_url_is_never_a_link(client):
    pages = hostile_pages(client)
    tree = HTMLParser(pages[f"/article/{HOSTILE_ID}"])
    assert tree.css_first("p.url span").text() == HOSTILE["url"] and tree.css("p.url a") == []
    for html in pages.values():
        assert "javascript:" not in " ".join(node.attributes.get("href") or "" for node in HTMLParser(html).css("[href]"))
    for url in ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                "java\nscript:alert(1)", "\x01javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                "vbscript:msgbox(1)", "//evil.example/x", "/relative/path", "http:", "https://", "ftp://host/x",
                "http://[::1", "mailto:a@b.example"]:
        assert http_url(url) is None, url
    assert http_url("https://news.example.org/a?b=1") == "https://news.example.org/a?b=1"
    assert http_url("HTTP://Example.org/") == "http://Example.org/"


def test_bidi_controls_show_as_text(client):
    pages = hostile_pages(client)
    for html in pages.values():
        assert not RAW_BIDI.search(html) and not RAW_CONTROL.search(html)
    tree = HTMLParser(pages[f"/article/{HOSTILE_ID}"])
    assert "zebra [U+202E]gnp.exe[U+202C] [U+2067]isolated[U+2069] report" in tree.css_first("article h1").text()
    assert "[U+202E]reversed[U+202C]" in tree.css(".body p")[1].text()
    assert "[U+202E]tag" in [a.text() for a in tree.css("article .tags a")]
    assert clean("a\u202eb\u2066c\u2069\x00d\x1b[31m") == "a[U+202E]b[U+2066]c[U+2069]d[31m"


def test_only_http_addresses_become_links_and_they_keep_no_opener_or_referrer(client):
    tree = HTMLParser(client.get(f"/article/{LINKED_ID}").text)
    link = tree.css_first("p.url a")
    assert link.attributes["href"] == LINKED["url"] and link.text() == LINKED["url"]
    assert link.attributes["rel"] == "noopener noreferrer"


@pytest.mark.parametrize("url", ["/?q=zebra", f"/article/{HOSTILE_ID}", "/?q=unknownfield:x", "/article/none",
                                 "/api/search?q=zebra", "/api/article/none", "/static/page.js", "/export/hits.csv?q=zebra",
                                 "/nowhere"])
def test_every_response_carries_a_policy_that_forbids_inline_script(client, url):
    headers = client.get(url).headers
    policy = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'none'"
    assert "unsafe" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"


TRAVERSALS = ["/static/../../pyproject.toml", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static/app.py",
              "/static/..%2fapp.py", "/static/%2fetc%2fpasswd", "/static/templates/base.html",
              "/article/..%2F..%2F..%2Fetc%2Fpasswd", "/article/../../etc/passwd", "/api/article/%2Fetc%2Fpasswd",
              "/?q=x&index=/etc", "/?q=x&tag=../../etc/passwd", "/export/hits.csv?q=x&file=/etc/passwd",
              "/templates/search.html", "/static/style.css%00.py"]


def test_no_request_parameter_reaches_the_file_system(index, client):
    client.get("/?q=warm")  # templates and the searcher are loaded once, at first use
    opened: list[str] = []
    listening = [True]

    def audit(event: str, args: tuple) -> None:
        if listening[0] and event == "open" and isinstance(args[0], (str, bytes, Path)):
            opened.append(str(args[0]))

    sys.addaudithook(audit)
    try:
        for url in TRAVERSALS:
            response = client.get(url)
            assert response.status_code in (200, 400, 404), url
            assert "root:" not in response.text and "[build-system]" not in response.text
        next(index.iterdir()).read_bytes()  # the hook sees opens: this one must be among them
    finally:
        listening[0] = False
    assert opened and str(index) in opened[-1]
    # The index, the page templates, and Python's own modules (imported lazily): nothing a request names.
    allowed = (str(index.resolve()), str(PACKAGE.resolve() / "templates"), sys.prefix, sys.base_prefix)
    assert all(str(Path(path).resolve()).startswith(allowed) for path in opened), opened
    assert not [path for path in opened if re.search(r"passwd|pyproject|app\.py|style\.css\x00", path)]
    assert client.get("/static/style.css").status_code == 200


MALFORMED = [
    ("/?page=abc", 400, "'page' must be a whole number"), ("/?page=0", 400, "'page' must be"),
    ("/?limit=100000", 400, "'limit' must be"), ("/?sort=random", 400, "sort must be one of"),
    ("/?q=a&q=b", 400, "'q' is given 2 times"), ("/?expand=maybe", 400, "'expand' must be 1 or 0"),
    ("/?q=" + "x" * 2001, 400, "longer than 2,000"), ("/?page=99999&limit=100", 400, "pages go as deep as"),
    ("/?q=x&since=2018&until=2017", 400, "comes after"), ("/?q=x&since=yesterday", 400, "cannot read"),
    ("/?q=%ff%fe", 400, "no searchable words"), ("/export/facets.csv?q=x&facet_limit=-1", 400, "'facet_limit' must be"),
    ("/export/facets.csv?q=x&facet=nope", 400, "unknown facet 'nope'"), ("/article/", 404, None),
    ("/%ff", 404, None), ("/api/search?q=x&page=1.5", 400, "'page' must be"),
]


@pytest.mark.parametrize("url, status, message", MALFORMED)
def test_a_malformed_request_gets_a_4xx_page_never_a_traceback(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert "Traceback" not in response.text and 'File "' not in response.text
    if message and response.headers["content-type"] == "application/json":
        assert message in response.json()["error"]
    elif message:
        assert message in HTMLParser(response.text).css_first("p.error").text()


def test_requests_for_another_host_name_or_method_are_refused(client):
    assert client.get("/?q=x", headers={"host": "evil.example"}).status_code == 400  # DNS rebinding
    assert client.get("/?q=x", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/?q=x", headers={"host": "[::1]:8000"}).status_code == 200
    assert client.post("/?q=x").status_code == 405
    assert client.delete("/api/article/x").status_code == 405


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["/", "/api/search", "/export/facets.csv", "/export/timeline.csv", "/article/"]),
       st.lists(st.tuples(st.sampled_from(["q", "tag", "since", "until", "lang", "sort", "page", "limit", "expand",
                                           "facet", "facet_limit", "source", "x"]), st.text(max_size=20)), max_size=5),
       st.text(max_size=10))
def test_any_request_is_answered_without_a_server_error(client, path, pairs, tail):
    query = "&".join(f"{quote(name)}={quote(value)}" for name, value in pairs)
    response = client.get(f"{path}{quote(tail) if path.endswith('/') and path != '/' else ''}?{query}")
    assert response.status_code < 500, response.text[:300]
    assert "Traceback" not in response.text


async def asgi_get(app, url: str, on_body=None) -> tuple[int, list[bytes]]:
    """One GET through the ASGI app itself, every body message kept as it was sent."""
    path, _, query = url.partition("?")
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "headers": [(b"host", b"127.0.0.1")], "scheme": "http", "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 5000), "root_path": "", "http_version": "1.1", "asgi": {"version": "3.0"}}
    requested, status, bodies = asyncio.Event(), [], []

    async def receive():
        if not requested.is_set():
            requested.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message.get("body"):
            bodies.append(message["body"])
            if on_body:
                on_body()

    await app(scope, receive, send)
    return status[0], bodies


def test_exports_are_streamed_as_the_hits_are_read(tmp_path, monkeypatch):
    from conftest import news_records

    (tmp_path / "news.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in news_records(1500, seed=5)))
    with searchkit.Archive(tmp_path / "index") as archive:
        archive.index([tmp_path / "news.jsonl"])
    read, when_sent = [0], []
    stream = searchkit.Archive.stream

    def counted(self, *args, **kwargs):
        for hit in stream(self, *args, **kwargs):
            read[0] += 1
            yield hit

    monkeypatch.setattr(searchkit.Archive, "stream", counted)
    app = create_app(tmp_path / "index")
    with TestClient(app):  # the app's lifespan, which closes its archive at the end
        for url in ("/export/hits.csv?q=Filed", "/export/hits.jsonl?q=Filed"):
            read[0], when_sent[:] = 0, []
            status, bodies = asyncio.run(asgi_get(app, url, on_body=lambda: when_sent.append(read[0])))
            assert status == 200 and read[0] == 1500
            assert len(bodies) > 5 and max(map(len, bodies)) < exports.CHUNK + 2_000
            assert when_sent[0] < 1500 / 4  # the first part left long before the last hit was read


def test_a_large_article_page_is_streamed_in_chunks(tmp_path):
    paragraph = "A long paragraph about the harbour strike and the union vote, repeated. " * 40
    record = {"id": "huge", "title": "A huge article", "body": "\n\n".join([paragraph] * 1500),
              "comments": [{"author": f"reader{n}", "reply_to": f"reader{n - 1}" if n else None, "published": None,
                            "text": "A reply. " * 20} for n in range(2000)]}
    (tmp_path / "huge.jsonl").write_bytes(orjson.dumps(record) + b"\n")
    with searchkit.Archive(tmp_path / "index") as archive:
        archive.index([tmp_path / "huge.jsonl"])
    app = create_app(tmp_path / "index")
    with TestClient(app):
        status, bodies = asyncio.run(asgi_get(app, "/article/huge"))
    html = b"".join(bodies).decode()
    assert status == 200 and len(html) > len(record["body"]) > 4_000_000
    assert len(bodies) > 60 and max(map(len, bodies)) < exports.CHUNK + len(paragraph) * 2
    assert html.count('class="comment"') == 2000 and html.rstrip().endswith("</html>")


def test_the_server_never_writes_the_index_and_sees_new_commits(tmp_path):
    index = build_archive(tmp_path)

    def snapshot() -> dict:
        return {path.name: (path.stat().st_size, path.stat().st_mtime_ns) for path in sorted(index.iterdir())}

    before = snapshot()
    with TestClient(create_app(index), base_url="http://127.0.0.1") as client:
        urls = ["/", "/?q=strike&tag=Featured", f"/article/{HOSTILE_ID}", "/export/hits.csv?q=strike",
                "/export/facets.csv?q=x", "/api/search?q=zebra&facet=tag", "/api/stats", "/?q=unknownfield:x"]
        for url in urls:
            client.get(url)
        assert snapshot() == before
        total = client.get("/api/stats").json()["articles"]
        (tmp_path / "later.jsonl").write_bytes(orjson.dumps(
            {"id": "later-1", "title": "A later okapi story", "body": "The okapi story arrived after the server started."}))
        with searchkit.Archive(index) as writer:
            writer.index([tmp_path / "later.jsonl"])
        assert client.get("/api/stats").json()["articles"] == total + 1
        assert [hit["id"] for hit in client.get("/api/search?q=okapi").json()["hits"]] == ["later-1"]


def read_until(process: subprocess.Popen, count: int) -> list[str]:
    return [process.stdout.readline().strip() for _ in range(count)]


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on ``port``, from the kernel's own table."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the kernel's socket table (Linux)")
def test_serve_listens_on_loopback_unless_told_otherwise_and_says_so(index):
    with running_server(index) as (url, process):
        lines = read_until(process, 2)
        assert lines[0] == f"Serving {index} (130 articles) at {url}/ (Ctrl-C stops)"
        assert lines[1].startswith("Listening on 127.0.0.1: only this machine can connect")
        assert listening_addresses(int(url.rsplit(":", 1)[1])) == {"0100007F"}  # 127.0.0.1
    with running_server(index, "--host", "0.0.0.0") as (url, process):
        lines = read_until(process, 2)
        port = int(url.rsplit(":", 1)[1])
        assert lines[1] == f"Listening on 0.0.0.0: any machine that can reach this one on port {port} can read the archive."
        assert listening_addresses(port) == {"00000000"}


def test_serve_fails_with_one_line_without_an_index_or_a_free_port(tmp_path, index):
    def serve(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "searchkit", "serve", *args], capture_output=True, text=True,
                              timeout=60)

    missing = serve("--index", str(tmp_path / "none"), "--port", str(free_port()))
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
    assert missing.stderr.startswith("searchkit: ") and "index" in missing.stderr
    with running_server(index) as (url, _):
        taken = serve("--index", str(index), "--port", url.rsplit(":", 1)[1])
    assert taken.returncode == 1 and taken.stderr.count("\n") == 1
    assert "cannot listen on 127.0.0.1 port" in taken.stderr and "Traceback" not in taken.stderr


def test_a_one_shot_query_imports_no_web_library(index):
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "searchkit", "query", "zebra", "--index", str(index)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "zebra" in done.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert "searchkit" in imported
    assert imported.isdisjoint({"starlette", "jinja2", "uvicorn", "markupsafe", "anyio", "h11"})


def test_a_missing_index_is_a_503_page_with_one_line(tmp_path):
    with TestClient(create_app(tmp_path / "gone"), base_url="http://127.0.0.1") as client:
        response = client.get("/?q=x")
        api = client.get("/api/search?q=x")
    assert response.status_code == api.status_code == 503
    message = HTMLParser(response.text).css_first("p.error").text()
    assert message == api.json()["error"] and "index" in message and "\n" not in message
