"""Shared by the benchmarks: the Reuters-21578 archive from ../shared/data, and a fixed query set."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "reuters21578"
_WORD = re.compile(r"[a-z]{4,}")
_SKIP = {"says", "said", "sees", "corp", "unit", "year", "first", "quarter", "with", "from", "reuter"}


def files(data: Path = DATA) -> list[Path]:
    """The archive's SGML dumps (the only news files of the folder)."""
    found = sorted(data.glob("reut2-*.sgm*"))
    if not found:
        sys.exit(f"needs Reuters-21578 at {data} (see its PROVENANCE.txt)")
    return found


def articles(data: Path = DATA):
    """Every article, read by searchkit's own SGML reader."""
    from searchkit.readers import RecordError, read_file

    return [item for path in files(data) for item in read_file(path) if not isinstance(item, RecordError)]


def queries(titles: list[str], count: int = 300, seed: int = 21578) -> list[str]:
    """``count`` fixed keyword queries of one to three words drawn from headlines (seeded, repeatable)."""
    rnd = random.Random(seed)
    pool = [words for words in ([w for w in _WORD.findall(t.lower()) if w not in _SKIP] for t in titles) if words]
    chosen = []
    while len(chosen) < count:
        words = rnd.choice(pool)
        chosen.append(" ".join(rnd.sample(words, min(len(words), rnd.choice((1, 2, 2, 3))))))
    return chosen


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
