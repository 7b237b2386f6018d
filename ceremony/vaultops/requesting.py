"""``ceremony vault request``: a fresh request whose private key stays in Vault.

A request names what Vault has registered (export key, fingerprints) so the
room can check its shares, and whether this is a practice Vault. recover-escrow
and adopt also seal, to the room's session code, what the room needs: the
vault component and the escrow fields. Nothing else online ever sees them
together with the custodian component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from ceremony import gap
from ceremony.errors import GapError, VaultError
from ceremony.secret import Secret
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.paths import (
    MASTER_KEY,
    REGISTRATION,
    REQUESTS,
    USERS,
    VAULT_MODE,
    escrow_path,
)

__all__ = [
    "DEFAULT_KEY_VERSION",
    "DEFAULT_REQUEST_TTL",
    "PendingRequest",
    "create_request",
    "is_practice_vault",
    "load_request",
    "registration",
    "registration_of",
]

# How long a request lives unless --ttl says otherwise: long enough for a typed ceremony
# (a genesis for install; a quorum typing its shares for the others).
DEFAULT_REQUEST_TTL: Final[dict[gap.Operation, timedelta]] = {
    "install": timedelta(hours=3),
    "adopt": timedelta(hours=4),
    "verify": timedelta(hours=4),
    "recover-escrow": timedelta(hours=4),
}
DEFAULT_KEY_VERSION: Final = "v1"  # CheckTick's label for the 64-byte key at platform/master-key
_COMPONENT_HEX = re.compile(r"[0-9a-f]{128}")
_FINGERPRINT = re.compile(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}")
MAX_NOTES: Final = 500


def registration(client: VaultClient) -> dict[str, Any] | None:
    """The registered export key, fingerprints and key version, if any."""
    stored = client.read(REGISTRATION, "reading the ceremony registration")
    return stored.data if stored else None


def is_practice_vault(client: VaultClient) -> bool:
    """True when `ceremony vault setup --rehearsal` marked this Vault for practice."""
    stored = client.read(VAULT_MODE, "reading whether this is a practice Vault")
    return stored is not None and stored.data.get("mode") == "practice"


def registration_of(registered: dict[str, Any] | None) -> gap.Registration | None:
    """The registration as the request carries it; a damaged one is refused plainly."""
    if registered is None:
        return None
    fingerprints = registered.get("fingerprints")
    export = str(registered.get("export_public_key", ""))
    try:
        public = bytes.fromhex(export)
    except ValueError:
        public = b""
    if (
        not isinstance(fingerprints, dict)
        or len(public) != 32
        or not isinstance(fingerprints.get("custodian"), str)
        or not all(
            k in ("custodian", "vault", "platform")
            and isinstance(v, str)
            and _FINGERPRINT.fullmatch(v)
            for k, v in fingerprints.items()
        )
    ):
        raise VaultError(
            "The ceremony registration in Vault is damaged (export key or fingerprints).",
            code="registration",
        )
    return gap.Registration(public, {str(k): str(v) for k, v in fingerprints.items()})


def create_request(
    client: VaultClient,
    operation: gap.Operation,
    params: dict[str, str],
    ttl: timedelta,
    key_version: str | None = None,
    now: datetime | None = None,
    *,
    session: gap.SessionCode | None = None,
    admin_id: int | None = None,
    notes: str | None = None,
) -> gap.Request:
    """Make a request and keep its private key, create-only, at ceremony/requests/<id>."""
    if operation in gap.REGISTERING_OPERATIONS:
        client.policy = "install policy checktick-ceremony-install"
    registered = registration(client)
    _refuse_for_registration(operation, registered)
    version = _key_version(key_version, registered)
    _refuse_bad_params(operation, ttl, session=session, admin_id=admin_id, notes=notes)
    contents = _contents(client, operation, params) if session is not None else None
    try:
        request, private = gap.new_request(
            operation,
            params,
            version,
            ttl,
            now=now,
            registration=registration_of(registered),
            rehearsal=is_practice_vault(client),
            session=session,
            contents=contents,
        )
    except GapError as err:
        raise VaultError(str(err), code="params") from None
    finally:
        if contents is not None:
            contents.wipe()
    _store_request(client, request, private, admin_id=admin_id, notes=notes)
    return request


def _refuse_for_registration(operation: gap.Operation, registered: dict[str, Any] | None) -> None:
    """install and adopt need a Vault with no key registered; verify and recover-escrow need one."""
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


def _refuse_bad_params(
    operation: gap.Operation,
    ttl: timedelta,
    *,
    session: gap.SessionCode | None,
    admin_id: int | None,
    notes: str | None,
) -> None:
    """The options each operation needs or refuses, before anything is made."""
    if operation == "recover-escrow" and admin_id is None:
        raise VaultError(
            "recover-escrow needs --admin-id: CheckTick's audit trail records which "
            "administrator asked for the recovery.",
            code="params",
        )
    if notes is not None and (len(notes) > MAX_NOTES or not notes.isprintable()):
        raise VaultError(
            f"--notes must be one line of at most {MAX_NOTES} printable characters.",
            code="params",
        )
    if operation in gap.SESSION_OPERATIONS and session is None:
        raise VaultError(
            f"{operation} needs --session CODE: the session code the room shows, so that "
            "what the room needs is sealed to a key only the room has.",
            code="params",
        )
    if operation not in gap.SESSION_OPERATIONS and session is not None:
        raise VaultError(f"{operation} takes no --session code.", code="params")
    if session is not None and ttl > gap.MAX_SEALED_LIFETIME:
        raise VaultError(
            f"A {operation} request carries the vault component, so it must live between 1 "
            "second and 24 hours; give a shorter --ttl.",
            code="params",
        )


def _store_request(
    client: VaultClient,
    request: gap.Request,
    private: Secret,
    *,
    admin_id: int | None,
    notes: str | None,
) -> None:
    """Keep the private key with the request, create-only: a second write with the id fails."""
    with private:
        record: dict[str, Any] = {
            "private_key": private.reveal().hex(),
            "request": request.qr_payload(),
            "operation": request.operation,
            "params": dict(request.params),
            "key_version": request.key_version,
            "created_at": request.created_at.isoformat(),
            "expires_at": request.expires_at.isoformat(),
        }
        if admin_id is not None:
            record["admin_id"] = admin_id
        if notes:
            record["notes"] = notes
        if not client.create(f"{REQUESTS}/{request.id}", record, "storing the request key"):
            raise VaultError("A request with this id already exists; try again.", code="conflict")


def _key_version(given: str | None, registered: dict[str, Any] | None) -> str:
    version = given or (str(registered["key_version"]) if registered else DEFAULT_KEY_VERSION)
    if version != DEFAULT_KEY_VERSION:
        raise VaultError(
            f"Online operations work on CheckTick's key version {DEFAULT_KEY_VERSION} (the "
            f"64-byte key at secret/{MASTER_KEY}). Key version {version} lives in CheckTick's "
            "database; its shares are handled in the room only (combine, reshare, verify).",
            code="key-version",
        )
    return version


def _vault_component(client: VaultClient) -> Secret:
    stored = client.read(MASTER_KEY, "reading the vault component")
    value = str(stored.data.get("vault_component")) if stored else ""
    if not _COMPONENT_HEX.fullmatch(value):
        raise VaultError(
            f"There is no valid vault component at secret/{MASTER_KEY}.", code="no-master-key"
        )
    return Secret(bytes.fromhex(value), "vault component")


def _hex_field(data: dict[str, Any], name: str, path: str) -> bytes:
    try:
        return bytes.fromhex(str(data.get(name, "")))
    except ValueError:
        raise VaultError(
            f"The escrow at secret/{path} has a {name} that is not hex.", code="escrow"
        ) from None


_AES_GCM_OVERHEAD: Final = 12 + 16  # CheckTick's nonce and tag around each ciphertext
_KEK_BYTES: Final = 32


def _checked_escrow(data: dict[str, Any], path: str) -> tuple[bytes, bytes]:
    """What the room needs from an escrow, refused here if the room could not use it.

    A quorum types its shares before the room opens the escrow, so an escrow for
    another key version, without an e-mail to show, or in another format is refused
    before anything crosses the gap.
    """
    version = data.get("platform_key_version", DEFAULT_KEY_VERSION)
    if version != DEFAULT_KEY_VERSION:
        raise VaultError(
            f"The escrow at secret/{path} is sealed under platform key version {version!r}; "
            f"the room rebuilds key version {DEFAULT_KEY_VERSION} only, so it could not open "
            "it. Nothing was requested.",
            code="escrow-key-version",
        )
    kek = _hex_field(data, "encrypted_kek", path)
    if len(kek) != _AES_GCM_OVERHEAD + _KEK_BYTES:
        raise VaultError(
            f"The escrow at secret/{path} has an encrypted_kek of {len(kek)} bytes, not "
            f"{_AES_GCM_OVERHEAD + _KEK_BYTES} as CheckTick writes it. Nothing was requested.",
            code="escrow",
        )
    email = _hex_field(data, "encrypted_email", path)
    if len(email) <= _AES_GCM_OVERHEAD:
        raise VaultError(
            f"The escrow at secret/{path} has no escrowed e-mail, so the quorum could not "
            "check whose key it releases. Nothing was requested.",
            code="escrow-email",
        )
    return kek, email


def _contents(
    client: VaultClient, operation: gap.Operation, params: dict[str, str]
) -> gap.RequestContents:
    if operation == "recover-escrow":
        path = escrow_path(params["user"], params["survey"])
        stored = client.read(path, "reading the recovery escrow")
        if stored is None:
            raise VaultError(f"There is no recovery escrow at secret/{path}.", code="no-escrow")
        kek, email = _checked_escrow(stored.data, path)
        return gap.RequestContents(
            _vault_component(client), escrow_path=path, encrypted_kek=kek, encrypted_email=email
        )
    user, email = _one_escrowed_email(client)
    return gap.RequestContents(_vault_component(client), escrow_user=user, encrypted_email=email)


def _one_escrowed_email(client: VaultClient) -> tuple[str, bytes]:
    """Some user's escrowed e-mail, to prove in the room that shares and Vault belong together."""
    for user_dir in client.list(USERS, "listing CheckTick's users with escrows"):
        user = user_dir.rstrip("/")
        for survey_dir in client.list(f"{USERS}/{user}/surveys", "listing a user's escrows"):
            path = escrow_path(user, survey_dir.rstrip("/"))
            stored = client.read(path, "reading a recovery escrow")
            if stored is not None and stored.data.get("encrypted_email"):
                return user, _hex_field(stored.data, "encrypted_email", path)
    return "", b""


@dataclass(frozen=True)
class PendingRequest:
    """A request Vault still holds: the request, its private key, and what apply records.

    ``admin_id`` and ``notes`` were given with the request and never cross to the room.
    """

    request: gap.Request
    private_key: Secret = field(repr=False)
    admin_id: int | None = None
    notes: str | None = None


def load_request(client: VaultClient, request_id: str) -> PendingRequest | None:
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
            f"The stored request {request_id} in Vault is damaged, or was made by an older "
            "version of this tool; make a new request.",
            code="request",
        ) from None
    if request.id != request_id:
        private.wipe()
        raise VaultError(f"The stored request {request_id} names another id.", code="request")
    admin_id = stored.data.get("admin_id")
    notes = stored.data.get("notes")
    return PendingRequest(
        request,
        private,
        admin_id if type(admin_id) is int else None,
        notes if isinstance(notes, str) else None,
    )
