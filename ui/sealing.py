"""The room's answer in the app: the operation table's review and seal, and the room it runs in.

What each operation checks, reviews, seals and releases is in the core
(``ceremony.operations.table``); this module only says which room the app is
(its mode, the operations the ceremony answers, the typed key version, the
session code) and spends the session key and the review once the answer is sealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ceremony.errors import BundleError

if TYPE_CHECKING:
    from ceremony.gap import Bundle, Operation, Request
    from ceremony.operations.table import Review, Room
    from ui.context import CeremonyContext, Kind

__all__ = [
    "ANSWERS",
    "answer_filename",
    "export_key_check",
    "review_in_the_room",
    "room_of",
    "seal_answer",
    "sign_transcript",
    "what_leaves",
]

# What each ceremony answers (its request page accepts only these).
ANSWERS: Final[dict[Kind, tuple[Operation, ...]]] = {
    "genesis": ("install",),
    "drill": ("verify",),
    "recovery": ("recover-escrow", "verify", "adopt"),
}


def room_of(context: CeremonyContext) -> Room:
    """The room this wizard is, as the operation table checks a request against it."""
    from ceremony.operations.table import Room

    code = context.session_code
    return Room(
        rehearsal=context.rehearsal,
        answers=ANSWERS.get(context.kind, ()),
        key_version=context.key_version if context.kind == "genesis" else "",
        session_public_key=code.public_key if code is not None else None,
        practice_vault=context.practice is not None,
    )


def review_in_the_room(context: CeremonyContext, progress: Any) -> tuple[Request, Review]:
    """The request to answer and the core's review of it; runs in a worker, so it only reads
    ``context`` (the page stores both on the GUI thread). In a rehearsal the practice Vault
    makes the request for the rebuilt key."""
    from dataclasses import replace

    from ceremony.operations.table import operation, refuse

    component = context.component
    if component is None or context.request is None:
        raise ValueError("the review needs the rebuilt key and the request")
    request = context.request
    room = room_of(context)
    if context.practice is not None:  # rehearsal: the practice Vault answers these shares
        request = context.practice.request(context.session_code, component)
        room = replace(room, practice_vault=False)
    refuse(request, room)

    def step(done: int, total: int, what: str) -> None:
        progress(f"{what[:1].upper()}{what[1:]}… {100 * done // max(total, 1)}%")

    return request, operation(request.operation).review(
        request, component, context.session_key, step
    )


def seal_answer(context: CeremonyContext) -> Bundle:
    """The sealed answer to the request in ``context`` (runs in a worker)."""
    from ceremony.operations.install import seal_install

    request = context.request
    if request is None:
        raise BundleError("There is no request to answer; go back and read it in.")
    if context.genesis is not None:
        fields = _transcript_fields(context, context.genesis.custodian, request)
        return seal_install(context.genesis, request, evidence=fields)
    if context.component is not None and context.review is not None:
        return _answer(context, request, context.component, context.review)
    if context.component is not None:
        raise BundleError("The release was not checked and approved; go back to that step.")
    raise BundleError("The key is not in memory any more; start the ceremony again.")


def _answer(context: CeremonyContext, request: Request, component: Any, review: Review) -> Bundle:
    """Seal only what the reviewed operation releases, naming its signed transcript; the
    session key is spent after."""
    from dataclasses import replace

    from ceremony.operations.table import operation

    scheme = context.session.state().scheme if context.session is not None else None
    room = replace(room_of(context), practice_vault=False)
    try:
        fields = _transcript_fields(context, component, request)
        return operation(request.operation).seal(
            review,
            request,
            component,
            context.ceremony_id,
            room,
            scheme or "slip39",
            evidence=fields,
        )
    finally:
        if context.session_key is not None:
            context.session_key.wipe()
        review.wipe()


def sign_transcript(context: CeremonyContext, custodian: Any) -> bytes:
    """The transcript (journal and record data so far), signed with the export key; for a
    ceremony with no answer for Vault (a re-share)."""
    from ceremony.evidence.transcript import make_transcript
    from ui import sheets

    transcript = make_transcript(
        context.log, sheets.record_data(context), custodian, rehearsal=context.rehearsal
    )
    context.transcript = transcript
    return transcript


def _transcript_fields(
    context: CeremonyContext, custodian: Any, request: Request
) -> dict[str, Any]:
    """Sign the transcript for the answer to ``request`` and name it in the answer."""
    from ceremony.evidence.bundle_fields import sign_answer
    from ui import sheets

    transcript, fields = sign_answer(
        context.log, sheets.record_data(context), custodian, request, rehearsal=context.rehearsal
    )
    context.transcript = transcript
    return fields


def answer_filename(context: CeremonyContext, bundle: Bundle) -> str:
    return f"ceremony-{context.ceremony_id}-{bundle.header.operation}.bundle"


def export_key_check(bundle: Bundle) -> str:
    """For install and adopt: the check the record prints and `vault apply` needs; else ""."""
    from ceremony import gap, keys

    if bundle.header.operation not in gap.REGISTERING_OPERATIONS:
        return ""
    return keys.export_key_check(bundle.header.signer_public_key)


def what_leaves(request: Request | None) -> str:
    """What the sealed answer holds, truthfully, for the operation at hand (the table's words)."""
    from ceremony.operations.table import operation

    holds = operation(request.operation).leaves_the_room if request else "only the approved result"
    return (
        f"The answer holds {holds}. It is sealed so that only the Vault side that made the "
        "request can open it, and signed with the key the shares rebuilt. Scan the QR code on "
        "the Vault side, or carry the file across on a removable drive."
    )
