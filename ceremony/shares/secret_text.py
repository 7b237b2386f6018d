"""Recognising text that reads as a secret, so that it never reaches a non-secret path.

Names, organisations, notes and tickets are printed on the ceremony record and
shown in status lines: paper and screens that hold no secret. A custodian who
types share words into "Your name" by mistake must be stopped there, and the
record and status lines check again before they print or show anything.

What counts as secret-looking text:

- share words: three or more SLIP-39 words in a row (full words, or their first
  four or more letters as this app accepts them, in any case, with numbers or
  punctuation between them), or one long run of letters that splits into three
  or more such words (the words typed without spaces);
- a CheckTick legacy share (``80<n>-<n>-<hex>``);
- a long run of hex digits (a component or a legacy share's body, spaces, dashes
  or colons between groups allowed), or of base32 or base64 (mixed characters,
  no spaces).

The checks quote nothing back: a finding says what the text looks like, never
which words it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from ceremony.errors import CeremonyError
from ceremony.shares.words import UNIQUE_PREFIX, WORDLIST, resolve

__all__ = [
    "ENCODED_RUN",
    "HEX_RUN",
    "SHARE_WORD_RUN",
    "SecretText",
    "SecretTextError",
    "check_not_secret",
    "find_secret",
    "refusal",
]

SHARE_WORD_RUN: Final = 3  # this many share words in a row read as a share
HEX_RUN: Final = 40  # hex digits (20 bytes): request ids have 32; a component 64 or 128
ENCODED_RUN: Final = 40  # base32/base64 characters: a 32-byte component is 44 to 56

Kind = Literal["share words", "legacy share", "hex", "encoded"]

_LETTERS = re.compile(r"[A-Za-z]+")
_LEGACY = re.compile(r"80\d{1,3}\s*-\s*\d{1,3}\s*-\s*(?:\d{1,2}\.\s*)?[0-9a-fA-F]{4}")
# One line of a legacy sheet: groups of four hex digits with spaces, at least six of them.
_LEGACY_LINE = re.compile(r"(?<![0-9a-fA-F])(?:[0-9a-fA-F]{4} ){5,}[0-9a-fA-F]{1,4}(?![0-9a-fA-F])")
# Hex groups joined by at most one space, dash, colon or underscore: "3f0a 91bc ..." is one run.
_HEX = re.compile(r"[0-9a-fA-F]+(?:[ \t:_-]?[0-9a-fA-F]+)*")
_ENCODED = re.compile(rf"[A-Za-z0-9+/_-]{{{ENCODED_RUN},}}={{0,2}}")
# A digest the program itself measured and labels as such ("ISO SHA-256 3f0a…").
_LABELLED_DIGEST = re.compile(r"SHA-?256:?\s+[0-9a-f]{64}(?![0-9a-fA-F])")


@dataclass(frozen=True)
class SecretText:
    """What a piece of text looks like. Holds none of the text."""

    kind: Kind

    @property
    def description(self) -> str:
        return {
            "share words": f"{SHARE_WORD_RUN} or more share words in a row",
            "legacy share": "a CheckTick legacy share (80…-…-…)",
            "hex": "a long run of hex digits, the way a key or a share is written",
            "encoded": "a long run of base32 or base64, the way a key can be written",
        }[self.kind]


class SecretTextError(CeremonyError):
    """Text bound for a non-secret place (record, status line, name field) reads as a secret."""

    def __init__(self, message: str, finding: SecretText) -> None:
        super().__init__(message)
        self.finding = finding


def _is_share_word(token: str) -> bool:
    return len(token) >= UNIQUE_PREFIX and resolve(token) is not None


@cache
def _pieces() -> frozenset[str]:
    """Whole words and four-letter prefixes: what a run of words typed without spaces holds."""
    return frozenset(WORDLIST) | frozenset(w[:UNIQUE_PREFIX] for w in WORDLIST)


def _splits_into_words(token: str) -> bool:
    """Whether ``token`` holds three or more list words (or prefixes) written without spaces.

    Anywhere in it: "Lee" glued before the words does not hide them.
    """
    t = token.lower()
    if len(t) < SHARE_WORD_RUN * UNIQUE_PREFIX:
        return False
    pieces = _pieces()
    longest = max(len(p) for p in pieces)
    chain = [0] * (len(t) + 1)  # most pieces in a row that end exactly at i
    for end in range(UNIQUE_PREFIX, len(t) + 1):
        for start in range(max(0, end - longest), end - UNIQUE_PREFIX + 1):
            if t[start:end] in pieces:
                chain[end] = max(chain[end], chain[start] + 1)
        if chain[end] >= SHARE_WORD_RUN:
            return True
    return False


def _share_word_run(text: str) -> bool:
    run = 0
    for token in _LETTERS.findall(text):  # digits and punctuation between words are skipped
        if _is_share_word(token):
            run += 1
            if run >= SHARE_WORD_RUN:
                return True
        else:
            run = 0
            if _splits_into_words(token):
                return True
    return False


def _hex_run(text: str) -> bool:
    for match in _HEX.finditer(text):
        digits = re.sub(r"[^0-9a-fA-F]", "", match.group())
        if (
            len(digits) >= HEX_RUN
            and re.search(r"[0-9]", digits)
            and re.search(r"[a-fA-F]", digits)
        ):
            return True
    return False


def _encoded_run(text: str) -> bool:
    for match in _ENCODED.finditer(text):
        run = match.group()
        if run.startswith("/") and not re.search(r"[A-Z]", run):
            continue  # a file path (a TMPDIR in the record); base64 that long has capitals
        classes = sum(
            1 for pattern in (r"[A-Z]", r"[a-z]", r"[0-9]") if re.search(pattern, run) is not None
        )
        if classes >= 2:
            return True
    return False


def find_secret(text: str, *, digests: bool = False) -> SecretText | None:
    """What secret ``text`` seems to hold, or None when it reads as ordinary words.

    ``digests``: the text was written by this program and may name SHA-256 digests it
    measured ("SHA-256 " and 64 lower-case hex digits); those are not taken for a key.
    """
    if digests:
        text = _LABELLED_DIGEST.sub("SHA-256 (digest)", text)
    if _LEGACY.search(text) or any(
        re.search(r"[0-9]", m.group()) for m in _LEGACY_LINE.finditer(text)
    ):
        return SecretText("legacy share")
    if _share_word_run(text):
        return SecretText("share words")
    if _hex_run(text):
        return SecretText("hex")
    if _encoded_run(text):
        return SecretText("encoded")
    return None


def refusal(text: str, field: str) -> str | None:
    """The plain sentence that refuses ``text`` in ``field`` (e.g. "Your name"); None if fine."""
    found = find_secret(text)
    if found is None:
        return None
    return (
        f"{field} holds what looks like {found.description}: it was not kept. Shares and keys "
        "never go here: this is printed on the ceremony record, which is not secret. Type "
        "only the name or note."
    )


def check_not_secret(text: str, where: str, *, digests: bool = False) -> None:
    """Refuse to put ``text`` on ``where`` (the record, a status line) if it reads as a secret."""
    found = find_secret(text, digests=digests)
    if found is not None:
        raise SecretTextError(
            f"Something meant for {where} looks like {found.description}; it was not "
            "shown or printed. Check the names and notes typed in this ceremony.",
            found,
        )
