"""verify (a recovery drill): the quorum proves the shares still rebuild the registered key.

Refused unless Vault registered a key. The quorum compares the custodian
fingerprint and the export key check with the printed ceremony record; the
answer is a signed attestation and no key material.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ceremony import keys
from ceremony.gap import Bundle, Operation, Request, seal_bundle
from ceremony.gap.wire import stamp, utc
from ceremony.operations.authorize import (
    PAYLOAD_VERSION,
    check_registration,
    expect,
    unregistered,
)
from ceremony.operations.table import Review, Room, RoomRefused, Row, refuse

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from ceremony.operations.escrow import Progress
    from ceremony.secret import Secret

__all__ = ["RULES", "attest"]

STATEMENT: Final = "The quorum rebuilt the registered custodian component."


class Verify:
    name: Operation = "verify"
    title = "a recovery drill"
    leaves_the_room = "a signed statement that you rebuilt the registered key; no key material"
    sealed = "an attestation: request id, time, custodian fingerprint, export key check, statement"

    def refusal(self, request: Request) -> RoomRefused | None:
        return unregistered("drill") if request.registration is None else None

    def review(
        self,
        request: Request,
        custodian: Secret,
        session_key: Secret | None,
        progress: Progress | None = None,
    ) -> Review:
        expect(request, self.name)
        check_registration(request, custodian)
        fingerprint = keys.fingerprint(custodian, "custodian")
        return Review(
            operation=self.name,
            request_id=request.id,
            summary="The shares rebuilt the registered key. Compare both with the ceremony record:",
            rows=(
                Row("custodian_fingerprint", "Custodian fingerprint", fingerprint),
                Row("export_key_check", "Export key check", keys.export_key_check_of(custodian)),
            ),
            approval="Both match the printed ceremony record",
            fingerprints={"custodian": fingerprint},
        )

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
        refuse(request, room)
        return attest(request, custodian, ceremony_id, rehearsal=room.rehearsal, evidence=evidence)


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
    expect(request, "verify")
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
            "statement": STATEMENT,
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


RULES: Final = Verify()
