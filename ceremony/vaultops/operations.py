"""What each operation does to Vault once its bundle is verified, validated and claimed.

Every write here is create-only or check-and-set and recognises its own earlier
result, so running an operation twice for one request has the effect of once.
The online side never holds the custodian component or the platform key: it
stores what install sends, compares fingerprints, and releases only the KEK
the quorum approved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from ceremony import gap, keys
from ceremony.errors import VaultError
from ceremony.secret import Secret
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.paths import DRILLS, MASTER_KEY, REGISTRATION, escrow_path
from ceremony.vaultops.payloads import Validated

__all__ = [
    "ALGORITHM",
    "Context",
    "Outcome",
    "append_access",
    "check_against_registration",
    "release_marker",
    "run_operation",
    "stored_vault_fingerprint",
]

ALGORITHM: Final = "XOR split-knowledge"
KEY_SIZE_BITS: Final = 512
_CEREMONY_REQUESTS: Final = "custodian_ceremony_requests"  # in audit_trail: exactly once


@dataclass(frozen=True)
class Context:
    """Everything an operation may use: the verified bundle and its validated payload."""

    client: VaultClient
    bundle: gap.Bundle
    payload: Validated = field(repr=False)
    registered: dict[str, Any] | None
    digest: str
    claimed_at: str  # fixed by the first run, so repeated writes carry the same values
    wrap_ttl: int
    admin_id: int | None = None
    notes: str | None = None
    request_key: str | None = field(default=None, repr=False)  # verify only: opens the proof

    @property
    def header(self) -> gap.BundleHeader:
        return self.bundle.header


@dataclass(frozen=True)
class Outcome:
    fingerprints: dict[str, str]
    details: dict[str, Any] = field(default_factory=dict)


def run_operation(ctx: Context) -> Outcome:
    runner = {
        "install": _install,
        "adopt": _adopt,
        "verify": _verify,
        "recover-escrow": _recover_escrow,
    }[ctx.header.operation]
    return runner(ctx)


# -- helpers -------------------------------------------------------------------


def _mismatch(label: str, bundle_fp: str, vault_fp: str, why: str) -> VaultError:
    return VaultError(
        f"The {label} fingerprint does not match: the bundle says {bundle_fp}, Vault has "
        f"{vault_fp}. {why}",
        code="fingerprint",
    )


def stored_vault_fingerprint(client: VaultClient) -> str:
    stored = client.read(MASTER_KEY, "reading the vault component")
    value = str(stored.data.get("vault_component")) if stored else ""
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = b""
    if len(raw) != 64:
        raise VaultError(
            f"There is no valid vault component at secret/{MASTER_KEY}.", code="no-master-key"
        )
    with Secret(raw, "vault component") as vault:
        return keys.fingerprint(vault, "vault")


def _registered_fingerprints(ctx: Context) -> dict[str, str]:
    fps = (ctx.registered or {}).get("fingerprints")
    return {str(k): str(v) for k, v in fps.items()} if isinstance(fps, dict) else {}


def check_against_registration(ctx: Context) -> dict[str, str]:
    """The bundle's fingerprints and Vault's component must be the registered ones."""
    registered = _registered_fingerprints(ctx)
    vault_fp = stored_vault_fingerprint(ctx.client)
    if registered.get("vault") and registered["vault"] != vault_fp:
        raise _mismatch(
            "vault",
            registered["vault"],
            vault_fp,
            "The component in Vault is not the one registered; stop and investigate.",
        )
    for label, value in ctx.header.fingerprints.items():
        expected = vault_fp if label == "vault" else registered.get(label)
        if expected and value != expected:
            raise _mismatch(label, value, expected, "These shares belong to another key.")
    return {**registered, "vault": vault_fp}


def _create_or_same(
    ctx: Context, path: str, record: dict[str, Any], same: tuple[str, ...], what: str
) -> bool:
    """Create-only write; True if it is there now with our values in the ``same`` fields."""
    if ctx.client.create(path, record, what):
        return True
    stored = ctx.client.read(path, what)
    return stored is not None and all(stored.data.get(k) == record[k] for k in same)


def _registration(ctx: Context, fingerprints: dict[str, str], scheme: str) -> dict[str, Any]:
    return {
        "export_public_key": ctx.header.signer_public_key.hex(),
        "export_key_check": keys.export_key_check(ctx.header.signer_public_key),
        "fingerprints": fingerprints,
        "key_version": ctx.header.key_version,
        "ceremony_id": ctx.header.ceremony_id,
        "share_scheme": scheme,
        "operation": ctx.header.operation,
        "request_id": ctx.header.request_id,
        "registered_at": ctx.claimed_at,
        **_evidence(ctx),
    }


def _evidence(ctx: Context) -> dict[str, Any]:
    """Optional fields the room's bundle carried; missing ones are simply not recorded."""
    out: dict[str, Any] = {}
    if ctx.payload.transcript_sha256 is not None:
        out["transcript_sha256"] = ctx.payload.transcript_sha256
    if ctx.header.operation in gap.REGISTERING_OPERATIONS:
        if ctx.payload.drill_interval_days is not None:
            out["drill_interval_days"] = ctx.payload.drill_interval_days
        if ctx.payload.holders is not None:
            out["holders"] = ctx.payload.holders
        if ctx.payload.share_holders is not None:
            out["share_holders"] = ctx.payload.share_holders
    if ctx.payload.shares_checked is not None:
        out["shares_checked"] = ctx.payload.shares_checked
    return out


def _register(ctx: Context, registration: dict[str, Any]) -> None:
    if not _create_or_same(
        ctx, REGISTRATION, registration, ("request_id",), "registering the export key"
    ):
        raise VaultError(
            "An export key is already registered; it is never replaced.", code="registered"
        )


# -- operations ----------------------------------------------------------------


def _install(ctx: Context) -> Outcome:
    fps = dict(ctx.header.fingerprints)
    vault = ctx.payload.vault_component
    if vault is None:  # validate_payload guarantees it; kept for the type checker
        raise VaultError("The install bundle carries no vault component.", code="payload")
    vault_hex = vault.reveal().hex()
    registration = _registration(ctx, fps, ctx.payload.share_scheme)
    master = {
        "vault_component": vault_hex,
        "created_at": ctx.claimed_at,
        "algorithm": ALGORITHM,
        "key_size": KEY_SIZE_BITS,
        "note": "Written by the custodian ceremony; the custodian component is held offline "
        "as Shamir shares.",
        **{k: registration[k] for k in ("fingerprints", "export_public_key", "key_version")},
        "ceremony_id": ctx.header.ceremony_id,
        "share_scheme": ctx.payload.share_scheme,
        "request_id": ctx.header.request_id,
    }
    if not _create_or_same(
        ctx, MASTER_KEY, master, ("vault_component", "request_id"), "storing the vault component"
    ):
        raise VaultError(
            f"A master key is already stored at secret/{MASTER_KEY}; install never replaces "
            "it. Use adopt for an existing deployment.",
            code="exists",
        )
    _register(ctx, registration)
    return Outcome(fps, {"key_version": ctx.header.key_version})


def _adopt(ctx: Context) -> Outcome:
    fps = dict(ctx.header.fingerprints)
    vault_fp = stored_vault_fingerprint(ctx.client)
    if fps["vault"] != vault_fp:
        raise _mismatch(
            "vault", fps["vault"], vault_fp, "These shares belong to another deployment."
        )
    registration = _registration(ctx, fps, ctx.payload.share_scheme)
    registration["email_proof"] = ctx.payload.email_proof
    _register(ctx, registration)
    return Outcome(fps, {"key_version": ctx.header.key_version})


def _verify(ctx: Context) -> Outcome:
    fps = check_against_registration(ctx)
    drill = {
        "request_id": ctx.header.request_id,
        "ceremony_id": ctx.header.ceremony_id,
        "key_version": ctx.header.key_version,
        "fingerprints": dict(ctx.header.fingerprints),
        "export_key_check": keys.export_key_check(ctx.header.signer_public_key),
        "result": "The quorum rebuilt the registered custodian component and signed an "
        "attestation with the registered export key.",
        "drilled_at": ctx.claimed_at,
        "sealed_at": _iso(ctx.header.created_at),
        "bundle_digest": ctx.digest,
        "bundle": ctx.bundle.text_line(),
        **_evidence(ctx),
    }
    if ctx.request_key is not None:  # a verify payload holds no secret: anyone may reopen it
        drill["request_key"] = ctx.request_key
    if not _create_or_same(
        ctx,
        f"{DRILLS}/{ctx.header.request_id}",
        drill,
        ("request_id", "bundle_digest", "bundle"),
        "recording the drill",
    ):
        raise VaultError("A different drill is recorded for this request.", code="conflict")
    return Outcome(fps)


def _recover_escrow(ctx: Context) -> Outcome:
    """Checks only: the KEK is released by ``release.release_once`` under the release log."""
    user, survey = ctx.header.params["user"], ctx.header.params["survey"]
    fps = check_against_registration(ctx)
    if ctx.payload.kek is None:  # validate_payload guarantees it; kept for the type checker
        raise VaultError("The bundle carries no KEK.", code="payload")
    if ctx.client.read(escrow_path(user, survey), "reading the recovery escrow") is None:
        raise VaultError(
            f"There is no recovery escrow at secret/{escrow_path(user, survey)}.", code="no-escrow"
        )
    return Outcome(fps, {"user": user, "survey": survey})


def release_marker(request_id: str, release: int) -> str:
    """How CheckTick's audit_trail names this release: the request id, then id#2, id#3..."""
    return request_id if release == 1 else f"{request_id}#{release}"


def append_access(ctx: Context, release: int) -> None:
    """Append to CheckTick's audit_trail once per release, as its recover_user_survey_kek does."""
    user, survey = ctx.header.params["user"], ctx.header.params["survey"]
    path = escrow_path(user, survey)
    marker = release_marker(ctx.header.request_id, release)
    stored = ctx.client.read(path, "reading the recovery escrow")
    for _ in range(5):  # other writers may move the version on between read and write
        if stored is None:
            raise VaultError(f"There is no recovery escrow at secret/{path}.", code="no-escrow")
        record = dict(stored.data)
        trail = dict(record.get("audit_trail") or {})
        done = list(trail.get(_CEREMONY_REQUESTS) or [])
        if marker in done:
            return
        accessed = list(trail.get("accessed_by") or [])
        if ctx.admin_id is not None:
            trail["accessed_by"] = [*accessed, ctx.admin_id]
        trail["access_timestamps"] = [*list(trail.get("access_timestamps") or []), _iso_now()]
        again = f" (release {release}: the earlier token was revoked unused)" if release > 1 else ""
        trail["last_verification_notes"] = ctx.notes or (
            f"Released by custodian ceremony {ctx.header.ceremony_id} (request "
            f"{ctx.header.request_id}) in a single-use wrapping token{again}."
        )
        trail[_CEREMONY_REQUESTS] = [*done, marker]
        record["audit_trail"] = trail
        if ctx.client.write(path, record, stored.version, "appending to the escrow audit trail"):
            return
        stored = ctx.client.read(path, "reading the recovery escrow")
    raise VaultError(f"The escrow at secret/{path} keeps changing; try again.", code="conflict")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _iso_now() -> str:
    return _iso(datetime.now(UTC))
