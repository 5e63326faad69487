"""The costliest queries a user can type, timed on Reuters-21578: wildcards and fuzzy words that
read the whole vocabulary, over-broad patterns, a 3 KB word and a query of 300 unknown words
(the spelling suggester), each with what it gave.

    flock /work/bench.lock .venv/bin/python benchmarks/queries.py [--index FOLDER]

The index is built in a temporary folder unless ``--index`` names one (built there if missing).
Run the same script on an older checkout (``PYTHONPATH=that/checkout``) to compare.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from reuters import files

import searchkit  # noqa: E402  (reuters puts the repository first on the path)
from searchkit import QueryError  # noqa: E402

QUERIES = [
    "*",
    "**",
    "?*?*?*",
    "*tion",
    "a*",
    "econom*",
    "ceasfire~",
    "inflaton~1",
    "qaddafi~",
    "x" * 3000,
    "ab" * 1500,
    " ".join(f"zzq{n}x" for n in range(300)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="an index of Reuters (built there if missing)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.index or Path(tmp) / "reuters"
        archive = searchkit.Archive(folder)
        if not folder.exists():
            archive.index(files())
        archive.search("warm")
        print(f"searchkit from {Path(searchkit.__file__).parent}, {len(archive):,} articles\n")
        print("| query | seconds | outcome |\n|---|---|---|")
        for query in QUERIES:
            start = time.perf_counter()
            try:
                results = archive.search(query, limit=10)
                outcome = f"{results.total:,} hits"
            except QueryError as error:
                outcome = f"refused: {error}"
            shown = query if len(query) <= 20 else f"{query[:12]}… ({len(query):,} characters)"
            print(f"| `{shown}` | {time.perf_counter() - start:.2f} | {outcome} |", flush=True)
        archive.close()


if __name__ == "__main__":
    main()
