"""Text from a file or from Vault, made safe to print on a terminal.

A transcript or a Vault record may come from someone hostile. A name holding a
line break or a terminal escape could move the cursor, erase a "NOT VERIFIED"
line or forge one that looks verified; every character that is not printable
is shown as its escape instead (``\\x1b``, ``\\n``, ``\\u202e``).
"""

from __future__ import annotations

__all__ = ["shown"]


def shown(value: object) -> str:
    text = str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
