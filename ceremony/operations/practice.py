"""The online side, played in the room for a rehearsal: no Vault, throwaway keys.

A rehearsal of verify, recover-escrow or adopt needs a request like Vault's,
which names the registered key and, for three-crossing operations, seals a
vault component and an escrow to the room's session key. Before the shares
are entered the room does not know the custodian component, so the practice
Vault first hands out a placeholder request (same operation, same session);
once the quorum has rebuilt the component, :meth:`PracticeVault.request`
makes the request a real Vault would have made for it: a throwaway vault
component, a registration for both, and an escrow of a practice KEK written
exactly as CheckTick writes it. Every request is marked as a rehearsal.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Final

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony import gap, keys
from ceremony.operations import escrow
from ceremony.secret import Secret

__all__ = ["PRACTICE_EMAIL", "PRACTICE_PARAMS", "PracticeVault"]

PRACTICE_PARAMS: Final[dict[str, dict[str, str]]] = {
    "recover-escrow": {"user": "1001", "survey": "rehearsal-survey", "ticket": "REHEARSAL-1"},
}
PRACTICE_EMAIL: Final = "rehearsal.user@example.invalid"
PRACTICE_TTL: Final = timedelta(hours=4)


@dataclass
class PracticeVault:
    """A throwaway vault component and what a Vault would hold beside it."""

    operation: gap.Operation
    key_version: str
    vault: Secret = field(default_factory=lambda: Secret(secrets.token_bytes(64), "vault"))
    kek: Secret = field(default_factory=lambda: Secret(secrets.token_bytes(32), "kek"))

    def placeholder(self, session: gap.SessionCode | None) -> gap.Request:
        """What the rehearsal shows before the shares are in: the operation, not yet answerable."""
        contents = self._contents(None) if session is not None else None
        return self._new(session, None, contents)

    def request(self, session: gap.SessionCode | None, custodian: Secret) -> gap.Request:
        """The request a Vault holding ``self.vault`` would make for this custodian component."""
        if len(custodian) != len(self.vault):
            self.vault = Secret(secrets.token_bytes(len(custodian)), "vault")
        registration = None
        if self.operation in ("verify", "recover-escrow"):
            registration = gap.Registration(
                keys.export_signing_public_key(custodian),
                keys.fingerprints(custodian, self.vault),
            )
        contents = self._contents(custodian) if session is not None else None
        return self._new(session, registration, contents)

    def wipe(self) -> None:
        self.vault.wipe()
        self.kek.wipe()

    def _new(
        self,
        session: gap.SessionCode | None,
        registration: gap.Registration | None,
        contents: gap.RequestContents | None,
    ) -> gap.Request:
        needs_session = self.operation in gap.SESSION_OPERATIONS
        try:
            request, private = gap.new_request(
                self.operation,
                PRACTICE_PARAMS.get(self.operation, {}),
                self.key_version,
                PRACTICE_TTL,
                registration=registration,
                rehearsal=True,
                session=session if needs_session else None,
                contents=contents if needs_session else None,
            )
        finally:
            if contents is not None:
                contents.wipe()
        private.wipe()  # nobody applies a practice answer
        return request

    def _contents(self, custodian: Secret | None) -> gap.RequestContents:
        vault = Secret(self.vault.reveal(), "vault")
        user = PRACTICE_PARAMS["recover-escrow"]["user"]
        survey = PRACTICE_PARAMS["recover-escrow"]["survey"]
        if custodian is None:  # placeholder: nothing opens yet
            kek, email = secrets.token_bytes(60), secrets.token_bytes(56)
        else:
            kek, email = self._escrow(custodian, user, survey)
        if self.operation == "adopt":
            return gap.RequestContents(vault, escrow_user=user, encrypted_email=email)
        return gap.RequestContents(
            vault,
            escrow_path=escrow.escrow_path(user, survey),
            encrypted_kek=kek,
            encrypted_email=email,
        )

    def _escrow(self, custodian: Secret, user: str, survey: str) -> tuple[bytes, bytes]:
        """``encrypted_kek`` and ``encrypted_email`` as CheckTick writes them."""
        with keys.xor(custodian, self.vault) as platform:
            with escrow.kek_key(platform, user, survey) as key:
                nonce = secrets.token_bytes(12)
                kek = nonce + AESGCM(key.reveal()).encrypt(nonce, self.kek.reveal(), None)
            with escrow.email_key(platform, user) as key:
                nonce = secrets.token_bytes(12)
                email = nonce + AESGCM(key.reveal()).encrypt(nonce, PRACTICE_EMAIL.encode(), None)
        return kek, email
