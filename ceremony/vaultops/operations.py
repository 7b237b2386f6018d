"""What each operation does to Vault once its bundle is verified, claimed and opened.

Every write here is create-only or check-and-set and recognises its own earlier
result, so running an operation twice for one request has the effect of once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from ceremony import gap, keys
from ceremony.errors import BundleError, VaultError
from ceremony.secret import Secret
from ceremony.vaultops.client import Stored, VaultClient
from ceremony.vaultops.escrow import decrypt_kek, kek_key
from ceremony.vaultops.paths import DRILLS, MASTER_KEY, REGISTRATION, escrow_path

__all__ = ["Context", "Outcome", "run_operation"]

ALGORITHM: Final = "XOR split-knowledge"
KEY_SIZE_BITS: Final = 512
_COMPONENT_HEX = re.compile(r"[0-9a-f]{128}")
_ESCROW_MARK: Final = "custodian-ceremony:"


@dataclass(frozen=True)
class Context:
    """Everything an operation may use: the verified bundle and its opened payload."""

    client: VaultClient
    bundle: gap.Bundle
    payload: dict[str, Any] = field(repr=False)
    registered: dict[str, Any] | None
    digest: str
    claimed_at: str  # fixed by the first run, so repeated writes carry the same values
    wrap_ttl: int
    pbkdf2_iterations: int

    @property
    def header(self) -> gap.BundleHeader:
        return self.bundle.header


@dataclass(frozen=True)
class Outcome:
    fingerprints: dict[str, str]
    details: dict[str, Any] = field(default_factory=dict)
    wrapping_token: str | None = field(default=None, repr=False)


def run_operation(ctx: Context) -> Outcome:
    _check_payload_matches_header(ctx)
    runner = {
        "install": _install,
        "adopt": _adopt,
        "verify": _verify,
        "recover-escrow": _recover_escrow,
    }[ctx.header.operation]
    return runner(ctx)


# -- helpers -------------------------------------------------------------------


def _check_payload_matches_header(ctx: Context) -> None:
    """The sealed payload repeats the export key and fingerprints; they must agree."""
    export = ctx.payload.get("export_public_key")
    if export is not None and export != ctx.header.signer_public_key.hex():
        raise BundleError("The bundle's sealed export key differs from its signer.", code="payload")
    fps = ctx.payload.get("fingerprints")
    if isinstance(fps, dict) and any(
        ctx.header.fingerprints.get(k, v) != v for k, v in fps.items()
    ):
        raise BundleError(
            "The bundle's sealed fingerprints differ from its signed ones.", code="payload"
        )


def _component(payload: dict[str, Any], name: str) -> Secret:
    value = payload.get(name)
    if not isinstance(value, str) or not _COMPONENT_HEX.fullmatch(value):
        raise BundleError(
            f"The bundle does not carry a valid {name.replace('_', ' ')}.", code="payload"
        )
    return Secret(bytes.fromhex(value), name)


def _mismatch(label: str, bundle_fp: str, vault_fp: str, why: str) -> VaultError:
    return VaultError(
        f"The {label} fingerprint does not match: the bundle says {bundle_fp}, Vault has "
        f"{vault_fp}. {why}",
        code="fingerprint",
    )


def _stored_component(ctx: Context) -> tuple[Secret, dict[str, Any]]:
    stored = ctx.client.read(MASTER_KEY, "reading the vault component")
    if stored is None or not _COMPONENT_HEX.fullmatch(str(stored.data.get("vault_component"))):
        raise VaultError(
            f"There is no valid vault component at secret/{MASTER_KEY}.", code="no-master-key"
        )
    return Secret(bytes.fromhex(str(stored.data["vault_component"])), "vault"), stored.data


def _registered_fingerprints(ctx: Context) -> dict[str, str]:
    fps = (ctx.registered or {}).get("fingerprints")
    return {str(k): str(v) for k, v in fps.items()} if isinstance(fps, dict) else {}


def _check_against_registration(ctx: Context, vault: Secret) -> dict[str, str]:
    """The bundle's and Vault's component must be the registered ones."""
    registered = _registered_fingerprints(ctx)
    vault_fp = keys.fingerprint(vault, "vault")
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
        "fingerprints": fingerprints,
        "key_version": ctx.header.key_version,
        "ceremony_id": ctx.header.ceremony_id,
        "share_scheme": scheme,
        "operation": ctx.header.operation,
        "request_id": ctx.header.request_id,
        "registered_at": ctx.claimed_at,
    }


def _custodian_fingerprints(ctx: Context) -> dict[str, str]:
    fps = dict(ctx.header.fingerprints)
    if "custodian" not in fps:
        raise BundleError("The bundle does not name the custodian fingerprint.", code="payload")
    return fps


# -- operations ----------------------------------------------------------------


def _install(ctx: Context) -> Outcome:
    fps = _custodian_fingerprints(ctx)
    with _component(ctx.payload, "vault_component") as vault:
        vault_fp = keys.fingerprint(vault, "vault")
        vault_hex = vault.reveal().hex()
    if fps.get("vault", vault_fp) != vault_fp:
        raise _mismatch("vault", fps["vault"], vault_fp, "The bundle is inconsistent.")
    fps["vault"] = vault_fp
    scheme = str(ctx.payload.get("share_scheme") or ctx.payload.get("scheme") or "slip39")
    registration = _registration(ctx, fps, scheme)
    master = {
        "vault_component": vault_hex,
        "created_at": ctx.claimed_at,
        "algorithm": ALGORITHM,
        "key_size": KEY_SIZE_BITS,
        "note": "Written by the custodian ceremony; the custodian component is held offline "
        "as Shamir shares.",
        **{k: registration[k] for k in ("fingerprints", "export_public_key", "key_version")},
        "ceremony_id": ctx.header.ceremony_id,
        "share_scheme": scheme,
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


def _register(ctx: Context, registration: dict[str, Any]) -> None:
    if not _create_or_same(
        ctx, REGISTRATION, registration, ("request_id",), "registering the export key"
    ):
        raise VaultError(
            "An export key is already registered; it is never replaced.", code="registered"
        )


def _adopt(ctx: Context) -> Outcome:
    fps = _custodian_fingerprints(ctx)
    vault, _ = _stored_component(ctx)
    with vault:
        vault_fp = keys.fingerprint(vault, "vault")
    if fps.get("vault", vault_fp) != vault_fp:
        raise _mismatch(
            "vault", fps["vault"], vault_fp, "These shares belong to another deployment."
        )
    fps["vault"] = vault_fp
    scheme = str(ctx.payload.get("share_scheme") or ctx.payload.get("scheme") or "checktick")
    _register(ctx, _registration(ctx, fps, scheme))
    return Outcome(fps, {"key_version": ctx.header.key_version})


def _verify(ctx: Context) -> Outcome:
    vault, _ = _stored_component(ctx)
    with vault:
        fps = _check_against_registration(ctx, vault)
    drill = {
        "request_id": ctx.header.request_id,
        "ceremony_id": ctx.header.ceremony_id,
        "key_version": ctx.header.key_version,
        "fingerprints": dict(ctx.header.fingerprints),
        "result": "The shares rebuilt the registered key.",
        "drilled_at": ctx.claimed_at,
        "bundle_digest": ctx.digest,
    }
    if not _create_or_same(
        ctx, f"{DRILLS}/{ctx.header.request_id}", drill, ("request_id",), "recording the drill"
    ):
        raise VaultError("A different drill is recorded for this request.", code="conflict")
    return Outcome(fps)


def _recover_escrow(ctx: Context) -> Outcome:
    user, survey = ctx.header.params["user"], ctx.header.params["survey"]
    vault, _ = _stored_component(ctx)
    with vault, _component(ctx.payload, "custodian_component") as custodian:
        fps = _check_against_registration(ctx, vault)
        if fps.get("custodian") and keys.fingerprint(custodian, "custodian") != fps["custodian"]:
            raise _mismatch(
                "custodian",
                keys.fingerprint(custodian, "custodian"),
                fps["custodian"],
                "The bundle carries another component.",
            )
        with keys.xor(vault, custodian) as platform:
            platform_fp = keys.fingerprint(platform, "platform")
            if fps.get("platform") and platform_fp != fps["platform"]:
                raise _mismatch("platform", platform_fp, fps["platform"], "Stop and investigate.")
            escrow = _read_escrow(ctx, user, survey)
            with kek_key(platform, user, survey, ctx.pbkdf2_iterations) as key:
                kek = decrypt_kek(str(escrow.data.get("encrypted_kek", "")), key)
    with kek:
        _append_access(ctx, user, survey, escrow)
        token = ctx.client.wrap(
            {"kek": kek.reveal().hex(), "user_id": user, "survey_id": survey},
            ctx.wrap_ttl,
            "wrapping the KEK in a single-use token",
        )
    return Outcome(fps, {"user": user, "survey": survey}, wrapping_token=token)


def _read_escrow(ctx: Context, user: str, survey: str) -> Stored:
    stored = ctx.client.read(escrow_path(user, survey), "reading the recovery escrow")
    if stored is None:
        raise VaultError(
            f"There is no recovery escrow at secret/{escrow_path(user, survey)}.", code="no-escrow"
        )
    return stored


def _append_access(ctx: Context, user: str, survey: str, first: Stored) -> None:
    """Append to CheckTick's audit_trail once per request, as its own recovery does."""
    path = escrow_path(user, survey)
    mark = _ESCROW_MARK + ctx.header.request_id
    stored: Stored | None = first
    for _ in range(5):  # other writers may move the version on between read and write
        if stored is None:
            raise VaultError(f"The recovery escrow at secret/{path} vanished.", code="no-escrow")
        record = dict(stored.data)
        trail = dict(record.get("audit_trail") or {})
        accessed = list(trail.get("accessed_by") or [])
        if mark in accessed:
            return
        trail["accessed_by"] = [*accessed, mark]
        trail["access_timestamps"] = [*list(trail.get("access_timestamps") or []), _iso_now()]
        record["audit_trail"] = trail
        record["last_verification_notes"] = (
            f"Released by custodian ceremony {ctx.header.ceremony_id} (request "
            f"{ctx.header.request_id}) in a single-use wrapping token."
        )
        if ctx.client.write(path, record, stored.version, "appending to the escrow audit trail"):
            return
        stored = ctx.client.read(path, "reading the recovery escrow")
    raise VaultError(f"The escrow at secret/{path} keeps changing; try again.", code="conflict")


def _iso_now() -> str:
    return datetime.now().astimezone().isoformat()
