"""``ceremony vault request``: a fresh request whose private key stays in Vault."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ceremony import gap
from ceremony.errors import GapError, VaultError
from ceremony.secret import Secret
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.paths import REGISTRATION, REQUESTS

__all__ = ["DEFAULT_KEY_VERSION", "create_request", "load_request", "registration"]

DEFAULT_KEY_VERSION = "1"


def registration(client: VaultClient) -> dict[str, Any] | None:
    """The registered export key, fingerprints and key version, if any."""
    stored = client.read(REGISTRATION, "reading the ceremony registration")
    return stored.data if stored else None


def _custodian(registered: dict[str, Any] | None) -> str | None:
    """The registered custodian fingerprint, for the room to check its shares against."""
    if registered is None:
        return None
    fingerprints = registered.get("fingerprints")
    value = fingerprints.get("custodian") if isinstance(fingerprints, dict) else None
    if not isinstance(value, str):
        raise VaultError(
            "The ceremony registration in Vault has no custodian fingerprint; it is damaged.",
            code="registration",
        )
    return value


def create_request(
    client: VaultClient,
    operation: gap.Operation,
    params: dict[str, str],
    ttl: timedelta,
    key_version: str | None = None,
    now: datetime | None = None,
) -> gap.Request:
    """Make a request and keep its private key, create-only, at ceremony/requests/<id>."""
    registered = registration(client)
    if operation in gap.REGISTERING_OPERATIONS and registered is not None:
        raise VaultError(
            f"A key is already registered in Vault; {operation} is only for a deployment "
            "without one.",
            code="registered",
        )
    if operation in ("verify", "recover-escrow") and registered is None:
        raise VaultError(
            f"No key is registered in Vault yet, so {operation} has nothing to check against; "
            "run install or adopt first.",
            code="unregistered",
        )
    version = key_version or (str(registered["key_version"]) if registered else DEFAULT_KEY_VERSION)
    request, private = gap.new_request(
        operation, params, version, ttl, now=now, custodian_fingerprint=_custodian(registered)
    )
    with private:
        record = {
            "private_key": private.reveal().hex(),
            "request": request.qr_payload(),
            "operation": request.operation,
            "params": dict(request.params),
            "key_version": request.key_version,
            "created_at": request.created_at.isoformat(),
            "expires_at": request.expires_at.isoformat(),
        }
        if not client.create(f"{REQUESTS}/{request.id}", record, "storing the request key"):
            raise VaultError("A request with this id already exists; try again.", code="conflict")
    return request


def load_request(client: VaultClient, request_id: str) -> tuple[gap.Request, Secret] | None:
    """The stored request and its private key, or None once it was used up."""
    stored = client.read(f"{REQUESTS}/{request_id}", "reading the request")
    if stored is None:
        return None
    try:
        created = datetime.fromisoformat(str(stored.data["created_at"]))
        request = gap.parse_request(str(stored.data["request"]), now=created)
        private = Secret(bytes.fromhex(str(stored.data["private_key"])), "request key")
    except (KeyError, ValueError, GapError):
        raise VaultError(
            f"The stored request {request_id} in Vault is damaged.", code="request"
        ) from None
    if request.id != request_id:
        raise VaultError(f"The stored request {request_id} names another id.", code="request")
    return request, private
