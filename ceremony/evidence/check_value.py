"""A share's check value: tells one sheet from any other, and nothing about the key.

``SHA-256(b"checktick-ceremony share check v1\\x00" + canonical share text)``,
first 5 bytes (40 bits), as 8 Crockford symbols in two groups of four,
e.g. ``7QK2-MD0X``. The share is high-entropy (its value part is uniformly
random), so its hash reveals nothing that helps guess it; see docs/protocol.md.
"""

from __future__ import annotations

import hashlib
from typing import Final

from ceremony import crockford
from ceremony.shares import canonical

__all__ = [
    "CHECK_VALUE_BYTES",
    "CHECK_VALUE_LABEL",
    "check_value",
    "same_check_value",
    "share_key",
]

CHECK_VALUE_LABEL: Final = b"checktick-ceremony share check v1\x00"
CHECK_VALUE_BYTES: Final = 5


def check_value(share: str) -> str:
    """The printable check value of one share (any spelling of it gives the same value)."""
    text = canonical(share).encode("utf-8")
    digest = hashlib.sha256(CHECK_VALUE_LABEL + text).digest()[:CHECK_VALUE_BYTES]
    symbols = crockford.encode(digest)
    return f"{symbols[:4]}-{symbols[4:]}"


def same_check_value(typed: str, expected: str) -> bool:
    """Whether a check value as typed (any case, O for 0, I/L for 1, any dashes) matches."""

    def norm(text: str) -> str:
        cleaned = "".join(ch for ch in text.upper() if ch not in " -")
        return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")

    return norm(typed) == norm(expected) and len(norm(expected)) == 8


def share_key(text: str) -> str:
    """How the record and the bag list name a share: "2", or "group 1 member 2" in groups."""
    from ceremony.shares import inspect

    info = inspect(text)
    return f"group {info.group} member {info.index}" if info.grouped else str(info.index)
