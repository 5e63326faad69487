"""Snippet windows: the passage shown for a hit holds the most distinct matched words, then the
most matches, then comes first; checked against a brute-force count of every window."""

from hypothesis import given
from hypothesis import strategies as st

from searchkit.search.snippets import SNIPPET_CHARS, _best_start, window


def _matches(draw_gaps: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    found, at = [], 0
    for gap, length, term in draw_gaps:
        at += gap
        found.append((at, at + length, term))
        at += length
    return found


MATCHES = st.lists(st.tuples(st.integers(1, 200), st.integers(1, 12), st.sampled_from("abc")), max_size=60).map(_matches)


def _brute_force(found: list[tuple[int, int, str]]) -> int:
    def key(first: int) -> tuple[int, int, int]:
        inside = [term for a, b, term in found[first:] if b - found[first][0] <= SNIPPET_CHARS]
        return len(set(inside)), len(inside), -first
    return max(range(len(found)), key=key) if found else 0


@given(MATCHES)
def test_the_best_window_is_the_best_of_every_window(found):
    assert _best_start(found) == _brute_force(found)


@given(MATCHES.map(lambda found: [(a, b, "a") for a, b, _ in found]))
def test_the_best_window_of_one_word_is_the_densest(found):
    assert _best_start(found) == _brute_force(found)


def test_a_snippet_highlights_the_matches_it_shows_and_only_those():
    text = " ".join(["filler"] * 60 + ["oil", "prices", "rose", "as", "oil", "output", "fell"] + ["filler"] * 60)
    found = [(at, at + 3, "oil") for at in range(len(text)) if text.startswith("oil", at)]
    shown = window("body", text, found)
    assert shown.text.startswith("…") and shown.text.endswith("…") and len(shown.text) <= SNIPPET_CHARS + 2
    assert [shown.text[a:b] for a, b in shown.highlights] == ["oil", "oil"]
