"""``ceremony vault apply BUNDLE``: validate everything, then claim, act, audit, finish.

The order matters:

1. parse, check the signature and that the bundle answers the stored request;
2. check the Vault's mode (practice or production) against the rehearsal mark,
   and for install and adopt the export key check typed from the printed record;
3. open the payload with the request key and validate it completely;
4. only then claim the request (create-only): a bundle that fails any check
   above never consumes or wedges it;
5. act (every write idempotent), audit, mark the claim done, destroy the
   request key.

A wrapping token is voided only when the "done" write is known not to have
landed. If that is unknown, the same bundle applied again releases the KEK
again in a new token (the request key is destroyed only after a confirmed
"done"), so a lost confirmation never costs a new quorum ceremony.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from ceremony import crockford, gap, keys
from ceremony.errors import BundleError, VaultError
from ceremony.vaultops.claim import (
    Claim,
    claim_request,
    finish_claim,
    read_claim,
    refuse_used,
)
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.operations import Context, Outcome, run_operation
from ceremony.vaultops.paths import AUDIT, REQUESTS
from ceremony.vaultops.payloads import validate_payload
from ceremony.vaultops.requesting import (
    is_practice_vault,
    load_request,
    registration,
)

__all__ = ["DEFAULT_WRAP_TTL", "MAX_WRAP_TTL", "ApplyResult", "apply_bundle", "check_export_key"]

DEFAULT_WRAP_TTL: Final = 15 * 60
MAX_WRAP_TTL: Final = 60 * 60
MIN_WRAP_TTL: Final = 60


@dataclass(frozen=True)
class ApplyResult:
    operation: str
    request_id: str
    status: str  # "applied" or "released again"
    resumed: bool
    fingerprints: dict[str, str]
    key_version: str
    ceremony_id: str
    digest: str = ""  # the room asks for its first 8 characters as proof the answer got out
    wrapping_token: str | None = field(default=None, repr=False)
    wrap_ttl: int | None = None
    warnings: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        """The --json form."""
        out: dict[str, Any] = {
            "operation": self.operation,
            "request_id": self.request_id,
            "status": self.status,
            "resumed": self.resumed,
            "fingerprints": self.fingerprints,
            "key_version": self.key_version,
            "ceremony_id": self.ceremony_id,
            "bundle_digest": self.digest,
        }
        if self.wrapping_token is not None:
            out["wrapping_token"] = self.wrapping_token
            out["wrap_ttl_seconds"] = self.wrap_ttl
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def check_export_key(bundle: gap.Bundle, expected: str | None) -> None:
    """install and adopt: the signer must be the export key printed on the ceremony record."""
    if bundle.operation not in gap.REGISTERING_OPERATIONS:
        return
    actual = keys.export_key_check(bundle.header.signer_public_key)
    if not expected or not expected.strip():
        raise VaultError(
            f"{bundle.operation} needs --expect-export-key CODE, typed from the export key "
            "check on the printed ceremony record. Nothing was applied; the request is still "
            "usable.",
            code="export-key-missing",
        )
    try:
        typed = crockford.join_groups(expected)
    except crockford.GroupMismatch as err:
        raise VaultError(
            f"Group {err.group} ({err.text}) of --expect-export-key does not check out: a "
            "character is mistyped. Nothing was applied; the request is still usable.",
            code="export-key-typo",
        ) from None
    except crockford.CodeError:
        raise VaultError(
            "--expect-export-key is not an export key check like 6KAEF6-1XCPFB-...: copy it "
            "again from the record. Nothing was applied; the request is still usable.",
            code="export-key-typo",
        ) from None
    if typed != crockford.join_groups(actual):
        raise VaultError(
            "This bundle is signed by a different export key than the one on the printed "
            "ceremony record: it was not made by your custodians' ceremony. It is refused; "
            "the request is still usable for the right bundle.",
            code="export-key-mismatch",
        )


def _check_mode(client: VaultClient, bundle: gap.Bundle) -> None:
    practice = is_practice_vault(client)
    if bundle.header.rehearsal and not practice:
        raise VaultError(
            "This is a rehearsal bundle and this is a production Vault: a practice key is "
            "never installed. Nothing was applied.",
            code="rehearsal",
        )
    if practice and not bundle.header.rehearsal:
        raise VaultError(
            "This is a practice Vault (set up with --rehearsal); it refuses real bundles.",
            code="rehearsal",
        )


def apply_bundle(
    client: VaultClient,
    data: bytes | str,
    now: datetime | None = None,
    *,
    expect_export_key: str | None = None,
    wrap_ttl: int = DEFAULT_WRAP_TTL,
) -> ApplyResult:
    if not MIN_WRAP_TTL <= wrap_ttl <= MAX_WRAP_TTL:
        raise VaultError("The wrapping token must live between 1 minute and 1 hour.", code="params")
    moment = now or datetime.now(UTC)
    bundle = gap.parse_bundle(data)
    digest = gap.bundle_digest(bundle)
    request_id = bundle.request_id
    pending = load_request(client, request_id)
    if pending is None:
        raise refuse_used(request_id, read_claim(client, request_id), digest)
    request = pending.request
    with pending.private_key as private:
        registered = registration(client)
        trusted = bytes.fromhex(str(registered["export_public_key"])) if registered else None
        _verify(client, bundle, request, trusted, moment, digest)
        _check_mode(client, bundle)
        check_export_key(bundle, expect_export_key)
        _check_key_version(bundle, registered)
        payload = gap.open_bundle(bundle, private)
    try:
        validated = validate_payload(bundle, payload)
    finally:
        payload.clear()  # drops our references to secret hex; see secret.py on limits
    try:
        claim = claim_request(client, request_id, digest, bundle.operation, _iso(moment))
        ctx = Context(
            client=client,
            bundle=bundle,
            payload=validated,
            registered=registered,
            digest=digest,
            claimed_at=claim.claimed_at,
            wrap_ttl=wrap_ttl,
            admin_id=pending.admin_id,
            notes=pending.notes,
        )
        outcome = run_operation(ctx)
    finally:
        validated.wipe()
    return _finish(client, ctx, claim, outcome, moment)


def _finish(
    client: VaultClient, ctx: Context, claim: Claim, outcome: Outcome, moment: datetime
) -> ApplyResult:
    landed: bool | None = True
    try:
        _audit(ctx, outcome)
        if not claim.done:
            extra = {"fingerprints": outcome.fingerprints}
            landed = finish_claim(client, claim, extra, _iso(moment))
    except VaultError:
        _void(client, outcome)  # "done" is known not to have been written
        raise
    if landed is None:  # unknown: keep the token valid and the request key; say what to do
        raise VaultError(
            "Vault did not confirm that the request is marked done, and it cannot be read "
            "back now. Apply the same bundle again once Vault answers: it finishes, or "
            "releases the key again in a new token. No new ceremony is needed.",
            code="unconfirmed",
        )
    warnings = _destroy_request_key(client, ctx.header.request_id)
    return ApplyResult(
        operation=ctx.header.operation,
        request_id=ctx.header.request_id,
        status="released again" if claim.done else "applied",
        resumed=claim.resumed,
        fingerprints=outcome.fingerprints,
        key_version=ctx.header.key_version,
        ceremony_id=ctx.header.ceremony_id,
        digest=ctx.digest,
        wrapping_token=outcome.wrapping_token,
        wrap_ttl=ctx.wrap_ttl if outcome.wrapping_token else None,
        warnings=warnings,
    )


def _verify(
    client: VaultClient,
    bundle: gap.Bundle,
    request: gap.Request,
    trusted: bytes | None,
    moment: datetime,
    digest: str,
) -> None:
    """Refuse the bundle unless gap accepts it; expiry only guards a first claim.

    An apply that claimed the request in time and was then cut short may be
    finished after the request expired: the claim names this exact bundle.
    """
    try:
        gap.verify_bundle(bundle, request, trusted, moment)
    except BundleError as err:
        if err.code != "expired":
            raise
        claim = read_claim(client, request.id)
        if claim is None or claim.get("bundle_digest") != digest:
            raise
        gap.verify_bundle(bundle, request, trusted, request.created_at)  # all but the expiry


def _check_key_version(bundle: gap.Bundle, registered: dict[str, Any] | None) -> None:
    if registered is None or bundle.operation in gap.REGISTERING_OPERATIONS:
        return
    if str(registered.get("key_version")) != bundle.header.key_version:
        raise VaultError(
            f"This bundle is for key version {bundle.header.key_version!r}, but Vault holds "
            f"key version {registered.get('key_version')!r}.",
            code="key-version",
        )


def _audit(ctx: Context, outcome: Outcome) -> None:
    header = ctx.header
    entry = {
        "time": ctx.claimed_at,
        "operation": header.operation,
        "request_id": header.request_id,
        "params": dict(header.params),
        "ceremony_id": header.ceremony_id,
        "key_version": header.key_version,
        "bundle_digest": ctx.digest,
        "fingerprints": outcome.fingerprints,
        "signer": header.signer_public_key.hex(),
        "rehearsal": header.rehearsal,
        "host": socket.gethostname(),
        "user": getpass.getuser(),
    }
    if ctx.admin_id is not None:
        entry["admin_id"] = ctx.admin_id
    path = f"{AUDIT}/{header.request_id}"
    if ctx.client.create(path, entry, "writing the audit entry"):
        return
    stored = ctx.client.read(path, "reading the audit entry")
    if stored is None or stored.data.get("bundle_digest") != ctx.digest:
        raise VaultError("A different audit entry exists for this request.", code="conflict")


def _void(client: VaultClient, outcome: Outcome) -> None:
    """The run is known not to have completed: its token must not stay usable."""
    if outcome.wrapping_token is None:
        return
    try:
        client.unwrap(outcome.wrapping_token, "voiding the unused wrapping token")
    except VaultError:
        pass  # it expires with its TTL; it was never shown to anyone


def _destroy_request_key(client: VaultClient, request_id: str) -> tuple[str, ...]:
    try:
        client.delete_all(f"{REQUESTS}/{request_id}", "destroying the used request key")
    except VaultError as err:
        return (
            f"The request was applied, but its key could not be destroyed ({err}) "
            "Applying the bundle again removes it.",
        )
    return ()
