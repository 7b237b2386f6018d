"""Where the ceremony keeps things in Vault's KV v2 mount ``secret/``."""

from __future__ import annotations

from typing import Final

from ceremony.operations.escrow import escrow_path

__all__ = [
    "AUDIT",
    "CONSUMED",
    "DRILLS",
    "MASTER_KEY",
    "MOUNT",
    "REGISTRATION",
    "RELEASES",
    "REQUESTS",
    "USERS",
    "VAULT_MODE",
    "escrow_path",
]

MOUNT: Final = "secret"
MASTER_KEY: Final = "platform/master-key"  # CheckTick's own path
REGISTRATION: Final = "ceremony/registration"
REQUESTS: Final = "ceremony/requests"
CONSUMED: Final = "ceremony/consumed"  # create-only: which bundle answered a request
RELEASES: Final = "ceremony/releases"  # create-only: <id>/attempt-<n>, <id>/outcome-<n>
AUDIT: Final = "ceremony/audit"
DRILLS: Final = "ceremony/drills"
VAULT_MODE: Final = "ceremony/vault-mode"  # {"mode": "practice"} marks a rehearsal Vault
USERS: Final = "users"  # CheckTick's escrows: users/<u>/surveys/<s>/recovery-kek
