"""Requests in and sealed bundles out, through ``ceremony.gap`` and ``ceremony.authorize``."""

from __future__ import annotations

from ceremony import gap, keys
from ceremony.authorize import AdoptReview, EscrowReview, attest, seal_adopt, seal_recovery
from ceremony.errors import BundleError
from ceremony.genesis import seal_install
from ceremony.secret import Secret
from ui.context import CeremonyContext
from ui.services import BundleView, RequestView

__all__ = ["read_request", "seal", "view_of"]



def view_of(request: gap.Request) -> RequestView:
    return _view(request)


def _view(request: gap.Request) -> RequestView:
    return RequestView(
        request_id=request.id,
        operation=request.operation,
        params=dict(request.params),
        key_version=request.key_version,
        expires_at=request.expires_at,
        check_words=tuple(request.check_words()),
        description=request.describe(),
        expected_fingerprint=request.custodian_fingerprint,
        raw=request,
    )


def read_request(text: str) -> RequestView:
    return _view(gap.parse_request(text))


def seal(context: CeremonyContext) -> BundleView:
    """The core seals: a genesis answers install, a rebuilt key answers the other operations."""
    request = context.request.raw if context.request is not None else None
    if not isinstance(request, gap.Request):
        raise BundleError("There is no request to answer; go back and read it in.")
    if context.genesis is not None:
        bundle = seal_install(context.genesis, request)
    elif context.component is not None and context.review is not None:
        bundle = _answer(context, request, context.component)
    elif context.component is not None:
        raise BundleError("The release was not checked and approved; go back to that step.")
    else:
        raise BundleError("The key is not in memory any more; start the ceremony again.")
    return BundleView(
        text=bundle.text_line(),
        qr_payload=bundle.qr_payload(),
        data=bundle.to_bytes(),
        digest=gap.bundle_digest(bundle),
        filename=f"ceremony-{context.ceremony_id}-{request.operation}.bundle",
        raw=bundle,
        export_key_check=keys.export_key_check(bundle.header.signer_public_key)
        if request.operation in gap.REGISTERING_OPERATIONS
        else "",
    )


def _answer(context: CeremonyContext, request: gap.Request, component: Secret) -> gap.Bundle:
    """Seal only what the reviewed operation releases; the session key is spent after."""
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
            )
        return attest(request, component, context.ceremony_id, rehearsal=rehearsal)
    finally:
        if context.session_key is not None:
            context.session_key.wipe()
        if isinstance(review, EscrowReview):
            review.wipe()
