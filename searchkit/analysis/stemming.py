"""Stemming: the Snowball stemmer of each language Snowball covers (PyStemmer, its C build).

English keeps Porter's original algorithm, as searchkit always had (TIME: MAP 0.729 either way,
and existing users' results stay as they were). A stemmer reads a word as its language writes it
(Turkish ı, Russian й, French é are part of its suffixes): words are stemmed before they are
folded.
"""

from __future__ import annotations

from collections.abc import Callable

import Stemmer

ALGORITHMS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "porter", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "fa": "persian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
STEMMED = tuple(sorted(ALGORITHMS))  # the languages whose words are stemmed
_STEMMERS: dict[str, Callable[[str], str]] = {}


def stemmer(language: str | None) -> Callable[[str], str] | None:
    """The stem function of a language (None when Snowball has no stemmer for it)."""
    algorithm = ALGORITHMS.get(language or "")
    return None if algorithm is None else by_algorithm(algorithm)


def by_algorithm(algorithm: str) -> Callable[[str], str]:
    """The stem function of a Snowball algorithm (one of ``ALGORITHMS``' values)."""
    found = _STEMMERS.get(algorithm)
    if found is None:
        found = _STEMMERS[algorithm] = Stemmer.Stemmer(algorithm, 0).stemWord  # (callers cache)
    return found
