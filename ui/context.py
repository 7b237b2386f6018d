"""What one wizard run knows, in five typed parts, and which parts each page uses.

- :class:`Run`: which ceremony this is (kind, rehearsal, id, times);
- :class:`Details`: what the people in the room typed in (names, roles, the split);
- :class:`Secrets`: the core objects that hold secrets (the genesis or re-share keys,
  the recovery session, the rebuilt component, entropy, the session key, the review,
  a practice Vault), so :meth:`CeremonyContext.wipe` (finish or cancel) clears them all;
- :class:`Crossing`: what crosses the air gap (the request, the session code, the answer);
- :class:`Record`: what goes on the ceremony record and into its journal, nothing secret.

Each page declares the parts it ``reads`` and ``writes`` (``ui.pages.base.Page``);
``tests/ui/test_context_use.py`` checks the declarations against each page's source.
"""

from __future__ import annotations

import secrets as _random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ui.kinds import KIND_TITLES, Kind

if TYPE_CHECKING:  # the app starts without the protocol, paper or share code loaded
    from ceremony.evidence.log import EvidenceLog
    from ceremony.gap import Bundle, Request, SessionCode
    from ceremony.operations.genesis import GenesisKeys, GenesisPlan
    from ceremony.operations.practice import PracticeVault
    from ceremony.operations.table import Review
    from ceremony.paper import Paper, VerificationResult
    from ceremony.room.environment import EnvironmentReport
    from ceremony.secret import Secret
    from ceremony.shares import Scheme
    from ceremony.shares.policy import Group
    from ceremony.shares.session import RecoverySession

__all__ = [
    "PARTS",
    "CeremonyContext",
    "Crossing",
    "Custodian",
    "Details",
    "Kind",
    "Parts",
    "Record",
    "Run",
    "Secrets",
]


@dataclass(frozen=True)
class Custodian:
    name: str
    role: str = ""

    def label(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


Parts = tuple[type, ...]


@dataclass(repr=False)
class Run:
    """Which ceremony this is."""

    kind: Kind
    rehearsal: bool
    ceremony_id: str = field(default_factory=lambda: _random.token_hex(4).upper())
    started_at: datetime = field(default_factory=_now)
    finished_at: datetime | None = None

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]


@dataclass(repr=False)
class Details:
    """What the people in the room typed in: nothing secret, printed on the record."""

    organisation: str = ""
    key_version: str = ""
    custodians: list[Custodian] = field(default_factory=list)
    threshold: int = 2
    groups: tuple[Group, ...] = ()  # named groups (SLIP-39's two levels); empty: plain form
    group_threshold: int = 1
    witness: str = ""
    scheme: Scheme = "slip39"
    paper: Paper = "a4"
    # Roles and the drill interval (ceremony.evidence)
    administrator: str = ""
    witnesses: list[str] = field(default_factory=list)
    drill_interval_days: int = 182


@dataclass(repr=False)
class Secrets:
    """The core objects that hold secrets; nothing else in the context does."""

    contributions: list[Secret] = field(default_factory=list)
    session: RecoverySession | None = None  # shares coming in, for recovery and re-share
    component: Secret | None = None  # the custodian component a session rebuilt
    genesis: GenesisKeys | None = None  # the new share set: genesis, or re-share's new set
    session_key: Secret | None = None  # the room's session key (recover-escrow, adopt)
    # What the room computed for the quorum's approval (the operation table's review).
    review: Review | None = None
    practice: PracticeVault | None = None  # rehearsal: the Vault side played in the room

    @property
    def shares(self) -> list[str]:
        """The new share set, index order; empty before it is made and after the wipe."""
        return self.genesis.shares if self.genesis is not None else []

    @property
    def verified(self) -> dict[int, str]:
        """New shares read back from paper: index -> how (kept by the core)."""
        return self.genesis.verified if self.genesis is not None else {}

    def share_text(self, index: int) -> str:
        """Share ``index`` (1-based) as text. Keep it local."""
        return self.shares[index - 1]


@dataclass(repr=False)
class Crossing:
    """What crosses the air gap: the request in, the session code out, the sealed answer."""

    request: Request | None = None
    session_code: SessionCode | None = None
    bundle: Bundle | None = None  # the sealed answer


@dataclass(repr=False)
class Record:
    """What goes on the ceremony record and into its journal. Never secret material."""

    environment: EnvironmentReport | None = None
    fingerprints: dict[str, str] = field(default_factory=dict)
    printed: set[int] = field(default_factory=set)
    used_indices: tuple[int, ...] = ()  # shares that took part in a recovery
    share_holders: dict[int, str] = field(default_factory=dict)  # recovery: index -> name
    verification: list[VerificationResult] = field(default_factory=list)
    expected_bags: dict[str, str] = field(default_factory=dict)  # share -> serial, last record
    transcript: bytes | None = None  # the signed transcript, made as the answer is sealed
    _log: EvidenceLog | None = None


PARTS: Parts = (Run, Details, Secrets, Crossing, Record)


@dataclass(repr=False)
class CeremonyContext(Details, Secrets, Crossing, Record, Run):
    """The five parts of one wizard run together (``Run``'s fields come first)."""

    def __repr__(self) -> str:
        return f"<CeremonyContext {self.kind} {self.ceremony_id}>"

    @property
    def log(self) -> EvidenceLog:
        """The hash-chained journal of this run (part of the record), made with the first event."""
        if self._log is None:
            from ceremony.evidence.log import EvidenceLog

            self._log = EvidenceLog(self.kind, self.ceremony_id)
        return self._log

    def note(self, what: str, outcome: str = "passed", detail: str = "") -> None:
        """A verification row for the record. Never pass secret material here."""
        from ceremony.paper import VerificationResult

        self.verification.append(VerificationResult(what, outcome, detail))
        reprinted = "reprint" in detail and "no reprint" not in detail
        if outcome in ("refused", "mismatch", "failed") or reprinted:
            kind = "reprint" if reprinted and outcome not in ("refused", "mismatch") else outcome
            self.log.deviation(kind, f"{what}: {detail}" if detail else what)

    def plan(self) -> GenesisPlan:
        """The core's plan from the details typed in (genesis, and a re-share's new set)."""
        from ceremony.operations.genesis import GenesisPlan

        return GenesisPlan(
            organisation=self.organisation,
            key_version=self.key_version,
            custodians=tuple(c.name for c in self.custodians),
            titles=tuple(c.role for c in self.custodians),
            threshold=self.threshold,
            witness=self.witness,
            scheme=self.scheme,
            paper=self.paper,
            rehearsal=self.rehearsal,
            groups=self.groups,
            group_threshold=self.group_threshold,
        )

    def holds_secrets(self) -> bool:
        held = [self.component, *self.contributions, self.session_key]
        if self.genesis is not None:
            held += [self.genesis.custodian, self.genesis.vault]
        in_session = self.session is not None and bool(self.session.state().indices)
        return in_session or bool(self.shares) or any(s is not None and not s.wiped for s in held)

    def wipe(self) -> None:
        for secret in [self.component, *self.contributions, self.session_key]:
            if secret is not None:
                secret.wipe()
        if self.review is not None:
            self.review.wipe()  # an escrow review holds the KEK
        if self.practice is not None:
            self.practice.wipe()
        if self.genesis is not None:
            self.genesis.wipe()  # kept: its fingerprints and verified marks go in the record
        if self.session is not None:
            self.session.wipe()
        self.component = None
        self.contributions.clear()
        if self.finished_at is None:
            self.finished_at = _now()
