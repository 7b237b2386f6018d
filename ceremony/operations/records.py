"""Ceremony records of recovery, recovery drill and re-share (genesis has its own in genesis).

Built only from facts that are safe on paper: names, share numbers, set ids,
fingerprints, check results and bundle digests. No function here takes a share
or a component.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from ceremony.gap import Bundle, bundle_digest
from ceremony.operations.genesis import GenesisKeys, genesis_record
from ceremony.operations.reshare import revoked_lines
from ceremony.paper import (
    Attendee,
    BundleDigest,
    EnvironmentRow,
    RecordData,
    ShareAssignment,
    VerificationResult,
)
from ceremony.shares import SCHEME_NAMES, Scheme

__all__ = ["SharesUsed", "bundle_rows", "recovery_record", "reshare_record"]


@dataclass(frozen=True)
class SharesUsed:
    """Which shares of an existing set rebuilt the component, and who brought them."""

    scheme: Scheme
    set_id: str | None  # None for legacy CheckTick shares
    threshold: int | None  # None when legacy shares were entered without one
    holders: tuple[tuple[int, str], ...]  # (share index, name of who entered it)

    def describe(self) -> str:
        numbers = ", ".join(str(i) for i, _ in self.holders)
        of_set = f" of set {self.set_id}" if self.set_id else ""
        return f"{SCHEME_NAMES[self.scheme]} shares {numbers}{of_set}"


def _stamp(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def bundle_rows(bundles: Sequence[Bundle]) -> tuple[BundleDigest, ...]:
    return tuple(
        BundleDigest(f"{b.operation} bundle for request {b.request_id}", bundle_digest(b))
        for b in bundles
    )


def _attendees(names: Sequence[str], witness: str) -> tuple[Attendee, ...]:
    unique = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    people = [Attendee(n, "custodian") for n in unique]
    return (*people, Attendee(witness, "witness")) if witness.strip() else tuple(people)


def recovery_record(
    *,
    kind: Literal["recovery", "drill"],
    organisation: str,
    ceremony_id: str,
    started: datetime,
    ended: datetime,
    key_version: str,
    used: SharesUsed,
    fingerprints: Mapping[str, str],
    witness: str,
    environment: Sequence[EnvironmentRow] = (),
    verification: Sequence[VerificationResult] = (),
    bundles: Sequence[Bundle] = (),
    deviations: str = "",
    rehearsal: bool = False,
) -> RecordData:
    """The record of a recovery or drill: the share table lists the shares that were used."""
    return RecordData(
        organisation=organisation,
        ceremony_id=ceremony_id,
        kind=kind,
        started_at=_stamp(started),
        ended_at=_stamp(ended),
        key_version=key_version,
        scheme=used.scheme,
        threshold=used.threshold or len(used.holders),
        count=len(used.holders),
        set_id=used.set_id,
        attendees=_attendees([name for _, name in used.holders], witness),
        fingerprints=tuple(fingerprints.items()),
        shares=tuple(ShareAssignment(i, name, "used to rebuild") for i, name in used.holders),
        environment=tuple(environment),
        verification=tuple(verification),
        bundles=bundle_rows(bundles),
        deviations=deviations,
        rehearsal=rehearsal,
    )


def reshare_record(
    new: GenesisKeys,
    *,
    old: SharesUsed,
    ended: datetime,
    environment: Sequence[EnvironmentRow] = (),
    verification: Sequence[VerificationResult] = (),
    deviations: str = "",
) -> RecordData:
    """The record of a re-share: the new share table, and which old shares rebuilt the key."""
    base = genesis_record(
        new, ended=ended, environment=environment, verification=verification, deviations=deviations
    )
    rebuilt = VerificationResult(
        f"Old {old.describe()}",
        "passed",
        f"rebuilt the component; custodian fingerprint {new.fingerprints['custodian']}",
    )
    names = [*new.plan.custodians, *(name for _, name in old.holders)]
    return dataclasses.replace(
        base,
        kind="re-share",
        attendees=_attendees(names, new.plan.witness),
        verification=(rebuilt, *base.verification),
        revoked=revoked_lines(
            SCHEME_NAMES[old.scheme],
            old.set_id,
            [i for i, _ in old.holders],
            new.plan.key_version,
        ),
    )
