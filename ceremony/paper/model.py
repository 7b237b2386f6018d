"""What goes on paper: frozen inputs for share sheets and the ceremony record.

Only :attr:`SheetData.share` is secret. Everything in :class:`RecordData` is
safe to file, photocopy and show to an auditor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ceremony.evidence.model import Evidence

__all__ = [
    "Attendee",
    "BundleDigest",
    "CeremonyKind",
    "EnvironmentRow",
    "GroupRow",
    "Paper",
    "RecordData",
    "ShareAssignment",
    "SheetData",
    "VerificationResult",
]

Paper = Literal["a4", "letter"]
CeremonyKind = Literal["genesis", "recovery", "re-share", "drill"]
Scheme = Literal["slip39", "checktick"]


@dataclass(frozen=True)
class SheetData:
    """One custodian's share sheet. ``share`` is the secret share text."""

    organisation: str
    custodian: str
    index: int  # 1-based
    count: int
    threshold: int
    set_id: str | None  # SLIP-39 identifier; legacy shares have none
    key_version: str
    ceremony_id: str
    date: str  # as printed, e.g. "2025-03-14"
    fingerprint: str  # custodian component fingerprint, safe to print
    share: str = field(repr=False)
    scheme: Scheme = "slip39"
    rehearsal: bool = False
    # named groups: index, count and threshold above are within the group
    group: str = ""  # the group's name; "" for a plain set
    policy_text: str = ""  # e.g. "Board — any 2 of your 3 Board sheets; any 2 of the 3 groups ..."
    group_threshold: int = 1
    group_count: int = 1
    has_passphrase: bool = False  # printed, so a recovery years later knows whether to ask

    @property
    def grouped(self) -> bool:
        return bool(self.group)


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str  # "custodian", "witness", "operator", ...
    title: str = ""  # what they do in the organisation, e.g. "CFO"

    @property
    def role_text(self) -> str:
        return f"{self.role} ({self.title})" if self.title else self.role


@dataclass(frozen=True)
class EnvironmentRow:
    check: str
    result: str
    severity: str = "ok"  # "ok", "warning" or "blocking", as the environment check says


@dataclass(frozen=True)
class ShareAssignment:
    index: int
    custodian: str
    verified: str = ""  # e.g. "re-entered and QR scanned", empty when not done
    label: str = ""  # e.g. "Board 2 of 3" in a grouped set; else "index of count"
    check_value: str = ""  # ceremony.evidence.check_value of the share; safe to print


@dataclass(frozen=True)
class GroupRow:
    """One group of a grouped set, for the record: nothing secret."""

    name: str
    members: tuple[str, ...]
    threshold: int


@dataclass(frozen=True)
class VerificationResult:
    what: str
    outcome: str  # "passed", "failed", ...
    detail: str = ""


@dataclass(frozen=True)
class BundleDigest:
    label: str
    sha256: str


@dataclass(frozen=True)
class RecordData:
    """A ceremony record. Holds nothing secret by construction: no share, no component."""

    organisation: str
    ceremony_id: str
    kind: CeremonyKind
    started_at: str
    ended_at: str
    key_version: str
    scheme: Scheme
    threshold: int
    count: int
    set_id: str | None
    attendees: tuple[Attendee, ...]
    fingerprints: tuple[tuple[str, str], ...]  # (label, fingerprint)
    shares: tuple[ShareAssignment, ...]
    environment: tuple[EnvironmentRow, ...] = ()
    verification: tuple[VerificationResult, ...] = ()
    bundles: tuple[BundleDigest, ...] = ()
    deviations: str = ""
    rehearsal: bool = False
    groups: tuple[GroupRow, ...] = ()  # filled for a grouped set
    group_threshold: int = 1
    policy_text: str = ""  # the policy in words, e.g. "any 2 of the 3 groups rebuild the key (...)"
    revoked: tuple[str, ...] = ()  # old share sets this ceremony retires, one line each
    evidence: Evidence | None = None  # roles, the script as it ran, bags (ceremony.evidence)

    @property
    def custodians(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attendees if a.role == "custodian")

    @property
    def witnesses(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attendees if a.role == "witness")
