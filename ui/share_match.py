"""Whether a re-entered share is exactly one of the shares just made."""

from __future__ import annotations

from ceremony.errors import ShareError
from ceremony.secret import Secret
from ceremony.shares import canonical

__all__ = ["same_share"]


def same_share(entered: str, made: str) -> bool:
    """Compared in the core's one spelling per share; an unreadable entry matches nothing."""
    try:
        with Secret(canonical(entered).encode()) as a, Secret(canonical(made).encode()) as b:
            return a == b
    except ShareError:
        return False
