"""adopt: register an existing platform key (CheckTick's, from before the ceremony tool).

Refused when Vault already registered a key. The request carries, sealed to the
room's session key, Vault's half and, when Vault holds escrows, one user's
escrowed e-mail and optionally that user's escrowed KEK. What the room proves is
said exactly: CheckTick's e-mail key is derived from the platform key's first 32
bytes only, so an e-mail that opens proves those; a KEK that opens proves the
whole key (its key is derived from all of it). The answer registers the
fingerprints and the export key; it carries no key material.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ceremony import keys
from ceremony.gap import Bundle, Operation, Request, open_request
from ceremony.operations import escrow
from ceremony.operations.authorize import (
    OpensEscrow,
    expect,
    open_email,
    platform_key,
    seal_reviewed,
)
from ceremony.operations.table import Review, Room, RoomRefused, Row, refuse

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ceremony.gap import RequestContents
    from ceremony.operations.escrow import Progress
    from ceremony.secret import Secret

__all__ = ["PROOF_FIRST_HALF", "PROOF_NONE", "PROOF_WHOLE", "RULES", "Adopt", "proven"]

PROOF_NONE: Final = "none"
PROOF_FIRST_HALF: Final = "first-half"
PROOF_WHOLE: Final = "whole"

_SUMMARY: Final = {
    PROOF_WHOLE: "A recovery copy's key opened with these shares and this Vault's half: the "
    "whole platform key (all 64 bytes) is CheckTick's. They belong together.",
    PROOF_FIRST_HALF: "A recovery copy's e-mail opened with these shares and this Vault's half. "
    "CheckTick derives the e-mail key from the platform key's first 32 bytes only, so this "
    "proves those 32 bytes and not the rest. Vault checks its own half again when it applies "
    "the answer; compare the platform fingerprint with CheckTick's records too.",
    PROOF_NONE: "This Vault holds no recovery copy yet, so nothing proves these shares belong "
    "to it. Compare the platform fingerprint with CheckTick's own records first.",
}
_CHECKED: Final = {
    PROOF_WHOLE: "the escrowed KEK opened: all 64 bytes of the platform key",
    PROOF_FIRST_HALF: "the escrowed e-mail opened: the platform key's first 32 bytes only",
    PROOF_NONE: "nothing: Vault holds no escrow",
}


class Adopt(OpensEscrow):
    name: Operation = "adopt"
    title = "adopting an existing key"
    leaves_the_room = "the fingerprints and the export key, to register; no key material"
    sealed = "the share scheme and whether an escrowed e-mail opened (email_proof)"

    def refusal(self, request: Request) -> RoomRefused | None:
        if request.registration is not None:
            return RoomRefused(
                "This Vault already has a registered key; adopt is only for a deployment "
                "without one.",
                code="registered",
            )
        return None

    def review(
        self,
        request: Request,
        custodian: Secret,
        session_key: Secret | None,
        progress: Progress | None = None,
    ) -> Review:
        """Open the request, rebuild the platform key, and prove it with the escrow it carries."""
        expect(request, self.name)
        if (refused := self.refusal(request)) is not None:
            raise refused
        if session_key is None:
            raise RoomRefused("This ceremony has no session key.", code="session")
        contents = open_request(request, session_key)
        try:
            with platform_key(request, custodian, contents.vault_component) as (platform, fps):
                proof, email = self._prove(platform, contents, progress)
        finally:
            contents.wipe()
        rows = [
            Row(f"{label}_fingerprint", f"{label.title()} fingerprint", fps[label])
            for label in ("custodian", "vault", "platform")
        ]
        rows.append(
            Row("export_key_check", "Export key check", keys.export_key_check_of(custodian))
        )
        if email:
            rows.append(Row("email", "E-mail in the recovery copy", email))
        rows.append(Row("proved", "What the room proved", _CHECKED[proof]))
        return Review(
            operation=self.name,
            request_id=request.id,
            summary=_SUMMARY[proof],
            rows=tuple(rows),
            approval="Register these fingerprints and this export key in Vault",
            fingerprints=fps,
            facts={"proof": proof, "escrow_user": contents.escrow_user},
        )

    def _prove(
        self, platform: Secret, contents: RequestContents, progress: Progress | None
    ) -> tuple[str, str]:
        user = contents.escrow_user
        if not user:
            return PROOF_NONE, ""
        email = open_email(platform, user, contents.encrypted_email, self.email_iterations)
        if not contents.encrypted_kek:
            return PROOF_FIRST_HALF, email
        prefix, survey = f"users/{user}/surveys/", ""
        if contents.escrow_path.startswith(prefix):
            survey = contents.escrow_path[len(prefix) :].removesuffix("/recovery-kek")
        if not survey or contents.escrow_path != escrow.escrow_path(user, survey):
            raise RoomRefused(
                f"The escrowed key the request carries ({contents.escrow_path!r}) is not "
                f"user {user}'s. Nothing is registered.",
                code="escrow-path",
            )
        report = progress or (lambda done, total, what: None)
        with escrow.kek_key(platform, user, survey, self.iterations, report) as key:
            escrow.decrypt_kek(contents.encrypted_kek, key).wipe()  # proof only: never kept
        return PROOF_WHOLE, email

    def seal(
        self,
        review: Review,
        request: Request,
        custodian: Secret,
        ceremony_id: str,
        room: Room,
        scheme: str,
        evidence: Mapping[str, Any] | None = None,
    ) -> Bundle:
        expect(request, self.name)
        refuse(request, room)
        if review.request_id != request.id or review.fingerprints.get(
            "custodian"
        ) != keys.fingerprint(custodian, "custodian"):
            raise RoomRefused("This review was made from other shares.", code="request")
        payload = {
            "share_scheme": scheme,
            "email_proof": review.facts.get("proof") != PROOF_NONE,
        }
        return seal_reviewed(request, review, room, custodian, ceremony_id, payload, evidence)


def proven(review: Review) -> bool:
    """Whether an escrow opened (the e-mail at least); see the review's rows for how much."""
    return review.facts.get("proof", PROOF_NONE) != PROOF_NONE


RULES: Final = Adopt()
