"""Requests in and sealed bundles out, through ``ceremony.gap`` and ``ceremony.authorize``."""

from __future__ import annotations

from datetime import timedelta

from ceremony import gap
from ceremony.authorize import attest
from ceremony.errors import BundleError
from ceremony.genesis import seal_install
from ui.context import CeremonyContext
from ui.services import BundleView, RequestView

__all__ = ["practice_request", "read_request", "seal"]

PRACTICE_TTL = timedelta(hours=4)
PRACTICE_PARAMS: dict[str, dict[str, str]] = {
    "recover-escrow": {"user": "rehearsal-user", "survey": "rehearsal-survey"},
}


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


def practice_request(operation: str, key_version: str) -> str:
    """A throwaway request for rehearsals; its private key is dropped at once."""
    op = next(o for o in gap.OPERATIONS if o == operation)
    request, private_key = gap.new_request(
        op, PRACTICE_PARAMS.get(operation, {}), key_version, PRACTICE_TTL
    )
    private_key.wipe()
    return request.qr_payload()


def seal(context: CeremonyContext) -> BundleView:
    """The core seals: a genesis answers install, a rebuilt key answers the other operations."""
    request = context.request.raw if context.request is not None else None
    if not isinstance(request, gap.Request):
        raise BundleError("There is no request to answer; go back and read it in.")
    if context.genesis is not None:
        bundle = seal_install(context.genesis, request)
    elif context.component is not None and request.operation == "verify":
        bundle = attest(
            request, context.component, context.ceremony_id, rehearsal=request.rehearsal
        )
    elif context.component is not None:
        raise BundleError(
            f"A {request.operation} request is answered with the room's session key; "
            "this screen does not hold one."
        )
    else:
        raise BundleError("The key is not in memory any more; start the ceremony again.")
    return BundleView(
        text=bundle.text_line(),
        qr_payload=bundle.qr_payload(),
        data=bundle.to_bytes(),
        digest=gap.bundle_digest(bundle),
        filename=f"ceremony-{context.ceremony_id}-{request.operation}.bundle",
        raw=bundle,
    )
