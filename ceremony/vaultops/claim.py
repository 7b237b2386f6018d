"""Exactly-once, part one: the claim at ``ceremony/consumed/<id>`` binds a request to a bundle.

The first apply that passes every check creates the claim (check-and-set 0) naming
the bundle's digest. Nobody ever updates or deletes it: the operator policy grants
only ``create`` and ``read`` there. So the claim outlives the request key, and a
request record written back after use meets the claim and is refused.

Whether the operation took effect is not stored in the claim:
- install, adopt and verify are done once their audit entry exists (create-only);
- recover-escrow is done once its release log says "released" (``release.py``).
"""

from __future__ import annotations

from typing import Any

from ceremony.errors import VaultError
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.paths import CONSUMED, REQUESTS

__all__ = ["bind_claim", "drop_request_key", "read_claim", "refuse_used"]


def read_claim(client: VaultClient, request_id: str) -> dict[str, Any] | None:
    stored = client.read_settled(f"{CONSUMED}/{request_id}", "reading the request's claim")
    return stored.data if stored else None


def refuse_used(
    request_id: str, claim: dict[str, Any] | None, digest: str, finished_at: str | None = None
) -> VaultError:
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
    if finished_at is not None or claim.get("operation") != "recover-escrow":
        hint = (
            " If its wrapping token never reached CheckTick, an administrator may release "
            "it again with `ceremony vault apply --release-again`."
            if claim.get("operation") == "recover-escrow"
            else ""
        )
        return VaultError(
            f"This bundle was already applied at {finished_at or claim.get('claimed_at', '?')}"
            f"; a bundle takes effect once only.{hint}",
            code="replay",
        )
    return VaultError(
        f"Request {request_id} is claimed by this bundle but its key is gone; make a new request.",
        code="request",
    )


def bind_claim(
    client: VaultClient, request_id: str, digest: str, operation: str, now: str
) -> dict[str, Any]:
    """The claim naming this bundle (created now, or by an earlier run); refuse any other."""
    path = f"{CONSUMED}/{request_id}"
    record: dict[str, Any] = {"bundle_digest": digest, "operation": operation, "claimed_at": now}
    if client.create(path, record, "claiming the request"):
        return record
    stored = client.read_settled(path, "reading the request's claim")
    if stored is None or stored.data.get("bundle_digest") != digest:
        raise refuse_used(request_id, stored.data if stored else None, digest)
    return stored.data


def drop_request_key(client: VaultClient, request_id: str) -> tuple[str, ...]:
    """Destroy a used request key; a warning when Vault would not."""
    try:
        client.delete_all(f"{REQUESTS}/{request_id}", "destroying the used request key")
    except VaultError as err:
        return (
            f"The request was applied, but its key could not be destroyed ({err}) "
            "`ceremony vault status` lists it; applying the bundle again later removes it.",
        )
    return ()
