"""What one wizard run knows: details typed in, the request, secrets, and what happened.

The wizard's pages read and write this object; it is the only place a page
keeps secrets, so :meth:`CeremonyContext.wipe` (finish or cancel) clears them all.
"""

from __future__ import annotations

import secrets as _random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from ceremony.secret import Secret
from ceremony.session import RecoverySession

__all__ = ["CeremonyContext", "Custodian", "Kind"]

Kind = Literal["genesis", "recovery", "reshare", "drill", "verify"]

KIND_TITLES: dict[Kind, str] = {
    "genesis": "New platform key",
    "recovery": "Recovery",
    "reshare": "Re-share to new custodians",
    "drill": "Recovery drill",
    "verify": "Verify a share",
}


@dataclass(frozen=True)
class Custodian:
    name: str
    role: str = ""

    def label(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(repr=False)
class CeremonyContext:
    kind: Kind
    rehearsal: bool
    ceremony_id: str = field(default_factory=lambda: _random.token_hex(4).upper())
    started_at: datetime = field(default_factory=_now)
    organisation: str = ""
    key_version: str = ""
    custodians: list[Custodian] = field(default_factory=list)
    threshold: int = 2
    witness: str = ""
    scheme: str = "slip39"
    paper: str = "a4"
    environment: Any = None  # ui.services.EnvironmentView
    request: Any = None  # ui.services.RequestView
    contributions: list[Secret] = field(default_factory=list)
    session: RecoverySession | None = None  # shares coming in, for recovery and re-share
    component: Secret | None = None  # the custodian component
    vault_component: Secret | None = None  # genesis only
    shares: list[Secret] = field(default_factory=list)  # share texts, index order
    fingerprints: dict[str, str] = field(default_factory=dict)
    old_fingerprint: str = ""  # re-share: the fingerprint the old shares rebuilt
    printed: set[int] = field(default_factory=set)
    verified: set[int] = field(default_factory=set)
    used_indices: tuple[int, ...] = ()  # shares that took part in a recovery
    share_holders: dict[int, str] = field(default_factory=dict)  # recovery: index -> name
    bundle: Any = None  # ui.services.BundleView
    events: list[tuple[datetime, str]] = field(default_factory=list)
    finished_at: datetime | None = None

    def __repr__(self) -> str:
        return f"<CeremonyContext {self.kind} {self.ceremony_id}>"

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]

    def log(self, text: str) -> None:
        """A line for the ceremony record. Never pass secret material here."""
        self.events.append((_now(), text))

    def share_text(self, index: int) -> str:
        """Share ``index`` (1-based) as text, for a sheet or a comparison. Keep it local."""
        return self.shares[index - 1].reveal().decode()

    def holds_secrets(self) -> bool:
        held = [self.component, self.vault_component, *self.shares, *self.contributions]
        in_session = self.session is not None and bool(self.session.state().indices)
        return in_session or any(s is not None and not s.wiped for s in held)

    def wipe(self) -> None:
        for secret in [self.component, self.vault_component, *self.shares, *self.contributions]:
            if secret is not None:
                secret.wipe()
        if self.session is not None:
            self.session.wipe()
        self.component = None
        self.vault_component = None
        self.shares.clear()
        self.contributions.clear()
        if self.finished_at is None:
            self.finished_at = _now()
