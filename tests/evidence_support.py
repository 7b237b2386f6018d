"""A rehearsal genesis with its evidence log, for the evidence tests (no Qt, no Vault)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from ceremony.evidence.check_value import check_value
from ceremony.evidence.log import EvidenceLog
from ceremony.evidence.steps import steps_for
from ceremony.operations.genesis import GenesisKeys, GenesisPlan, generate

START = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
CUSTODIANS = ("Ann Lee", "Ben Ode", "Cat Silva")
BAGS = ("TE-100201", "TE-100202", "TE-100203")


def ticking_clock(start: datetime = START) -> Iterator[datetime]:
    moment = start
    while True:
        yield moment
        moment += timedelta(minutes=3)


def rehearsed_genesis() -> tuple[GenesisKeys, EvidenceLog]:
    """A genesis run through every step, with roles, check values, bags and a drill interval."""
    plan = GenesisPlan(
        organisation="Example Org",
        key_version="2026-1",
        custodians=CUSTODIANS,
        titles=("CFO", "CTO", "Counsel"),
        threshold=2,
        witness="Wendy Ng",
        rehearsal=True,
    )
    keys = generate(plan, now=lambda: START, ceremony_id="REHEARSAL-20260314-0900-AB12")
    clock = ticking_clock()
    log = EvidenceLog("genesis", keys.ceremony_id, clock=lambda: next(clock))
    steps = steps_for("genesis")
    for number, step in enumerate(steps, start=1):
        log.at_step(number)
        if step.key == "roles":
            log.roles(
                "Ada Admin",
                ["Wendy Ng", "Walt Ito"],
                list(zip(CUSTODIANS, plan.titles, strict=True)),
            )
            log.drill_interval(182, date(2026, 3, 14))
        if step.key == "print-sheets":
            log.deviation("reprint", "Sheet of Ben Ode (share 2): 1 reprint")
        if step.key == "seal-bags":
            for i, (name, share) in enumerate(zip(CUSTODIANS, keys.shares, strict=True), 1):
                log.share_made(str(i), name, check_value(share))
                log.bag_sealed(str(i), name, BAGS[i - 1])
        if step.key == "bundle":
            break  # the transcript is signed as the answer is sealed
        log.step_done(number)
    return keys, log
