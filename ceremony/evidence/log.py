"""One ceremony's evidence as it happens, written into the hash-chained journal.

Roles, each step's completion, deviations, check values, bag serials and the
drill interval go in as journal events; :meth:`EvidenceLog.evidence` reads them
back. The log never takes a share: callers pass check values, not shares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final

from ceremony.errors import CeremonyError
from ceremony.evidence.model import Evidence, read_evidence
from ceremony.evidence.steps import Operation, steps_for
from ceremony.journal import Clock, Journal
from ceremony.shares.secret_text import check_not_secret, find_secret

__all__ = [
    "DEFAULT_DRILL_DAYS",
    "SWAPPED_BAG",
    "EvidenceLog",
    "check_bag_serial",
    "next_drill_date",
    "same_serial",
]

DEFAULT_DRILL_DAYS: Final = 182  # about six months
MAX_DRILL_DAYS: Final = 3 * 366
SWAPPED_BAG: Final = (
    "This bag's serial is not the one the last record lists: the bag may have been swapped; "
    "follow the incident steps. This share is not used; the others are kept."
)
_SERIAL: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]{0,39}")
WHERE: Final = "the ceremony journal and record"
WITHHELD: Final = "(withheld: it read like a secret)"


def _plain(text: str) -> str:
    """Text typed in the room, or a placeholder when it reads as share words or a key."""
    return WITHHELD if find_secret(text) is not None else text


def check_bag_serial(serial: str) -> str:
    """A bag serial as typed or scanned, trimmed; one clear line when it cannot be one."""
    text = serial.strip()
    if not _SERIAL.fullmatch(text):
        raise CeremonyError(
            "A bag serial is 1 to 40 letters, digits, spaces, dots, dashes or slashes, "
            "as printed on the bag."
        )
    check_not_secret(text, WHERE)
    return text


def same_serial(a: str, b: str) -> bool:
    """Serials compare without case, spaces or dashes (people type them differently)."""

    def norm(text: str) -> str:
        return "".join(ch for ch in text.upper() if ch.isalnum())

    return bool(norm(a)) and norm(a) == norm(b)


def next_drill_date(start: date, days: int) -> date:
    return start + timedelta(days=days)


class EvidenceLog:
    """The journal of one ceremony, with the events the record and the transcript need."""

    def __init__(self, operation: Operation, ceremony_id: str, clock: Clock | None = None) -> None:
        self.operation: Operation = operation
        self.ceremony_id = ceremony_id
        self.journal = Journal(clock)
        self.current_step = 0
        self.journal.record("ceremony", operation=operation, ceremony_id=ceremony_id)

    def roles(
        self,
        administrator: str,
        witnesses: Sequence[str],
        custodians: Sequence[tuple[str, str]] = (),
    ) -> None:
        admin = administrator.strip()
        named = [w.strip() for w in witnesses if w.strip()]
        if not admin:
            raise CeremonyError("Name the ceremony administrator; they sign the record.")
        if not named:
            raise CeremonyError("Name at least one witness; each signs the record.")
        for name in [admin, *named, *(n for n, _ in custodians), *(t for _, t in custodians)]:
            check_not_secret(name, WHERE)
        self.journal.record(
            "roles",
            administrator=admin,
            witnesses=named,
            custodians=[[n.strip(), t.strip()] for n, t in custodians if n.strip()],
        )

    def drill_interval(self, days: int, today: date) -> date:
        if not 1 <= days <= MAX_DRILL_DAYS:
            raise CeremonyError(f"The drill interval is 1 to {MAX_DRILL_DAYS} days.")
        due = next_drill_date(today, days)
        self.journal.record("drill-interval", days=days, next_drill=due.isoformat())
        return due

    def at_step(self, number: int) -> None:
        """The step now under way: deviations are listed under it."""
        self.current_step = number

    def step_done(self, number: int) -> None:
        steps = steps_for(self.operation)
        if not 1 <= number <= len(steps):
            raise CeremonyError(f"There is no step {number} in a {self.operation} ceremony.")
        step = steps[number - 1]
        self.journal.record("step", number=number, title=step.title, who=step.who)

    def deviation(self, kind: str, text: str) -> None:
        self.journal.record("deviation", step=self.current_step, kind=kind, text=_plain(text))

    def share_made(self, share: str, holder: str, check_value: str) -> None:
        self.journal.record(
            "share-made", share=share, holder=_plain(holder), check_value=check_value
        )

    def bag_sealed(self, share: str, holder: str, serial: str) -> None:
        self.journal.record(
            "bag-sealed", share=share, holder=_plain(holder), serial=check_bag_serial(serial)
        )

    def bag_opened(self, share: str, holder: str, serial: str, expected: str) -> bool:
        """Log the bag a holder opened; False (and a deviation) when it is not the recorded one."""
        typed = check_bag_serial(serial)
        matched = same_serial(typed, expected)
        self.journal.record(
            "bag-opened",
            share=share,
            holder=_plain(holder),
            serial=typed,
            expected=expected,
            matched=matched,
        )
        if not matched:
            self.deviation(
                "bag-swapped",
                f"Share {share} ({holder}): bag {typed} opened, the record lists "
                f"{expected or 'no bag'}; the share was not used.",
            )
        return matched

    def share_checked(self, set_id: str, share: str, holder: str) -> None:
        self.journal.record("share-checked", set_id=set_id, share=share, holder=_plain(holder))

    def evidence(self) -> Evidence:
        return read_evidence(
            [e.as_dict() for e in self.journal.entries], self.operation, self.ceremony_id
        )
