"""A reference locator for one wrong SLIP-39 word, for tests of the entry grid only.

RS1024 is linear: changing word i by d (XOR) changes the checksum residue by
a linear map of d. For each position this tries the 1023 changes and keeps
the position whose change brings the residue back to valid. The app uses the
core's own locator (``ceremony.shares.locate_wrong_word``) once it exists.
"""

from __future__ import annotations

from collections.abc import Sequence

from shamir_mnemonic.constants import CUSTOMIZATION_STRING_EXTENDABLE, CUSTOMIZATION_STRING_ORIG
from shamir_mnemonic.rs1024 import _polymod
from shamir_mnemonic.wordlist import WORDLIST

INDEX = {word: n for n, word in enumerate(WORDLIST)}


def _from_zero(values: Sequence[int]) -> int:
    """The linear part of the checksum polynomial (``_polymod`` starts from 1)."""
    return _polymod(values) ^ _polymod([0] * len(values))


def locate(words: Sequence[str]) -> tuple[int, str] | None:
    values = [INDEX[w] for w in words]
    found: list[tuple[int, str]] = []
    extendable = (values[1] >> 4) & 1  # id (15 bits), ext (1 bit), exponent (4 bits)
    for custom in (CUSTOMIZATION_STRING_EXTENDABLE if extendable else CUSTOMIZATION_STRING_ORIG,):
        prefix = list(custom)
        residue = _polymod(prefix + values) ^ 1
        length = len(prefix) + len(values)
        for i in range(len(values)):
            basis = []
            for bit in range(10):
                unit = [0] * length
                unit[len(prefix) + i] = 1 << bit
                basis.append(_from_zero(unit))
            for d in range(1, 1024):
                change = 0
                for bit in range(10):
                    if d >> bit & 1:
                        change ^= basis[bit]
                if change == residue:
                    found.append((i, WORDLIST[values[i] ^ d]))
    return found[0] if len(found) == 1 else None
