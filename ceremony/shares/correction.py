"""Find the one wrong word of a SLIP-39 share and propose the right one.

SLIP-39's checksum is RS1024: the share's words (10-bit symbols) followed by
three check words form a Reed-Solomon codeword over GF(1024), minimum distance
4. The checksum register is linear over GF(2): changing word ``i`` by XOR with
``d`` changes the final register by ``E_k(d)``, where ``k`` is the number of
words after ``i`` and ``E_k`` is "start the register at ``d``, feed ``k``
zeros". So the residue of a share with one wrong word equals ``E_k(d)`` for
exactly one position and one ``d``; a table per distance ``k`` answers that in
one lookup per position. Distance 4 means a share with two wrong words is never
within one word of another valid share, so it is reported as "more than one
word wrong" rather than miscorrected.

A word that is not in the list at all is an erasure: the same tables give the
one word that would make the checksum hold at that position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from shamir_mnemonic.constants import CUSTOMIZATION_STRING_EXTENDABLE, CUSTOMIZATION_STRING_ORIG
from shamir_mnemonic.wordlist import WORDLIST

__all__ = ["Correction", "correct_erasure", "correct_single_word", "residue"]

_GEN: Final = (
    0xE0E040,
    0x1C1C080,
    0x3838100,
    0x7070200,
    0xE0E0009,
    0x1C0C2412,
    0x38086C24,
    0x3090FC48,
    0x21B1F890,
    0x3F3F120,
)
_MASK: Final = 0xFFFFF
_EXT_BIT: Final = 4  # the extendable flag is bit 4 of the second word


@dataclass(frozen=True, repr=False)
class Correction:
    """Word ``position`` (1-based) should read ``word``. The word is secret: do not log it."""

    position: int
    word: str

    def __repr__(self) -> str:
        return f"<Correction position={self.position}>"


def _step(chk: int, value: int) -> int:
    top = chk >> 20
    chk = (chk & _MASK) << 10 ^ value
    for i in range(10):
        if (top >> i) & 1:
            chk ^= _GEN[i]
    return chk


def _polymod(values: Sequence[int]) -> int:
    chk = 1
    for v in values:
        chk = _step(chk, v)
    return chk


def residue(indices: Sequence[int], extendable: bool) -> int:
    """0 for a share whose checksum holds, else the register's difference from valid."""
    custom = CUSTOMIZATION_STRING_EXTENDABLE if extendable else CUSTOMIZATION_STRING_ORIG
    return _polymod([*custom, *indices]) ^ 1


@cache
def _table(distance: int) -> dict[int, int]:
    """``E_distance(d) -> d`` for every nonzero 10-bit ``d`` (E is injective: no clashes)."""
    basis = []
    for bit in range(10):
        chk = 1 << bit
        for _ in range(distance):
            chk = _step(chk, 0)
        basis.append(chk)
    images = [0] * 1024
    for d in range(1, 1024):
        low = (d & -d).bit_length() - 1
        images[d] = images[d & (d - 1)] ^ basis[low]
    return {images[d]: d for d in range(1, 1024)}


def _index(word: str) -> int:
    return _word_index()[word]


@cache
def _word_index() -> dict[str, int]:
    return {w: i for i, w in enumerate(WORDLIST)}


def _extendable(indices: Sequence[int]) -> bool:
    return bool(len(indices) > 1 and (indices[1] >> _EXT_BIT) & 1)


def correct_single_word(words: Sequence[str]) -> Correction | None:
    """The single-word change that makes a share's checksum hold, if there is exactly one.

    ``words`` are full list words (lower case). None when the checksum already
    holds, or no single change fixes it (then at least two words are wrong).
    """
    indices = [_index(w) for w in words]
    n = len(indices)
    found: list[Correction] = []
    for extendable in (False, True):
        syndrome = residue(indices, extendable)
        if syndrome == 0 and extendable == _extendable(indices):
            return None  # the checksum holds: nothing to correct
        for pos in range(n):
            delta = _table(n - 1 - pos).get(syndrome)
            if delta is None:
                continue
            fixed = indices[pos] ^ delta
            # the flag that picks the checksum must agree with the corrected share
            after = [*indices[:pos], fixed, *indices[pos + 1 :]]
            if _extendable(after) == extendable:
                found.append(Correction(pos + 1, WORDLIST[fixed]))
    return found[0] if len(found) == 1 else None


def correct_erasure(words: Sequence[str | None], position: int) -> str | None:
    """The word at ``position`` (1-based, given as None or anything) that makes the checksum hold.

    Every other word must be a list word. None when no single word fits, which
    means another word is wrong too.
    """
    known = [0 if i == position - 1 else _index(w or "") for i, w in enumerate(words)]
    n = len(known)
    answers = set()
    for extendable in (False, True):
        syndrome = residue(known, extendable)
        value = 0 if syndrome == 0 else _table(n - position).get(syndrome)
        if value is None:
            continue
        after = [*known[: position - 1], value, *known[position:]]
        if _extendable(after) == extendable:
            answers.add(value)
    return WORDLIST[answers.pop()] if len(answers) == 1 else None
