"""Where the ceremony keeps things in Vault's KV v2 mount ``secret/``."""

from __future__ import annotations

from typing import Final

__all__ = [
    "AUDIT",
    "CONSUMED",
    "DRILLS",
    "MASTER_KEY",
    "MOUNT",
    "REGISTRATION",
    "REQUESTS",
    "escrow_path",
]

MOUNT: Final = "secret"
MASTER_KEY: Final = "platform/master-key"  # CheckTick's own path
REGISTRATION: Final = "ceremony/registration"
REQUESTS: Final = "ceremony/requests"
CONSUMED: Final = "ceremony/consumed"
AUDIT: Final = "ceremony/audit"
DRILLS: Final = "ceremony/drills"


def escrow_path(user: str, survey: str) -> str:
    """CheckTick's recovery escrow, also the PBKDF2 salt of its KEK key."""
    return f"users/{user}/surveys/{survey}/recovery-kek"
