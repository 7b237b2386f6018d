"""Whether a re-entered share is exactly one of the shares just made."""

from __future__ import annotations

from ceremony.errors import ShareError
from ceremony.shares import checktick, detect_scheme, slip39

__all__ = ["canonical", "same_share"]


def canonical(text: str) -> str:
    """One spelling per share: full lower-case words, or the legacy string as the core writes it."""
    if detect_scheme(text) == "checktick":
        return checktick.parse(text).text()
    return " ".join(slip39.normalise(text))


def same_share(entered: str, made: str) -> bool:
    try:
        return canonical(entered) == canonical(made)
    except ShareError:
        return False
