"""``ceremony vault setup``, ``status`` and ``audit``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from ceremony import keys
from ceremony.errors import VaultError
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.evidence import (
    NOT_SIGNED,
    DrillDue,
    audit_records,
    drill_due,
    drill_records,
    record_problem,
)
from ceremony.vaultops.paths import MASTER_KEY, MOUNT, REGISTRATION, REQUESTS, VAULT_MODE
from ceremony.vaultops.requesting import is_practice_vault, registration

__all__ = [
    "AUDITOR_POLICY",
    "AUDITOR_POLICY_NAME",
    "INSTALL_POLICY",
    "INSTALL_POLICY_NAME",
    "OPERATOR_POLICY",
    "POLICY_NAME",
    "Status",
    "audit_entries",
    "drill_warnings",
    "setup",
    "status",
]

POLICY_NAME: Final = "checktick-ceremony"  # the operator policy
INSTALL_POLICY_NAME: Final = "checktick-ceremony-install"
# Every path and capability below is explained in docs/protocol.md ("What each policy
# may do"). No policy here may update or delete a claim, a release record, an audit
# entry or a drill: they are create-only, and their proofs are checked by `vault audit`.
_SELF: Final = """\
path "auth/token/lookup-self" { capabilities = ["read"] }
"""
# What every apply needs: its request, the claim, the release log, the audit entry.
_APPLY_RULES: Final = (
    _SELF
    + """\
path "secret/data/ceremony/requests/*" { capabilities = ["create", "read"] }
path "secret/metadata/ceremony/requests/*" { capabilities = ["list", "delete"] }
path "secret/data/ceremony/consumed/*" { capabilities = ["create", "read"] }
path "secret/data/ceremony/releases/*" { capabilities = ["create", "read"] }
path "secret/data/ceremony/audit/*" { capabilities = ["create", "read"] }
path "secret/metadata/ceremony/audit/*" { capabilities = ["list"] }
path "secret/data/ceremony/vault-mode" { capabilities = ["read"] }
"""
)
# Least privilege for everyday ceremonies: request and apply of verify and
# recover-escrow. No write to platform/ and none to the registration.
OPERATOR_POLICY: Final = (
    "# Custodian ceremony, operator: verify and recover-escrow requests, exactly-once apply.\n"
    + _APPLY_RULES
    + """\
path "secret/data/ceremony/drills/*" { capabilities = ["create", "read"] }
path "secret/metadata/ceremony/drills/*" { capabilities = ["list"] }
path "secret/data/ceremony/registration" { capabilities = ["read"] }
path "secret/data/platform/master-key" { capabilities = ["read"] }
path "secret/data/users/+/surveys/+/recovery-kek" { capabilities = ["read", "update"] }
path "sys/wrapping/wrap" { capabilities = ["update"] }
"""
)
# Granted for one install or adopt ceremony, revoked after (docs/vault-deployment.md).
INSTALL_POLICY: Final = (
    "# Custodian ceremony, install and adopt: store the vault component, register the key.\n"
    + _APPLY_RULES
    + """\
path "secret/data/ceremony/registration" { capabilities = ["create", "read"] }
path "secret/data/platform/master-key" { capabilities = ["create", "read"] }
path "secret/metadata/users/*" { capabilities = ["list"] }
path "secret/data/users/+/surveys/+/recovery-kek" { capabilities = ["read"] }
"""
)
# For the second person who confirms an install from another machine, and for audits:
# reads what was registered and what happened, and nothing that opens anything (no
# request keys, no vault component, no escrow).
AUDITOR_POLICY_NAME: Final = "checktick-ceremony-auditor"
AUDITOR_POLICY: Final = (
    "# Custodian ceremony, auditor: registration, mode, claims, releases, audit entries and "
    "drills; read only.\n"
    + _SELF
    + """\
path "secret/data/ceremony/registration" { capabilities = ["read"] }
path "secret/data/ceremony/vault-mode" { capabilities = ["read"] }
path "secret/data/ceremony/consumed/*" { capabilities = ["read"] }
path "secret/data/ceremony/releases/*" { capabilities = ["read"] }
path "secret/data/ceremony/audit/*" { capabilities = ["read"] }
path "secret/metadata/ceremony/audit/*" { capabilities = ["list"] }
path "secret/data/ceremony/drills/*" { capabilities = ["read"] }
path "secret/metadata/ceremony/drills/*" { capabilities = ["list"] }
"""
)


def setup(client: VaultClient, rehearsal: bool = False) -> list[str]:
    """Check the KV v2 mount, write the policies and the Vault's mode; say what was done."""
    info = client.mount_info(MOUNT)
    version = str((info.get("options") or {}).get("version", "1"))
    if info.get("type") != "kv" or version != "2":
        raise VaultError(
            f"The secrets engine at {MOUNT}/ is {info.get('type')} version {version}; "
            "CheckTick and the ceremony need KV version 2 there.",
            code="mount",
        )
    mode = "practice" if rehearsal else "production"
    stored = client.read(VAULT_MODE, "reading whether this is a practice Vault")
    current = str(stored.data.get("mode")) if stored else None
    if current is None:
        if rehearsal and client.read(REGISTRATION, "reading the ceremony registration"):
            raise VaultError(
                "This Vault already holds a registered key, so it cannot become a practice "
                "Vault. Rehearse on a separate Vault.",
                code="mode",
            )
        if not client.create(VAULT_MODE, {"mode": mode}, "marking the Vault's mode"):
            raise VaultError(
                "Another setup marked this Vault at the same time; run setup again.",
                code="conflict",
            )
    elif current != mode:
        raise VaultError(
            f"This Vault is marked as a {current} Vault and stays one; "
            + (
                "rehearse on a separate Vault."
                if rehearsal
                else "run `ceremony vault setup --rehearsal` to keep using it for practice."
            ),
            code="mode",
        )
    client.write_policy(POLICY_NAME, OPERATOR_POLICY)
    client.write_policy(INSTALL_POLICY_NAME, INSTALL_POLICY)
    client.write_policy(AUDITOR_POLICY_NAME, AUDITOR_POLICY)
    lines = [
        f"{MOUNT}/ is a KV version 2 secrets engine.",
        f"This is a {mode} Vault"
        + (
            ": it accepts rehearsal bundles only."
            if rehearsal
            else ": it refuses rehearsal bundles."
        ),
        f"Wrote the operator policy {POLICY_NAME} (verify and recover-escrow; no write to "
        "platform/). Attach it to the AppRole or token that runs `ceremony vault`.",
        f"Wrote the install policy {INSTALL_POLICY_NAME} (install and adopt). Grant it for one "
        "ceremony only and revoke it afterwards (docs/protocol.md).",
        f"Wrote the read-only policy {AUDITOR_POLICY_NAME}, for whoever confirms an install "
        "with `ceremony vault status` from another machine.",
    ]
    return lines


@dataclass(frozen=True)
class Status:
    address: str
    initialized: bool
    sealed: bool
    version: str
    master_key: bool | None = False  # None: this token may not look
    practice: bool = False
    registration: dict[str, Any] | None = None
    pending: list[dict[str, Any]] | None = field(default_factory=list)
    drills: DrillDue | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "drills": self.drills.summary() if self.drills else None,
            "address": self.address,
            "initialized": self.initialized,
            "sealed": self.sealed,
            "version": self.version,
            "master_key": self.master_key,
            "practice_vault": self.practice,
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
        try:
            public["export_key_check"] = keys.export_key_check(
                bytes.fromhex(str(registered.get("export_public_key")))
            )
        except ValueError:
            public["export_key_check"] = "damaged registration"
    pending: list[dict[str, Any]] | None = []
    try:
        names = client.list(REQUESTS, "listing pending requests")
    except VaultError as err:
        if err.code != "forbidden":
            raise
        names, pending = [], None  # a read-only token: pending requests are not its business
    for name in names:
        stored = client.read(f"{REQUESTS}/{name}", "reading a pending request")
        if stored is not None and pending is not None:  # what it asks, never its key
            pending.append(
                {
                    "id": name,
                    "operation": stored.data.get("operation"),
                    "params": stored.data.get("params"),
                    "expires_at": stored.data.get("expires_at"),
                    "expired": _past(stored.data.get("expires_at")),
                }
            )
    try:
        master: bool | None = client.read(MASTER_KEY, "reading the master key") is not None
    except VaultError as err:
        if err.code != "forbidden":
            raise
        master = None
    return Status(
        base.address,
        base.initialized,
        base.sealed,
        base.version,
        master,
        is_practice_vault(client),
        public,
        pending,
        drill_warnings(client),
    )


def _past(moment: object) -> bool:
    try:
        when = datetime.fromisoformat(str(moment))
    except ValueError:
        return False
    return (when if when.tzinfo else when.replace(tzinfo=UTC)) <= datetime.now(UTC)


def audit_entries(client: VaultClient) -> list[dict[str, Any]]:
    """Every audit entry and drill, newest first, each checked against the registered key.

    ``verified`` says whether the record's bundle proves it; ``problem`` says what
    does not verify ("not signed by this key's custodians: ...").
    """
    registered = registration(client)
    export_key = str(registered.get("export_public_key") or "") if registered else None
    practice = is_practice_vault(client)
    entries = []
    for entry in audit_records(client):
        entries.append(
            _checked(entry, record_problem(entry, export_key, practice=practice), "audit")
        )
    for drill in drill_records(client):
        problem = record_problem(drill, export_key, "verify", practice=practice)
        drill = {
            **drill,
            "operation": "drill",
            "time": drill.get("drilled_at"),
        }
        entries.append(_checked(drill, problem, "drill"))
    return sorted(
        entries, key=lambda e: (str(e.get("time", "")), str(e.get("request_id"))), reverse=True
    )


def _checked(record: dict[str, Any], problem: str | None, kind: str) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k not in ("_name", "request_key")}
    out["name"] = record.get("_name")
    out["kind"] = kind
    out["verified"] = problem is None
    if problem is not None:
        out["problem"] = f"{NOT_SIGNED}: {problem}"
    return out


def drill_warnings(client: VaultClient) -> DrillDue | None:
    """Whether a drill is due, when a key is registered and this token may list drills."""
    registered = registration(client)
    if registered is None:
        return None
    try:
        drills = drill_records(client)
    except VaultError as err:
        if err.code != "forbidden":
            raise
        return None
    return drill_due(registered, drills, practice=is_practice_vault(client))
