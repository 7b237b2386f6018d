"""``ceremony vault apply BUNDLE``: verify, claim, open, check, act, audit, finish.

The order matters for exactly-once (see ``claim.py``): nothing is written
before the claim, every write after it can be repeated, the claim is marked
done only when the effect is complete, and the request key is destroyed last.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ceremony import gap
from ceremony.errors import BundleError, VaultError
from ceremony.vaultops.claim import claim_request, finish_claim, read_claim, refuse_used
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.escrow import CHECKTICK_PBKDF2_ITERATIONS
from ceremony.vaultops.operations import Context, Outcome, run_operation
from ceremony.vaultops.paths import AUDIT, REQUESTS
from ceremony.vaultops.requesting import load_request, registration

__all__ = ["ApplyResult", "apply_bundle"]

MIN_WRAP_TTL = 60


@dataclass(frozen=True)
class ApplyResult:
    operation: str
    request_id: str
    status: str  # "applied"
    resumed: bool
    fingerprints: dict[str, str]
    key_version: str
    ceremony_id: str
    wrapping_token: str | None = field(default=None, repr=False)
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
        }
        if self.wrapping_token is not None:
            out["wrapping_token"] = self.wrapping_token
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def apply_bundle(
    client: VaultClient,
    data: bytes | str,
    now: datetime | None = None,
    pbkdf2_iterations: int = CHECKTICK_PBKDF2_ITERATIONS,
) -> ApplyResult:
    moment = now or datetime.now(UTC)
    bundle = gap.parse_bundle(data)
    digest = gap.bundle_digest(bundle)
    request_id = bundle.request_id
    loaded = load_request(client, request_id)
    if loaded is None:
        raise refuse_used(request_id, read_claim(client, request_id), digest)
    request, private = loaded
    with private:
        registered = registration(client)
        trusted = bytes.fromhex(str(registered["export_public_key"])) if registered else None
        _verify(client, bundle, request, trusted, moment, digest)
        _check_key_version(bundle, registered)
        claim = claim_request(client, request_id, digest, bundle.operation, _iso(moment))
        payload = gap.open_bundle(bundle, private)
    lifetime = int((request.expires_at - request.created_at).total_seconds())
    ctx = Context(
        client=client,
        bundle=bundle,
        payload=payload,
        registered=registered,
        digest=digest,
        claimed_at=claim.claimed_at,
        wrap_ttl=max(MIN_WRAP_TTL, lifetime),
        pbkdf2_iterations=pbkdf2_iterations,
    )
    try:
        outcome = run_operation(ctx)
    finally:
        payload.clear()  # drops our references to component hex; see secret.py on limits
    try:
        _audit(ctx, outcome)
        finish_claim(client, claim, {"fingerprints": outcome.fingerprints}, _iso(moment))
    except VaultError:
        _void(client, outcome)
        raise
    warnings = _destroy_request_key(client, request_id)
    return ApplyResult(
        operation=bundle.operation,
        request_id=request_id,
        status="applied",
        resumed=claim.resumed,
        fingerprints=outcome.fingerprints,
        key_version=bundle.header.key_version,
        ceremony_id=bundle.header.ceremony_id,
        wrapping_token=outcome.wrapping_token,
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
        if claim is None or claim.get("bundle_digest") != digest or claim.get("state") == "done":
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
        "host": socket.gethostname(),
        "user": getpass.getuser(),
    }
    path = f"{AUDIT}/{header.request_id}"
    if ctx.client.create(path, entry, "writing the audit entry"):
        return
    stored = ctx.client.read(path, "reading the audit entry")
    if stored is None or stored.data.get("bundle_digest") != ctx.digest:
        raise VaultError("A different audit entry exists for this request.", code="conflict")


def _void(client: VaultClient, outcome: Outcome) -> None:
    """A run that did not complete must not leave a usable KEK token behind."""
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
            f"The request was applied, but its key could not be destroyed ({err.message}) "
            "It is useless now; applying the bundle again removes it.",
        )
    return ()
