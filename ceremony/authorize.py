"""What a quorum seals in answer to a request: one payload table for every front end.

Every payload names the fingerprints and the export public key, so the online
side can check them against what Vault holds before it acts. Only the
operations that need a key half carry one, and only inside the sealed payload:

===============  ==============================================================
install          ``vault_component`` (hex, 64 bytes), ``share_scheme``,
                 ``threshold``, ``count`` (made by genesis, see install_payload)
adopt, verify    nothing more: the signature proves the shares were rebuilt
recover-escrow   ``custodian_component`` (hex, 64 bytes)
===============  ==============================================================
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from ceremony import keys
from ceremony.errors import GapError
from ceremony.gap import Bundle, Request, seal_bundle
from ceremony.secret import Secret

__all__ = [
    "PAYLOAD_VERSION",
    "authorization_payload",
    "authorize",
    "install_payload",
    "new_ceremony_id",
]

PAYLOAD_VERSION = 1


def new_ceremony_id(now: datetime | None = None) -> str:
    """A short, readable, unique enough ceremony id, e.g. ``20260314-3F9A0C``."""
    moment = now or datetime.now(UTC)
    return f"{moment:%Y%m%d}-{secrets.token_hex(3).upper()}"


def _common(custodian: Secret, fingerprints: dict[str, str]) -> dict[str, Any]:
    return {
        "payload_version": PAYLOAD_VERSION,
        "fingerprints": fingerprints,
        "export_public_key": keys.export_signing_public_key(custodian).hex(),
    }


def authorization_payload(request: Request, custodian: Secret) -> dict[str, Any]:
    """The payload for adopt, verify or recover-escrow, from the rebuilt custodian component."""
    payload = _common(custodian, keys.fingerprints(custodian))
    if request.operation == "install":
        raise GapError(
            "An install request is answered by a genesis ceremony, not by authorize.",
            code="operation",
        )
    if request.operation == "recover-escrow":
        payload["custodian_component"] = custodian.reveal().hex()
    return payload


def install_payload(
    custodian: Secret, vault: Secret, share_scheme: str, threshold: int, count: int
) -> dict[str, Any]:
    """The payload of a genesis install: the vault component and how the shares were made."""
    payload = _common(custodian, keys.fingerprints(custodian, vault))
    payload.update(
        {
            "vault_component": vault.reveal().hex(),
            "share_scheme": share_scheme,
            "threshold": threshold,
            "count": count,
        }
    )
    return payload


def authorize(
    request: Request,
    custodian: Secret,
    ceremony_id: str,
    now: datetime | None = None,
) -> Bundle:
    """Seal and sign the answer to an adopt, verify or recover-escrow request."""
    return seal_bundle(
        request,
        authorization_payload(request, custodian),
        custodian,
        ceremony_id,
        keys.fingerprints(custodian),
        now=now,
    )
