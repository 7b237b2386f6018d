"""``ceremony vault apply BUNDLE``: validate everything, then claim, act, audit.

The order matters:

1. parse, check the signature and that the bundle answers the stored request;
2. check the Vault's mode (practice or production) against the rehearsal mark,
   and for install and adopt the export key check typed from the printed record;
3. open the payload with the request key and validate it completely;
4. only then bind the request to this bundle (``claim.py``, create-only): a bundle
   that fails any check above never consumes or wedges it;
5. install, adopt, verify: act (every write idempotent), then the audit entry
   (create-only) marks them done; recover-escrow: the release log
   (``release.py``) lets exactly one run wrap the KEK and show its token;
6. destroy the request key. The claim stays, so a request key written back
   later opens nothing.

Every audit entry and drill record carries the bundle itself, so
``ceremony vault audit`` can check each against the registered export key.
"""

from __future__ import annotations

import getpass
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from ceremony import crockford, gap, keys
from ceremony.errors import BundleError, VaultError
from ceremony.vaultops.admin import INSTALL_POLICY_NAME
from ceremony.vaultops.claim import bind_claim, drop_request_key, read_claim, refuse_used
from ceremony.vaultops.client import VaultClient, Wrapped
from ceremony.vaultops.operations import (
    Context,
    Outcome,
    append_access,
    run_operation,
)
from ceremony.vaultops.paths import AUDIT
from ceremony.vaultops.payloads import validate_payload
from ceremony.vaultops.release import DEFAULT_WAIT, read_log, release_once, released
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
    resumed: bool  # an earlier run of this bundle had claimed the request
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
    release_again: bool = False,
    wait: float = DEFAULT_WAIT,
) -> ApplyResult:
    moment = now or datetime.now(UTC)
    bundle = _parsed(client, data, wrap_ttl=wrap_ttl, release_again=release_again)
    digest = gap.bundle_digest(bundle)
    request_id = bundle.request_id
    pending = load_request(client, request_id)
    if pending is None:
        raise _refuse_used(client, request_id, digest)
    request = pending.request
    with pending.private_key as private:
        registered = registration(client)
        trusted = bytes.fromhex(str(registered["export_public_key"])) if registered else None
        _verify(client, bundle, request, trusted, moment, digest)
        _check_mode(client, bundle)
        check_export_key(bundle, expect_export_key)
        _check_key_version(bundle, registered)
        payload = gap.open_bundle(bundle, private)
        request_key = private.reveal().hex() if bundle.operation == "verify" else None
    try:
        validated = validate_payload(bundle, payload)
    finally:
        payload.clear()  # drops our references to secret hex; see secret.py on limits
    try:
        claim = bind_claim(client, request_id, digest, bundle.operation, _iso(moment))
        ctx = Context(
            client=client,
            bundle=bundle,
            payload=validated,
            registered=registered,
            digest=digest,
            claimed_at=str(claim["claimed_at"]),
            wrap_ttl=wrap_ttl,
            admin_id=pending.admin_id,
            notes=pending.notes,
            request_key=request_key,
        )
        resumed = ctx.claimed_at != _iso(moment)
        if bundle.operation == "recover-escrow":
            return _release(ctx, resumed, release_again, wait)
        if _audit_entry(client, request_id) is not None:  # an earlier run finished it
            drop_request_key(client, request_id)
            raise _refuse_used(client, request_id, digest)
        outcome = run_operation(ctx)
    finally:
        validated.wipe()
    if not _audit(ctx, outcome, 1):  # a racing run of this same bundle wrote it first
        raise _refuse_used(client, request_id, digest)
    return _result(ctx, outcome, resumed, drop_request_key(client, request_id))


def _parsed(
    client: VaultClient, data: bytes | str, *, wrap_ttl: int, release_again: bool
) -> gap.Bundle:
    """The bundle parsed, once the options that need no request are known to fit it."""
    if not MIN_WRAP_TTL <= wrap_ttl <= MAX_WRAP_TTL:
        raise VaultError("The wrapping token must live between 1 minute and 1 hour.", code="params")
    bundle = gap.parse_bundle(data)
    if bundle.operation in gap.REGISTERING_OPERATIONS:
        client.policy = f"install policy {INSTALL_POLICY_NAME}"
    if release_again and bundle.operation != "recover-escrow":
        raise VaultError("--release-again is for recover-escrow bundles only.", code="params")
    return bundle


def _result(
    ctx: Context,
    outcome: Outcome,
    resumed: bool,
    warnings: tuple[str, ...],
    wrapped: Wrapped | None = None,
    release: int = 1,
) -> ApplyResult:
    return ApplyResult(
        operation=ctx.header.operation,
        request_id=ctx.header.request_id,
        status="released again" if release > 1 else "applied",
        resumed=resumed,
        fingerprints=outcome.fingerprints,
        key_version=ctx.header.key_version,
        ceremony_id=ctx.header.ceremony_id,
        digest=ctx.digest,
        wrapping_token=wrapped.token if wrapped else None,
        wrap_ttl=wrapped.ttl if wrapped else None,
        warnings=warnings,
    )


def _release(ctx: Context, resumed: bool, release_again: bool, wait: float) -> ApplyResult:
    """recover-escrow: exactly one run wraps the KEK and shows the token."""
    outcome = run_operation(ctx)  # checks only
    kek = ctx.payload.kek
    if kek is None:  # validate_payload guarantees it; kept for the type checker
        raise VaultError("The bundle carries no KEK.", code="payload")
    user, survey = ctx.header.params["user"], ctx.header.params["survey"]

    def prepare(release: int) -> None:
        if not _audit(ctx, outcome, release):
            raise VaultError("A different audit entry exists for this release.", code="conflict")
        append_access(ctx, release)

    def wrap() -> Wrapped:
        return ctx.client.wrap(
            {"kek": kek.reveal().hex(), "user_id": user, "survey_id": survey},
            ctx.wrap_ttl,
            "wrapping the KEK in a single-use token",
        )

    try:
        done = release_once(
            ctx.client,
            ctx.header.request_id,
            ctx.digest,
            prepare,
            wrap,
            release_again=release_again,
            wait=wait,
        )
    except VaultError as err:
        if err.code == "replay":
            _drop_if_token_expired(ctx.client, ctx.header.request_id)
        raise
    warnings = drop_request_key(ctx.client, ctx.header.request_id)
    return _result(ctx, outcome, resumed, warnings, done.wrapped, done.number)


def _drop_if_token_expired(client: VaultClient, request_id: str) -> None:
    """The request key stays while --release-again could still use it: until the token expires."""
    log = released(read_log(client, request_id))
    outcome = log[-1].outcome or {} if log else {}
    try:
        at = datetime.fromisoformat(str(outcome.get("at")))
        expired = datetime.now(UTC) > at + timedelta(seconds=int(outcome.get("wrap_ttl", 0)))
    except (TypeError, ValueError):
        expired = True
    if expired:
        drop_request_key(client, request_id)


def _refuse_used(client: VaultClient, request_id: str, digest: str) -> VaultError:
    claim = read_claim(client, request_id)
    finished = None
    if claim is not None and claim.get("bundle_digest") == digest:
        if claim.get("operation") == "recover-escrow":
            log = released(read_log(client, request_id))
            for pause in (0.2, 0.4, 0.8):  # a Raft standby may not show the release yet
                if log:
                    break
                time.sleep(pause)
                log = released(read_log(client, request_id))
            finished = str((log[-1].outcome or {}).get("at")) if log else None
        else:
            entry = _audit_entry(client, request_id)
            finished = str(entry.get("time")) if entry else None
    return refuse_used(request_id, claim, digest, finished)


def _audit_entry(client: VaultClient, request_id: str) -> dict[str, Any] | None:
    stored = client.read(f"{AUDIT}/{request_id}", "reading the audit entry")
    return stored.data if stored else None


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


def audit_name(request_id: str, release: int) -> str:
    """The audit entry's name: the request id; a second release of it is <id>-2."""
    return request_id if release == 1 else f"{request_id}-{release}"


def _audit(ctx: Context, outcome: Outcome, release: int) -> bool:
    """Create the audit entry; False when a racing run of this bundle created it first."""
    header = ctx.header
    entry: dict[str, Any] = {
        "time": _iso(datetime.now(UTC)),
        "claimed_at": ctx.claimed_at,
        "sealed_at": _iso(header.created_at),
        "operation": header.operation,
        "request_id": header.request_id,
        "params": dict(header.params),
        "ceremony_id": header.ceremony_id,
        "key_version": header.key_version,
        "bundle_digest": ctx.digest,
        "bundle": ctx.bundle.text_line(),
        "fingerprints": outcome.fingerprints,
        "signer": header.signer_public_key.hex(),
        "rehearsal": header.rehearsal,
        "host": socket.gethostname(),
        "user": getpass.getuser(),
    }
    if header.operation == "recover-escrow":
        entry["release"] = release
    if ctx.payload.transcript_sha256 is not None:
        entry["transcript_sha256"] = ctx.payload.transcript_sha256
    if ctx.admin_id is not None:
        entry["admin_id"] = ctx.admin_id
    path = f"{AUDIT}/{audit_name(header.request_id, release)}"
    if ctx.client.create(path, entry, "writing the audit entry"):
        return True
    stored = ctx.client.read(path, "reading the audit entry")
    if stored is None or stored.data.get("bundle_digest") != ctx.digest:
        raise VaultError("A different audit entry exists for this request.", code="conflict")
    return header.operation == "recover-escrow"  # a release re-entering its own entry
