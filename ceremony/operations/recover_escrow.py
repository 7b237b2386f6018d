"""recover-escrow (an individual recovery): release one survey's KEK, after people look.

The request carries, sealed to the room's session key, the vault component and
CheckTick's escrow of one user's survey. The room rebuilds the platform key,
checks it against the registration, builds the escrow path itself from the user
and survey the request names, and opens the KEK and the escrowed e-mail. The
quorum checks user, survey, e-mail and ticket; only then is the KEK sealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ceremony.gap import Bundle, Operation, Request, open_request
from ceremony.operations import escrow
from ceremony.operations.authorize import (
    OpensEscrow,
    check_registration,
    expect,
    open_email,
    platform_key,
    seal_reviewed,
    unregistered,
)
from ceremony.operations.table import Review, Room, RoomRefused, Row, refuse

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ceremony.gap import RequestContents
    from ceremony.operations.escrow import Progress
    from ceremony.secret import Secret

__all__ = ["RULES", "RecoverEscrow"]


class RecoverEscrow(OpensEscrow):
    name: Operation = "recover-escrow"
    title = "an individual recovery"
    leaves_the_room = (
        "this one survey's key and nothing else: not the custodian component, not the platform key"
    )
    sealed = "the 32-byte KEK of the approved user's survey, nothing else"

    def refusal(self, request: Request) -> RoomRefused | None:
        return unregistered("recovery") if request.registration is None else None

    def review(
        self,
        request: Request,
        custodian: Secret,
        session_key: Secret | None,
        progress: Progress | None = None,
    ) -> Review:
        """Open the request, rebuild the platform key, decrypt the KEK and e-mail in the room.

        Refuses unless the rebuilt platform key is the registered one, and unless the
        escrow is the one for the user and survey the request names.
        """
        expect(request, self.name)
        check_registration(request, custodian)
        if session_key is None:
            raise RoomRefused("This ceremony has no session key.", code="session")
        user, survey = request.params["user"], request.params["survey"]
        contents = open_request(request, session_key)
        try:
            kek, email, fps = self._open_escrow(request, custodian, contents, progress)
        finally:
            contents.wipe()
        ticket = request.params.get("ticket", "")
        return Review(
            operation=self.name,
            request_id=request.id,
            summary="The survey's recovery copy opened in this room. Releasing it gives the "
            "Vault side this one survey's key, nothing else. Check that this is the person "
            "and the ticket you were asked about:",
            rows=(
                Row("user", "User", user),
                Row("survey", "Survey", survey),
                Row("email", "E-mail in the recovery copy", email),
                Row("ticket", "Ticket", ticket or "none given"),
                Row("platform_fingerprint", "Platform fingerprint", fps["platform"]),
            ),
            approval="We checked the e-mail and the ticket: release this one key",
            fingerprints=fps,
            secret=kek,
            facts={"user": user, "survey": survey},
        )

    def _open_escrow(
        self,
        request: Request,
        custodian: Secret,
        contents: RequestContents,
        progress: Progress | None,
    ) -> tuple[Secret, str, dict[str, str]]:
        """The KEK and the e-mail of the escrow the request names, and the fingerprints."""
        user, survey = request.params["user"], request.params["survey"]
        report = progress or (lambda done, total, what: None)
        rounds = self.iterations
        total = 2 * rounds + self.email_iterations
        if contents.escrow_path != escrow.escrow_path(user, survey):
            raise RoomRefused(
                f"The request names user {user} and survey {survey}, but the escrow it "
                f"carries is {contents.escrow_path!r}. The room builds the path itself "
                "and refuses this request.",
                code="escrow-path",
            )
        with platform_key(request, custodian, contents.vault_component) as (platform, fps):
            with escrow.kek_key(platform, user, survey, rounds, report, total) as key:
                kek = escrow.decrypt_kek(contents.encrypted_kek, key)
            try:
                email = open_email(platform, user, contents.encrypted_email, self.email_iterations)
            except BaseException:
                kek.wipe()
                raise
            report(total, total, "opened the escrow")
        return kek, email, fps

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
        """Seal only the approved KEK (and the evidence fields) to the request key."""
        expect(request, self.name)
        refuse(request, room)
        facts = (review.facts.get("user"), review.facts.get("survey"))
        if review.request_id != request.id or facts != (
            request.params["user"],
            request.params["survey"],
        ):
            raise RoomRefused("This review belongs to another request.", code="request")
        if review.secret is None or review.secret.wiped:
            raise RoomRefused("The reviewed key is gone; review again.", code="request")
        payload = {"kek": review.secret.reveal().hex()}
        return seal_reviewed(request, review, room, custodian, ceremony_id, payload, evidence)


RULES: Final = RecoverEscrow()
