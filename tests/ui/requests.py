"""Requests as a production Vault makes them, for the shares a UI test enters."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony import gap, keys
from ceremony.secret import Secret
from tests.vault_support import checktick_email_key, checktick_kek_key

KEY_VERSION = "2025-1"
UI_KEK = bytes(range(200, 232))
UI_EMAIL = "patient.record.owner@example.test"

RequestMaker = Callable[[gap.SessionCode | None], gap.Request]


def vault_for(component: Secret) -> Secret:
    return Secret(hashlib.sha512(b"ui vault" + component.reveal()).digest()[: len(component)])


def answerable(
    operation: gap.Operation, component: Secret, *, rehearsal: bool = False, **params: str
) -> RequestMaker:
    """A maker: given the room's session code, the request Vault would send for these shares.

    ``rehearsal`` makes it a practice Vault's request, which a rehearsal may answer.
    """
    vault = vault_for(component)
    registration = gap.Registration(
        keys.export_signing_public_key(component), keys.fingerprints(component, vault)
    )

    def make(session: gap.SessionCode | None) -> gap.Request:
        contents = None
        if operation in gap.SESSION_OPERATIONS:
            assert session is not None, "a three-crossing request needs the room's session code"
            contents = _contents(operation, component, vault, params)
        request, private = gap.new_request(
            operation,
            params,
            KEY_VERSION,
            timedelta(hours=1),
            registration=None if operation == "adopt" else registration,
            rehearsal=rehearsal,
            session=session if contents is not None else None,
            contents=contents,
        )
        private.wipe()
        return request

    return make


def _contents(
    operation: gap.Operation, component: Secret, vault: Secret, params: dict[str, str]
) -> gap.RequestContents:
    with keys.xor(component, vault) as platform:
        p = bytes(platform.reveal())
    user = params.get("user", "42")
    nonce = bytes(12)
    email_key = checktick_email_key(p, user, 100_000)
    email = nonce + AESGCM(email_key).encrypt(nonce, UI_EMAIL.encode(), None)
    copy = Secret(vault.reveal(), "vault")
    if operation == "adopt":
        return gap.RequestContents(copy, escrow_user=user, encrypted_email=email)
    survey = params["survey"]
    kek_key = checktick_kek_key(p, user, survey, 200_000)
    return gap.RequestContents(
        copy,
        escrow_path=f"users/{user}/surveys/{survey}/recovery-kek",
        encrypted_kek=nonce + AESGCM(kek_key).encrypt(nonce, UI_KEK, None),
        encrypted_email=email,
    )
