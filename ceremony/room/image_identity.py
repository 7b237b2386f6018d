"""What the ceremony live image says about itself: the measured ISO hash as a word code, and
how current its Debian packages were.

The word code lets a witness compare the hash aloud: the first 70 bits of the ISO's SHA-256,
read as seven 10-bit numbers, each naming a word of IMAGE_WORDS (1024 words, no two sharing
their first four letters). None of them is a share word: the record's no-secret check, which
refuses three SLIP-39 words in a row, lets the code through, and a code read aloud is never
taken for a share. The same code is shown on the boot screen, on the app's environment page,
in the ceremony record, and by ``make image`` beside the published hash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from ceremony.room.image_words import IMAGE_WORDS

__all__ = ["CODE_WORDS", "measured_text", "packages_text", "word_code"]

CODE_WORDS: Final = 7
_BITS_PER_WORD: Final = 10
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def word_code(sha256_hex: str) -> str:
    """Seven words for the first 70 bits of a SHA-256 given as 64 lower-case hex digits."""
    if not _SHA256_HEX.fullmatch(sha256_hex):
        raise ValueError("not a SHA-256 in lower-case hex")
    bits = CODE_WORDS * _BITS_PER_WORD
    value = int(sha256_hex, 16) >> (256 - bits)
    words = [
        IMAGE_WORDS[(value >> (_BITS_PER_WORD * (CODE_WORDS - 1 - i))) & 0x3FF]
        for i in range(CODE_WORDS)
    ]
    return " ".join(words)


def measured_text(sha256_hex: str) -> str:
    """``ISO SHA-256 <hex>, words <code>`` as the boot screen and the record print it."""
    return f"ISO SHA-256 {sha256_hex}, words {word_code(sha256_hex).upper()}"


def packages_text(fields: Mapping[str, str]) -> str | None:
    """How current the image's Debian packages were when its lock was made, or None for an
    image built before the lock carried a date."""
    date = fields.get("lock_date", "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return None
    behind = fields.get("security_fixes_missing_at_lock", "").strip()
    count = behind.split(" ", 1)[0]
    if not count.isdigit():
        return f"Debian packages as of {date}"
    if count == "0":
        return f"Debian packages as of {date}, no security fix missing then"
    names = behind.partition(" ")[2].strip("()")
    fixes = "fix" if count == "1" else "fixes"
    return f"Debian packages as of {date}, {count} security {fixes} missing then ({names})"
