"""Folding near duplicates (syndicated copies of one story) into the best-ranked of them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence

from .. import duplicates

GROUP_SLACK = 50  # hits grouped beyond the page, where near duplicates of shown hits are counted

Ref = Hashable


def collapse(ranked: Sequence[Ref], signatures: Sequence[bytes]) -> tuple[list[Ref], dict[Ref, int]]:
    """(the hits that lead a group of near duplicates, in order; how many others each leads)."""
    leaders = duplicates.group(zip(ranked, signatures))
    folded = Counter(leader for ref, leader in leaders.items() if leader != ref)
    return [ref for ref in ranked if leaders[ref] == ref], dict(folded)


def collapsed_top(ranked: Callable[[int], Sequence[Ref]], signatures: Callable[[Sequence[Ref]], Sequence[bytes]],
                  total: int, needed: int) -> tuple[list[Ref], dict[Ref, int], bool]:
    """The first ``needed`` group leaders (or more), their folded counts, and whether every hit
    was grouped (then the leaders are all of them), from ``ranked(n)`` (the top n hits). Copies
    of one story score alike and so rank together: grouping the hits a little beyond the page
    (three times as many, plus GROUP_SLACK; more when duplicates use them up) finds them."""
    size = 3 * needed + GROUP_SLACK
    while True:
        top = ranked(size)
        leaders, folded = collapse(top, signatures(top))
        if len(leaders) >= needed or size >= total:
            return leaders, folded, size >= total
        size *= 4
