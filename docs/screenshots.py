"""The README's screenshots of `searchkit serve`: the search and article pages over the sample
corpus, taken by the headless Chromium the browser tests drive (Playwright, /usr/bin/chromium).

    .venv/bin/python docs/screenshots.py          # writes docs/search.png and docs/article.png
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

import searchkit

DOCS = Path(__file__).resolve().parent
CORPUS = DOCS.parent / "corpus"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SEARCH = "/?q=harbour+OR+ceasefire+OR+wheat+OR+housing"


def main() -> None:
    os.chdir(CORPUS.parent)  # the records name their files as a user's index would: corpus/...
    with tempfile.TemporaryDirectory() as tmp:
        with searchkit.Archive(Path(tmp) / "index") as archive:
            archive.index([Path("corpus")])
            seed = archive.search('comments:"proxy army"').hits[0].id
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "searchkit", "serve", "--index", str(Path(tmp) / "index"), "--port", str(port)]
        with subprocess.Popen(command, stdout=subprocess.DEVNULL) as server:
            try:
                while server.poll() is None:
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=1).close()
                        break
                    except OSError:
                        time.sleep(0.05)
                shoot(f"http://127.0.0.1:{port}", seed)
            finally:
                server.terminate()
                server.wait(timeout=30)


def shoot(base: str, seed: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, base_url=base)
        page.goto(SEARCH)
        page.screenshot(path=DOCS / "search.png")
        page.goto(f"/article/{seed}#comments")
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.screenshot(path=DOCS / "article.png", full_page=True)
        browser.close()
    print(f"wrote {DOCS / 'search.png'} and {DOCS / 'article.png'}")


if __name__ == "__main__":
    main()
