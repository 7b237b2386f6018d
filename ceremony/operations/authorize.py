"""What the room seals in answer to a request: only the result the operation releases.

===============  ==============================================================
install          the vault component made in the room, the share scheme,
                 threshold and count (see ``install_payload``)
adopt            the share scheme and whether an escrowed e-mail proved that
                 the shares and this Vault belong together
verify           an attestation: request id, date, custodian fingerprint and
                 export key check
recover-escrow   the 32-byte KEK of one user's survey, nothing else
===============  ==============================================================

The custodian component, the platform key and keys derived from them never
appear in a payload. The signed header names the fingerprints and the signer
(the export key), so the online side checks them against its registration.

recover-escrow and adopt open the request's sealed contents with the room's
session key (``ceremony.gap.session``) and run CheckTick's key derivations in
the room (``ceremony.operations.escrow``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from ceremony import keys
from ceremony.errors import GapError
from ceremony.gap import Bundle, Request, open_request, seal_bundle
from ceremony.gap.wire import stamp, utc
from ceremony.operations import escrow
from ceremony.secret import Secret

__all__ = [
    "PAYLOAD_VERSION",
    "AdoptReview",
    "EscrowReview",
    "RoomRefused",
    "attest",
    "check_registration",
    "install_payload",
    "new_ceremony_id",
    "review_adopt",
    "review_recover_escrow",
    "seal_adopt",
    "seal_recovery",
]

PAYLOAD_VERSION: Final = 2


class RoomRefused(GapError):
    """The room will not answer this request; the message says why and what to do."""


def new_ceremony_id(now: datetime | None = None) -> str:
    """A short, readable, unique enough ceremony id, e.g. ``20260314-3F9A0C``."""
    moment = now or datetime.now(UTC)
    return f"{moment:%Y%m%d}-{secrets.token_hex(3).upper()}"


def check_registration(request: Request, custodian: Secret) -> None:
    """The rebuilt component must be the one Vault registered (fingerprint and export key)."""
    registration = request.registration
    if registration is None:
        raise RoomRefused(
            f"This {request.operation} request names no registered key, so the room has "
            "nothing to check the shares against. Install or adopt the key first.",
            code="unregistered",
        )
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


def attest(
    request: Request,
    custodian: Secret,
    ceremony_id: str,
    now: datetime | None = None,
    *,
    rehearsal: bool = False,
    evidence: Mapping[str, Any] | None = None,
) -> Bundle:
    """A verify (drill) answer: a signed attestation that the quorum rebuilt the key.

    ``evidence``: optional fields from ceremony.evidence.bundle_fields (transcript digest,
    shares checked), added to the payload.
    """
    _expect(request, "verify")
    check_registration(request, custodian)
    moment = utc(now)
    fingerprint = keys.fingerprint(custodian, "custodian")
    payload = {
        "payload_version": PAYLOAD_VERSION,
        "attestation": {
            "request_id": request.id,
            "attested_at": stamp(moment),
            "custodian_fingerprint": fingerprint,
            "export_key_check": keys.export_key_check_of(custodian),
            "statement": "The quorum rebuilt the registered custodian component.",
        },
        **(evidence or {}),
    }
    return seal_bundle(
        request,
        payload,
        custodian,
        ceremony_id,
        {"custodian": fingerprint},
        now=moment,
        rehearsal=rehearsal,
    )


def install_payload(vault: Secret, share_scheme: str, threshold: int, count: int) -> dict[str, Any]:
    """The payload of a genesis install: the vault component and how the shares were made."""
    return {
        "payload_version": PAYLOAD_VERSION,
        "vault_component": vault.reveal().hex(),
        "share_scheme": share_scheme,
        "threshold": threshold,
        "count": count,
    }


# -- recover-escrow ---------------------------------------------------------------


@dataclass
class EscrowReview:
    """What the quorum checks before releasing one KEK: wipe it if they refuse."""

    user: str
    survey: str
    ticket: str
    email: str = field(repr=False)
    fingerprints: dict[str, str]
    kek: Secret = field(repr=False)

    def wipe(self) -> None:
        self.kek.wipe()


def review_recover_escrow(
    request: Request,
    session_private: Secret,
    custodian: Secret,
    progress: escrow.Progress | None = None,
    iterations: int = escrow.CHECKTICK_PBKDF2_ITERATIONS,
    email_iterations: int = escrow.EMAIL_PBKDF2_ITERATIONS,
) -> EscrowReview:
    """Open the request, rebuild the platform key, and decrypt the KEK and e-mail in the room.

    Refuses unless the rebuilt platform key is the registered one, and unless the
    escrow is the one for the user and survey the request names.
    """
    _expect(request, "recover-escrow")
    check_registration(request, custodian)
    user, survey = request.params["user"], request.params["survey"]
    contents = open_request(request, session_private)
    report = progress or (lambda done, total, what: None)
    total = 2 * iterations + email_iterations
    try:
        expected_path = escrow.escrow_path(user, survey)
        if contents.escrow_path != expected_path:
            raise RoomRefused(
                f"The request names user {user} and survey {survey}, but the escrow it carries "
                f"is {contents.escrow_path!r}. The room builds the path itself and refuses "
                "this request.",
                code="escrow-path",
            )
        with _platform(request, custodian, contents.vault_component) as (platform, fps):
            with escrow.kek_key(platform, user, survey, iterations, report, total) as key:
                kek = escrow.decrypt_kek(contents.encrypted_kek, key)
            try:
                email = _email(platform, user, contents.encrypted_email, email_iterations)
            except BaseException:
                kek.wipe()
                raise
            report(total, total, "opened the escrow")
    finally:
        contents.wipe()
    return EscrowReview(user, survey, request.params.get("ticket", ""), email, fps, kek)


def seal_recovery(
    review: EscrowReview,
    request: Request,
    custodian: Secret,
    ceremony_id: str,
    now: datetime | None = None,
    *,
    rehearsal: bool = False,
) -> Bundle:
    """Seal only the approved KEK to the request key."""
    _expect(request, "recover-escrow")
    if (review.user, review.survey) != (request.params["user"], request.params["survey"]):
        raise RoomRefused("This review belongs to another request.", code="request")
    payload = {"payload_version": PAYLOAD_VERSION, "kek": review.kek.reveal().hex()}
    try:
        return seal_bundle(
            request,
            payload,
            custodian,
            ceremony_id,
            review.fingerprints,
            now=now,
            rehearsal=rehearsal,
        )
    finally:
        payload.clear()


# -- adopt --------------------------------------------------------------------------


@dataclass(frozen=True)
class AdoptReview:
    """What the quorum checks before registering an existing key."""

    fingerprints: dict[str, str]
    escrow_user: str  # empty when Vault holds no escrow yet
    email: str = field(repr=False)

    @property
    def proven(self) -> bool:
        """An escrowed e-mail opened: the shares and this Vault belong together."""
        return bool(self.escrow_user)


def review_adopt(
    request: Request,
    session_private: Secret,
    custodian: Secret,
    email_iterations: int = escrow.EMAIL_PBKDF2_ITERATIONS,
) -> AdoptReview:
    """Open the request, rebuild the platform key, and prove it with one escrowed e-mail."""
    _expect(request, "adopt")
    if request.registration is not None:
        raise RoomRefused(
            "This Vault already has a registered key; adopt is only for a deployment without one.",
            code="registered",
        )
    contents = open_request(request, session_private)
    try:
        with _platform(request, custodian, contents.vault_component) as (platform, fps):
            email = ""
            if contents.escrow_user:
                email = _email(
                    platform, contents.escrow_user, contents.encrypted_email, email_iterations
                )
    finally:
        contents.wipe()
    return AdoptReview(fps, contents.escrow_user, email)


def seal_adopt(
    review: AdoptReview,
    request: Request,
    custodian: Secret,
    ceremony_id: str,
    share_scheme: str,
    now: datetime | None = None,
    *,
    rehearsal: bool = False,
) -> Bundle:
    _expect(request, "adopt")
    if review.fingerprints.get("custodian") != keys.fingerprint(custodian, "custodian"):
        raise RoomRefused("This review was made from other shares.", code="request")
    payload = {
        "payload_version": PAYLOAD_VERSION,
        "share_scheme": share_scheme,
        "email_proof": review.proven,
    }
    return seal_bundle(
        request,
        payload,
        custodian,
        ceremony_id,
        review.fingerprints,
        now=now,
        rehearsal=rehearsal,
    )


# -- helpers ------------------------------------------------------------------------


def _expect(request: Request, operation: str) -> None:
    if request.operation != operation:
        raise RoomRefused(
            f"This is a {request.operation} request, not {operation}.", code="operation"
        )


@contextmanager
def _platform(
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


def _email(platform: Secret, user: str, encrypted: bytes, iterations: int) -> str:
    if not encrypted:
        raise RoomRefused(
            "The escrow holds no encrypted e-mail, so the quorum cannot check whose data "
            "it releases. Nothing is released.",
            code="no-email",
        )
    with escrow.email_key(platform, user, iterations) as key:
        return escrow.decrypt_email(encrypted, key)
