"""Requests in and sealed bundles out, through ``ceremony.gap`` and ``ceremony.authorize``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ceremony import gap
from ceremony.authorize import authorization_payload, install_payload
from ceremony.errors import BundleError
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


def _payload(context: CeremonyContext, request: gap.Request) -> dict[str, Any]:
    custodian = context.component
    if custodian is None:
        raise BundleError("The key is not in memory any more; start the ceremony again.")
    if request.operation != "install":
        return authorization_payload(request, custodian)
    if context.vault_component is None:
        raise BundleError("An install request is answered by a new platform key ceremony.")
    return install_payload(
        custodian, context.vault_component, context.scheme, context.threshold,
        len(context.custodians),
    )  # fmt: skip


def seal(context: CeremonyContext) -> BundleView:
    request = context.request.raw if context.request is not None else None
    if not isinstance(request, gap.Request) or context.component is None:
        raise BundleError("There is no request or no key to answer it with.")
    fingerprints = {
        k: v for k, v in context.fingerprints.items() if k in ("custodian", "vault", "platform")
    }
    bundle = gap.seal_bundle(
        request,
        _payload(context, request),
        context.component,
        context.ceremony_id,
        fingerprints,
    )
    digest = gap.bundle_digest(bundle)
    return BundleView(
        text=bundle.text_line(),
        qr_payload=bundle.qr_payload(),
        data=bundle.to_bytes(),
        digest=digest,
        filename=f"ceremony-{context.ceremony_id}-{request.operation}.bundle",
    )
