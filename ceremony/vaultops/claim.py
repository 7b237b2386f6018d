"""Exactly-once: the claim record at ``ceremony/consumed/<id>``.

The first apply of a bundle creates the claim (check-and-set 0). Every later
step is idempotent, so a run cut short by a fault is finished by applying the
same bundle again: that run takes the claim over with a check-and-set on its
current version. Only the run that still holds the claim can mark it done
(check-and-set on the version it wrote), so of any number of concurrent runs
exactly one completes; the others learn that another run took over. A claim
naming a different bundle, or one already done, refuses the bundle; but a
recover-escrow request that is done while its key still exists (its "done"
was never confirmed) releases the KEK again for the same bundle.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from ceremony.errors import VaultError
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.paths import CONSUMED, REQUESTS

__all__ = ["Claim", "claim_request", "finish_claim", "read_claim", "refuse_used"]

_AMBIGUOUS = frozenset({"dropped", "timeout"})  # the write may have landed


@dataclass(frozen=True)
class Claim:
    request_id: str
    version: int
    record: dict[str, Any] = field(repr=False)
    resumed: bool
    done: bool = False  # already done: a recover-escrow release is repeated

    @property
    def claimed_at(self) -> str:
        return str(self.record["claimed_at"])


def read_claim(client: VaultClient, request_id: str) -> dict[str, Any] | None:
    stored = client.read(f"{CONSUMED}/{request_id}", "reading the request's claim")
    return stored.data if stored else None


def refuse_used(request_id: str, claim: dict[str, Any] | None, digest: str) -> VaultError:
    """Why a bundle for a request that is used up (or unknown) is refused."""
    if claim is None:
        return VaultError(
            f"This Vault has no pending request {request_id}: it was made elsewhere, or "
            "deleted. Make a new request.",
            code="unknown-request",
        )
    if claim.get("bundle_digest") != digest:
        return VaultError(
            f"Request {request_id} was already answered by a different bundle; this one is "
            "refused. Make a new request.",
            code="other-bundle",
        )
    if claim.get("state") == "done":
        hint = (
            " If its wrapping token never reached you, make a new recover-escrow request."
            if claim.get("operation") == "recover-escrow"
            else ""
        )
        return VaultError(
            f"This bundle was already applied at {claim.get('finished_at', '?')}; a bundle "
            f"takes effect once only.{hint}",
            code="replay",
        )
    return VaultError(
        f"Request {request_id} is claimed by this bundle but its key is gone; make a new request.",
        code="request",
    )


def claim_request(
    client: VaultClient, request_id: str, digest: str, operation: str, now: str
) -> Claim:
    path = f"{CONSUMED}/{request_id}"
    run = secrets.token_hex(8)
    record: dict[str, Any] = {
        "bundle_digest": digest,
        "operation": operation,
        "state": "claimed",
        "claimed_at": now,
        "attempt": 1,
        "run": run,
    }
    version = client.write(path, record, 0, "claiming the request")
    if version is not None:
        return Claim(request_id, version, record, resumed=False)
    stored = client.read(path, "reading the request's claim")
    if stored is None or stored.data.get("bundle_digest") != digest:
        raise refuse_used(request_id, stored.data if stored else None, digest)
    if stored.data.get("state") == "done":
        if operation == "recover-escrow":
            return Claim(request_id, stored.version, stored.data, resumed=True, done=True)
        _drop_request_key(client, request_id)  # an earlier run could not; finish its cleanup
        raise refuse_used(request_id, stored.data, digest)
    taken = {
        **stored.data,
        "attempt": int(stored.data.get("attempt", 1)) + 1,
        "run": run,
        "resumed_at": now,
    }
    version = client.write(path, taken, stored.version, "taking over an unfinished apply")
    if version is None:
        raise _in_progress(request_id)
    return Claim(request_id, version, taken, resumed=True)


def finish_claim(client: VaultClient, claim: Claim, extra: dict[str, Any], now: str) -> bool | None:
    """Mark the claim done; only the run that still holds it can.

    True when done is known to have landed; None when Vault's answer was lost
    and the read-back fails too (unknown). Raises when the write was refused or
    the read-back shows it did not land.
    """
    path = f"{CONSUMED}/{claim.request_id}"
    record = {**claim.record, **extra, "state": "done", "finished_at": now}
    try:
        version = client.write(path, record, claim.version, "recording that the request is done")
    except VaultError as err:
        if err.code not in _AMBIGUOUS:
            raise
        landed = _landed(client, path, claim)
        if landed is False:
            raise  # not recorded (yet): the caller voids its token; the same bundle finishes
        return landed
    if version is None:
        raise _in_progress(claim.request_id)
    return True


def _landed(client: VaultClient, path: str, claim: Claim) -> bool | None:
    """After an ambiguous failure: did our own 'done' write land? None if we cannot tell."""
    try:
        stored = client.read(path, "confirming that the request is done")
    except VaultError:
        return None
    data = stored.data if stored else {}
    return data.get("state") == "done" and data.get("run") == claim.record["run"]


def _in_progress(request_id: str) -> VaultError:
    return VaultError(
        f"Another apply of this same bundle took over request {request_id} while this one "
        "ran; only one of them completes. See `ceremony vault audit`.",
        code="in-progress",
    )


def _drop_request_key(client: VaultClient, request_id: str) -> None:
    try:
        client.delete_all(f"{REQUESTS}/{request_id}", "destroying the used request key")
    except VaultError:
        pass  # the refusal that follows matters more; status lists leftovers
