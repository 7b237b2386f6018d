"""The SLIP-39 word list: lookup, completion from a prefix, closest words for a typo.

Every SLIP-39 word is uniquely identified by its first four letters, so four
typed letters are always enough.
"""

from __future__ import annotations

import difflib
from functools import cache

from shamir_mnemonic.wordlist import WORDLIST

__all__ = ["UNIQUE_PREFIX", "WORDLIST", "closest", "complete", "is_word", "resolve"]

UNIQUE_PREFIX = 4


@cache
def _word_set() -> frozenset[str]:
    return frozenset(WORDLIST)


@cache
def _by_prefix() -> dict[str, str]:
    return {word[:UNIQUE_PREFIX]: word for word in WORDLIST}


def is_word(word: str) -> bool:
    return word.lower() in _word_set()


def complete(prefix: str, limit: int = 8) -> list[str]:
    """Words that start with ``prefix`` (case-insensitive), in list order."""
    p = prefix.strip().lower()
    if not p:
        return []
    return [w for w in WORDLIST if w.startswith(p)][:limit]


def resolve(token: str) -> str | None:
    """The word a custodian meant: the word itself, or the word its first four letters name."""
    t = token.strip().lower()
    if t in _word_set():
        return t
    if len(t) >= UNIQUE_PREFIX:
        word = _by_prefix().get(t[:UNIQUE_PREFIX])
        if word is not None and word.startswith(t):
            return word
    return None


def closest(token: str, limit: int = 3) -> tuple[str, ...]:
    """Up to ``limit`` list words that look most like a mistyped ``token``."""
    t = token.strip().lower()
    found = difflib.get_close_matches(t, WORDLIST, n=limit, cutoff=0.5)
    if not found and len(t) >= 2:
        found = complete(t[:2], limit)
    return tuple(found)
