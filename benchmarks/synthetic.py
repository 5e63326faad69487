"""Synthetic news-like archives for growth runs: JSON Lines files of searchkit records.

    .venv/bin/python benchmarks/synthetic.py OUT_FOLDER COUNT [--per-file 1000] [--seed 1]

Words follow a Zipf law over a fixed vocabulary (pseudo-words from syllables, plus common
English words), so postings grow as they do in real text; each article has a headline, five to
eight sentences, a date between 2000 and 2024, one to four tags from 300, a source from 20 and
an author from 500. The same seed always gives the same archive.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
from pathlib import Path

import orjson

COMMON = ("the of to and a in that is was for on said with he as it by at from his an were are which this "
          "be has had have not but or its after been also would new more two people year their first last").split()
SYLLABLES = "ka lo mi ne ru sa te vo zi bra ch dre fi gro ha jo kle ma no pre qui ro sta tri un ve wo xa yo zu".split()


def vocabulary(size: int, rnd: random.Random) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))))
    return COMMON + sorted(words)


def articles(count: int, seed: int = 1):
    rnd = random.Random(seed)
    words = vocabulary(30_000, rnd)
    weights = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(words))))
    total = weights[-1]
    tags = [f"{w.capitalize()}" for w in rnd.sample(words[60:], 300)]
    sources = [f"The {w.capitalize()} Times" for w in rnd.sample(words[60:], 20)]
    authors = [f"{a.capitalize()} {b.capitalize()}" for a, b in zip(rnd.sample(words[60:], 500), rnd.sample(words[60:], 500))]

    def word() -> str:
        return words[bisect.bisect(weights, rnd.random() * total)]

    for n in range(count):
        sentences = [" ".join(word() for _ in range(rnd.randint(8, 24))).capitalize() + "." for _ in range(rnd.randint(5, 8))]
        yield {
            "id": f"synthetic-{seed}-{n}",
            "path": f"synthetic/{n}",
            "title": " ".join(word() for _ in range(rnd.randint(5, 10))).capitalize(),
            "body": "\n\n".join(sentences),
            "published": f"{rnd.randint(2000, 2024)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "tags": rnd.sample(tags, rnd.randint(1, 4)),
            "source": rnd.choice(sources),
            "authors": [rnd.choice(authors)],
        }


def write(folder: Path, count: int, per_file: int = 1000, seed: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    stream = articles(count, seed)
    for number in itertools.count():
        chunk = list(itertools.islice(stream, per_file))
        if not chunk:
            return paths
        path = folder / f"synthetic-{number:05d}.jsonl"
        path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in chunk))
        paths.append(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--per-file", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{len(write(args.out, args.count, args.per_file, args.seed))} files written to {args.out}")


if __name__ == "__main__":
    main()
