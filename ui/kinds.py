"""The five ceremonies by name (no imports: the first screen needs only this)."""

from __future__ import annotations

from typing import Literal

__all__ = ["KIND_TITLES", "Kind"]

Kind = Literal["genesis", "recovery", "reshare", "drill", "verify"]

KIND_TITLES: dict[Kind, str] = {
    "genesis": "New platform key",
    "recovery": "Recovery",
    "reshare": "Re-share to new custodians",
    "drill": "Recovery drill",
    "verify": "Verify a share",
}
