"""``ceremony vault setup``, ``status`` and ``audit``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from ceremony.errors import VaultError
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.paths import AUDIT, MASTER_KEY, MOUNT, REQUESTS
from ceremony.vaultops.requesting import registration

__all__ = ["POLICY", "POLICY_NAME", "Status", "audit_entries", "setup", "status"]

POLICY_NAME: Final = "checktick-ceremony"
# Least privilege: what request, apply, status and audit need, nothing else.
POLICY: Final = """\
# Custodian ceremony: requests, exactly-once apply, audit.
path "secret/data/ceremony/requests/*" { capabilities = ["create", "read"] }
path "secret/metadata/ceremony/requests/*" { capabilities = ["list", "delete"] }
path "secret/data/ceremony/consumed/*" { capabilities = ["create", "read", "update"] }
path "secret/data/ceremony/audit/*" { capabilities = ["create", "read"] }
path "secret/metadata/ceremony/audit/*" { capabilities = ["list"] }
path "secret/data/ceremony/drills/*" { capabilities = ["create", "read"] }
path "secret/data/ceremony/registration" { capabilities = ["create", "read"] }
path "secret/data/platform/master-key" { capabilities = ["create", "read"] }
path "secret/data/users/+/surveys/+/recovery-kek" { capabilities = ["read", "update"] }
path "sys/wrapping/wrap" { capabilities = ["update"] }
"""


def setup(client: VaultClient) -> list[str]:
    """Check the KV v2 mount and write the policy; say what was done."""
    info = client.mount_info(MOUNT)
    version = str((info.get("options") or {}).get("version", "1"))
    if info.get("type") != "kv" or version != "2":
        raise VaultError(
            f"The secrets engine at {MOUNT}/ is {info.get('type')} version {version}; "
            "CheckTick and the ceremony need KV version 2 there.",
            code="mount",
        )
    client.write_policy(POLICY_NAME, POLICY)
    return [
        f"{MOUNT}/ is a KV version 2 secrets engine.",
        f"Wrote the policy {POLICY_NAME} (ceremony paths, the master key, escrow records, "
        "response wrapping).",
        "Attach it to the AppRole or token that runs `ceremony vault` "
        f"(token_policies={POLICY_NAME}).",
    ]


@dataclass(frozen=True)
class Status:
    address: str
    initialized: bool
    sealed: bool
    version: str
    master_key: bool = False
    registration: dict[str, Any] | None = None
    pending: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "initialized": self.initialized,
            "sealed": self.sealed,
            "version": self.version,
            "master_key": self.master_key,
            "registration": self.registration,
            "pending_requests": self.pending,
        }


def status(client: VaultClient) -> Status:
    health = client.health()
    base = Status(
        address=client.config.address,
        initialized=bool(health.get("initialized")),
        sealed=bool(health.get("sealed")),
        version=str(health.get("version", "?")),
    )
    if base.sealed or not base.initialized:
        return base
    registered = registration(client)
    public = None
    if registered is not None:
        public = {
            k: registered.get(k)
            for k in ("key_version", "fingerprints", "export_public_key", "ceremony_id")
        }
        public["registered_by"] = registered.get("operation")
    pending = []
    for name in client.list(REQUESTS, "listing pending requests"):
        stored = client.read(f"{REQUESTS}/{name}", "reading a pending request")
        if stored is not None:  # show what it asks, never its key
            pending.append(
                {
                    "id": name,
                    "operation": stored.data.get("operation"),
                    "params": stored.data.get("params"),
                    "expires_at": stored.data.get("expires_at"),
                    "expired": _past(stored.data.get("expires_at")),
                }
            )
    master = client.read(MASTER_KEY, "reading the master key") is not None
    return Status(
        base.address,
        base.initialized,
        base.sealed,
        base.version,
        master,
        public,
        pending,
    )


def _past(moment: object) -> bool:
    try:
        return datetime.fromisoformat(str(moment)) <= datetime.now(UTC)
    except ValueError:
        return False


def audit_entries(client: VaultClient) -> list[dict[str, Any]]:
    """Every audit entry, newest first."""
    entries = []
    for name in client.list(AUDIT, "listing the audit entries"):
        stored = client.read(f"{AUDIT}/{name}", "reading an audit entry")
        if stored is not None:
            entries.append(stored.data)
    return sorted(
        entries, key=lambda e: (str(e.get("time", "")), str(e.get("request_id"))), reverse=True
    )
