"""Check letters for legacy shares on paper: three per printed line of 32 hex digits.

A CheckTick share carries no checksum, so one mistyped digit would only show up
as "these shares do not rebuild a component". Our legacy sheets print three
check letters after each line of digits, computed from the line number and its
digits. When a custodian types them too, :func:`strip_line_checks` says which
line holds the typo. The letters lie outside the hex alphabet (and leave out I,
L, O, U), so they cannot be mistaken for share digits.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

from ceremony.errors import ShareError

__all__ = [
    "CHECK_ALPHABET",
    "DIGITS_PER_LINE",
    "check_code",
    "has_line_checks",
    "strip_line_checks",
]

CHECK_ALPHABET: Final = "GHJKMNPQRSTVWXYZ"
DIGITS_PER_LINE: Final = 32
_CHECK_LABEL: Final = b"checktick-ceremony legacy line check v1 "
_LINE: Final = re.compile(r"([0-9a-f]*)([ghjkmnpqrstvwxyz]{3})")
_LINE_NUMBER: Final = re.compile(r"^\d{1,2}\.$")
_CHECKED_LINE: Final = re.compile(r"[0-9a-f]{8}[ghjkmnpqrstvwxyz]{3}(?![a-z])")


def check_code(number: int, digits: str) -> str:
    """Three check letters (12 bits) for one printed line; a typo escapes with odds 1 in 4096."""
    digest = hashlib.sha256(_CHECK_LABEL + f"{number} {digits.lower()}".encode()).digest()
    value = int.from_bytes(digest[:2], "big") >> 4
    return "".join(CHECK_ALPHABET[(value >> shift) & 0xF] for shift in (8, 4, 0))


def has_line_checks(hex_part: str) -> bool:
    """Whether the typed digits include check letters from a printed sheet (not a lone typo)."""
    compact = "".join(hex_part.lower().split())
    return _CHECKED_LINE.search(compact) is not None


def strip_line_checks(hex_part: str) -> str:
    """The digits of a legacy share typed with its sheet's check letters, each line checked.

    ``hex_part`` is everything after ``80{i}-{x}-``: lines of digits, each followed by
    its three check letters, with any spacing and, optionally, the printed line numbers.
    """
    tokens = [t for t in hex_part.lower().split() if not _LINE_NUMBER.match(t)]
    compact = "".join(tokens)
    digits: list[str] = []
    position = 0
    for number, match in enumerate(_LINE.finditer(compact), start=1):
        if match.start() != position:
            break
        line, letters = match.groups()
        if not line:
            raise ShareError(f"Line {number} has check letters but no digits.", code="line_check")
        if check_code(number, line) != letters.upper():
            raise ShareError(
                f"Line {number} does not match its check letters {letters.upper()}: a digit on "
                f"that line is wrong, missing or doubled. Compare line {number} with the paper.",
                code="line_check",
            )
        if len(line) != DIGITS_PER_LINE and match.end() != len(compact):
            raise ShareError(
                f"Line {number} has {len(line)} digits; every line but the last has "
                f"{DIGITS_PER_LINE}.",
                code="line_check",
            )
        digits.append(line)
        position = match.end()
    if position != len(compact):
        raise ShareError(
            f"After line {len(digits)} the text has no check letters; type each line with the "
            "three letters printed after it, or leave all the letters out.",
            code="line_check",
        )
    return "".join(digits)
