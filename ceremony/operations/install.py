"""install: a genesis answers it with Vault's half of a new platform key.

The request fixes the operation, the key version and the mode (rehearsal or
production); the room compares them on the page where the custodians type the
key version, before any key exists (``table.refusal`` with the typed version).
There is no rebuilt key to review: the quorum's approval is the genesis itself,
every printed sheet read back from paper. The answer carries the vault component
made in the room, the share scheme, threshold and count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ceremony.gap import Bundle, Operation, Request, seal_bundle
from ceremony.operations.authorize import PAYLOAD_VERSION
from ceremony.operations.table import Review, Room, RoomRefused, refuse

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from ceremony.operations.escrow import Progress
    from ceremony.operations.genesis import GenesisKeys
    from ceremony.secret import Secret

__all__ = ["RULES", "install_payload", "room_of", "seal_install"]


class Install:
    name: Operation = "install"
    title = "a new platform key"
    leaves_the_room = (
        "Vault's half of the new platform key, for Vault to keep, with the fingerprints and "
        "the export key; never the custodian component or any share"
    )
    sealed = "the vault component made in the room, the share scheme, threshold and count"

    def refusal(self, request: Request) -> RoomRefused | None:
        return None

    def review(
        self,
        request: Request,
        custodian: Secret,
        session_key: Secret | None,
        progress: Progress | None = None,
    ) -> Review:
        raise RoomRefused(
            "An install request is answered by a genesis ceremony, not by rebuilt shares.",
            code="operation",
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
        raise RoomRefused(
            "An install request is answered by a genesis ceremony (seal_install).",
            code="operation",
        )


def room_of(genesis: GenesisKeys) -> Room:
    """The room a genesis runs in: its mode and the key version the custodians typed."""
    return Room(
        rehearsal=genesis.plan.rehearsal,
        answers=("install",),
        key_version=genesis.plan.key_version,
    )


def install_payload(vault: Secret, share_scheme: str, threshold: int, count: int) -> dict[str, Any]:
    """The payload of a genesis install: the vault component and how the shares were made."""
    return {
        "payload_version": PAYLOAD_VERSION,
        "vault_component": vault.reveal().hex(),
        "share_scheme": share_scheme,
        "threshold": threshold,
        "count": count,
    }


def seal_install(
    genesis: GenesisKeys,
    request: Request,
    now: datetime | None = None,
    evidence: Mapping[str, Any] | None = None,
) -> Bundle:
    """The sealed, signed install bundle that answers the Vault side's install request.

    ``evidence``: optional fields from ceremony.evidence.bundle_fields (transcript digest,
    drill interval), added to the payload.
    """
    refuse(request, room_of(genesis), now)
    payload = install_payload(
        genesis.vault,
        genesis.plan.scheme,
        genesis.plan.threshold,
        len(genesis.plan.custodians),
    )
    payload.update(evidence or {})
    try:
        return seal_bundle(
            request,
            payload,
            genesis.custodian,
            genesis.ceremony_id,
            genesis.fingerprints,
            now=now,
            rehearsal=genesis.plan.rehearsal,
        )
    finally:
        payload.clear()


RULES: Final = Install()
