"""What every answer of a rebuilt key shares: the registration check, the platform key, ids.

The operations themselves are in the operation table (``ceremony.operations.table``),
one module each: what the quorum reviews, what is sealed and what leaves the room.
The custodian component, the platform key and keys derived from them never appear
in a payload. The signed header names the fingerprints and the signer (the export
key), so the online side checks them against its registration.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Final

from ceremony import keys
from ceremony.gap import Bundle, Request, seal_bundle
from ceremony.operations import escrow
from ceremony.operations.table import Review, Room, RoomRefused
from ceremony.secret import Secret

__all__ = [
    "PAYLOAD_VERSION",
    "OpensEscrow",
    "RoomRefused",
    "check_registration",
    "expect",
    "new_ceremony_id",
    "open_email",
    "platform_key",
    "seal_reviewed",
    "unregistered",
]

PAYLOAD_VERSION: Final = 2


def new_ceremony_id(now: datetime | None = None) -> str:
    """A short, readable, unique enough ceremony id, e.g. ``20260314-3F9A0C``."""
    moment = now or datetime.now(UTC)
    return f"{moment:%Y%m%d}-{secrets.token_hex(3).upper()}"


def expect(request: Request, operation: str) -> None:
    if request.operation != operation:
        raise RoomRefused(
            f"This is a {request.operation} request, not {operation}.", code="operation"
        )


class OpensEscrow:
    """An operation that opens CheckTick's escrow in the room, with its key-derivation rounds."""

    def __init__(
        self,
        iterations: int = escrow.CHECKTICK_PBKDF2_ITERATIONS,
        email_iterations: int = escrow.EMAIL_PBKDF2_ITERATIONS,
    ) -> None:
        self.iterations = iterations
        self.email_iterations = email_iterations


def unregistered(what: str) -> RoomRefused:
    """The refusal of a ``what`` request (a drill, a recovery) that names no registered key."""
    return RoomRefused(
        f"This {what} request names no registered key, so the room has nothing to check the "
        "shares against. Install or adopt the key first.",
        code="unregistered",
    )


def check_registration(request: Request, custodian: Secret) -> None:
    """The rebuilt component must be the one Vault registered (fingerprint and export key)."""
    registration = request.registration
    if registration is None:
        raise unregistered(request.operation)
    mine = keys.fingerprint(custodian, "custodian")
    registered = registration.fingerprints.get("custodian")
    if registered != mine:
        raise RoomRefused(
            f"These shares rebuild the custodian fingerprint {mine}, but Vault registered "
            f"{registered}. Check the passphrase, that every share is from this set, and the "
            "fingerprint on the ceremony record.",
            code="fingerprint",
        )
    if registration.export_public_key != keys.export_signing_public_key(custodian):
        raise RoomRefused(
            "The export key in the request is not the one these shares make: the request "
            "does not come from this deployment's Vault. Stop and compare the export key "
            "check with the ceremony record.",
            code="export-key",
        )


@contextmanager
def platform_key(
    request: Request, custodian: Secret, vault: Secret
) -> Iterator[tuple[Secret, dict[str, str]]]:
    """The platform key rebuilt in the room, checked against the registration; wiped on exit."""
    if len(vault) != len(custodian):
        raise RoomRefused(
            f"The vault component is {len(vault)} bytes but the custodian component is "
            f"{len(custodian)}: they are not two halves of one key.",
            code="component-size",
        )
    fps = keys.fingerprints(custodian, vault)
    registered = request.registration.fingerprints if request.registration else {}
    for label in ("custodian", "vault", "platform"):
        if registered.get(label) and registered[label] != fps[label]:
            raise RoomRefused(
                f"The rebuilt {label} fingerprint is {fps[label]}, but Vault registered "
                f"{registered[label]}. Nothing is released: these shares and this request do "
                "not belong to the same key.",
                code="fingerprint",
            )
    with keys.xor(custodian, vault) as platform:
        yield platform, fps


def open_email(platform: Secret, user: str, encrypted: bytes, iterations: int) -> str:
    """The escrowed e-mail; CheckTick's e-mail key covers the platform key's first 32 bytes."""
    if not encrypted:
        raise RoomRefused(
            "The escrow holds no encrypted e-mail, so the quorum cannot check whose data "
            "it releases. Nothing is released.",
            code="no-email",
        )
    with escrow.email_key(platform, user, iterations) as key:
        return escrow.decrypt_email(encrypted, key)


def seal_reviewed(
    request: Request,
    review: Review,
    room: Room,
    custodian: Secret,
    ceremony_id: str,
    payload: dict[str, Any],
    evidence: Mapping[str, Any] | None,
) -> Bundle:
    """Seal ``payload`` and the evidence fields under the reviewed fingerprints, in the room's
    mode. The payload dict is emptied afterwards: it may hold a key."""
    payload.update({"payload_version": PAYLOAD_VERSION, **(evidence or {})})
    try:
        return seal_bundle(
            request,
            payload,
            custodian,
            ceremony_id,
            review.fingerprints,
            rehearsal=room.rehearsal,
        )
    finally:
        payload.clear()
