"""What the journal of one ceremony says, read back as plain facts for the record and auditors.

Everything here is derived from journal entries (:func:`read_evidence`), so the
printed record and ``ceremony verify-record`` tell the same story from the same
hash-chained log. Nothing here is secret.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BagCheck",
    "BagSeal",
    "Deviation",
    "Evidence",
    "Person",
    "ShareMade",
    "StepRun",
    "read_evidence",
]


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # "administrator", "witness" or "custodian"
    title: str = ""


@dataclass(frozen=True)
class Deviation:
    step: int  # the step it happened in (0: before the first)
    kind: str  # "refused", "mismatch", "reprint", "bag-swapped", "cancelled", ...
    text: str
    at: str


@dataclass(frozen=True)
class StepRun:
    number: int
    title: str
    who: str
    at: str  # completion time, ISO 8601 UTC


@dataclass(frozen=True)
class ShareMade:
    share: str  # "1", or "group 1 member 2"
    holder: str
    check_value: str


@dataclass(frozen=True)
class BagSeal:
    share: str
    holder: str
    serial: str
    at: str


@dataclass(frozen=True)
class BagCheck:
    share: str
    holder: str
    serial: str
    expected: str
    matched: bool
    at: str


@dataclass(frozen=True)
class Evidence:
    operation: str
    ceremony_id: str
    people: tuple[Person, ...] = ()
    steps: tuple[StepRun, ...] = ()
    deviations: tuple[Deviation, ...] = ()
    shares: tuple[ShareMade, ...] = ()
    bags_sealed: tuple[BagSeal, ...] = ()
    bags_opened: tuple[BagCheck, ...] = ()
    shares_checked: tuple[tuple[str, str, str], ...] = ()  # (set id, share, holder)
    drill_interval_days: int | None = None
    next_drill: str = ""  # YYYY-MM-DD
    transcript_sha256: str = ""  # filled by whoever wrote the transcript
    transcript_signed_at: int = 0  # the step it was signed in (what it covers)

    def named(self, role: str) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role == role)

    def deviations_at(self, step: int) -> tuple[Deviation, ...]:
        return tuple(d for d in self.deviations if d.step == step)

    def bag_of(self, share: str) -> str:
        """The serial of the last bag this share went into, "" if none was recorded."""
        found = [b.serial for b in self.bags_sealed if b.share == share]
        return found[-1] if found else ""


def _s(details: Mapping[str, Any], key: str) -> str:
    value = details.get(key, "")
    return value if isinstance(value, str) else str(value)


def read_evidence(
    entries: Sequence[Mapping[str, Any]], operation: str = "", ceremony_id: str = ""
) -> Evidence:
    """The facts in a journal's entries (each a JournalEntry.as_dict()); unknown events ignored."""
    reading = _Reading(operation, ceremony_id)
    for entry in entries:
        details = entry.get("details") or {}
        if not isinstance(details, Mapping):
            continue
        try:
            reading.take(entry.get("event"), str(entry.get("at", "")), details)
        except (TypeError, ValueError, OverflowError):
            continue  # an entry of the wrong shape (a file not as the room wrote it) says nothing
    return reading.evidence()


@dataclass
class _Reading:
    """The facts gathered so far, one journal entry at a time."""

    operation: str
    ceremony_id: str
    people: list[Person] = field(default_factory=list)
    steps: list[StepRun] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    shares: dict[str, ShareMade] = field(default_factory=dict)
    sealed: list[BagSeal] = field(default_factory=list)
    opened: list[BagCheck] = field(default_factory=list)
    checked: list[tuple[str, str, str]] = field(default_factory=list)
    interval: int | None = None
    next_drill: str = ""

    def take(self, event: object, at: str, d: Mapping[str, Any]) -> None:
        if event == "ceremony":
            self.operation = self.operation or _s(d, "operation")
            self.ceremony_id = self.ceremony_id or _s(d, "ceremony_id")
        elif event == "roles":
            self.people = _roles(d)
        elif event == "step":
            self.steps.append(StepRun(int(d.get("number", 0)), _s(d, "title"), _s(d, "who"), at))
        elif event == "deviation":
            step = int(d.get("step", 0))
            self.deviations.append(Deviation(step, _s(d, "kind"), _s(d, "text"), at))
        elif event == "share-made":
            key = _s(d, "share")
            self.shares[key] = ShareMade(key, _s(d, "holder"), _s(d, "check_value"))
        elif event == "bag-sealed":
            self.sealed.append(BagSeal(_s(d, "share"), _s(d, "holder"), _s(d, "serial"), at))
        elif event == "bag-opened":
            self.opened.append(_bag_check(d, at))
        elif event == "share-checked":
            self.checked.append((_s(d, "set_id"), _s(d, "share"), _s(d, "holder")))
        elif event == "drill-interval":
            self.interval = int(d.get("days", 0)) or None
            self.next_drill = _s(d, "next_drill")

    def evidence(self) -> Evidence:
        people = list(self.people)
        named = {p.name for p in people}
        # holders who came to a drill or recovery sign too, a refused bag's holder included
        for holder in [s.holder for s in self.shares.values()] + [b.holder for b in self.opened]:
            if holder not in named:
                named.add(holder)
                people.append(Person(holder, "custodian"))
        return Evidence(
            operation=self.operation,
            ceremony_id=self.ceremony_id,
            people=tuple(people),
            steps=tuple(self.steps),
            deviations=tuple(self.deviations),
            shares=tuple(self.shares.values()),
            bags_sealed=tuple(self.sealed),
            bags_opened=tuple(self.opened),
            shares_checked=tuple(dict.fromkeys(self.checked)),
            drill_interval_days=self.interval,
            next_drill=self.next_drill,
        )


def _roles(d: Mapping[str, Any]) -> list[Person]:
    people = [Person(_s(d, "administrator"), "administrator")]
    people += [Person(str(w), "witness") for w in d.get("witnesses", ())]
    people += [
        Person(str(c[0]), "custodian", str(c[1]) if len(c) > 1 else "")
        for c in d.get("custodians", ())
    ]
    return people


def _bag_check(d: Mapping[str, Any], at: str) -> BagCheck:
    return BagCheck(
        _s(d, "share"),
        _s(d, "holder"),
        _s(d, "serial"),
        _s(d, "expected"),
        d.get("matched") is True,
        at,
    )
