"""Sealing the room's answer: which core function seals it, and what the page shows of it.

A genesis answers install; a rebuilt key answers the other operations, and
only with what the quorum reviewed (ui.pages.review_page). The room's
session key and an escrow review's KEK are spent once the answer is sealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceremony.errors import BundleError

if TYPE_CHECKING:
    from ceremony.gap import Bundle, Request
    from ceremony.secret import Secret
    from ui.context import CeremonyContext

__all__ = ["answer_filename", "export_key_check", "seal_answer"]


def seal_answer(context: CeremonyContext) -> Bundle:
    """The sealed answer to the request in ``context`` (runs in a worker)."""
    from ceremony.operations.genesis import seal_install

    request = context.request
    if request is None:
        raise BundleError("There is no request to answer; go back and read it in.")
    if context.genesis is not None:
        return seal_install(context.genesis, request)
    if context.component is not None and context.review is not None:
        return _answer(context, request, context.component)
    if context.component is not None:
        raise BundleError("The release was not checked and approved; go back to that step.")
    raise BundleError("The key is not in memory any more; start the ceremony again.")


def _answer(context: CeremonyContext, request: Request, component: Secret) -> Bundle:
    """Seal only what the reviewed operation releases; the session key is spent after."""
    from ceremony.operations.authorize import (
        AdoptReview,
        EscrowReview,
        attest,
        seal_adopt,
        seal_recovery,
    )

    review = context.review
    rehearsal = request.rehearsal
    try:
        if isinstance(review, EscrowReview):
            return seal_recovery(
                review, request, component, context.ceremony_id, rehearsal=rehearsal
            )
        if isinstance(review, AdoptReview):
            scheme = context.session.state().scheme if context.session is not None else None
            return seal_adopt(
                review, request, component, context.ceremony_id, scheme or "slip39",
                rehearsal=rehearsal,
            )  # fmt: skip
        return attest(request, component, context.ceremony_id, rehearsal=rehearsal)
    finally:
        if context.session_key is not None:
            context.session_key.wipe()
        if isinstance(review, EscrowReview):
            review.wipe()


def answer_filename(context: CeremonyContext, bundle: Bundle) -> str:
    return f"ceremony-{context.ceremony_id}-{bundle.header.operation}.bundle"


def export_key_check(bundle: Bundle) -> str:
    """For install and adopt: the check the record prints and `vault apply` needs; else ""."""
    from ceremony import gap, keys

    if bundle.header.operation not in gap.REGISTERING_OPERATIONS:
        return ""
    return keys.export_key_check(bundle.header.signer_public_key)
