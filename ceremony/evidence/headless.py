"""Evidence for ceremonies run from the command line (`ceremony genesis`, `ceremony drill`).

A headless ceremony follows the same numbered steps as the app where it can;
the steps it cannot take (custodians re-entering their sheets) are journalled
as deviations, so the record and the transcript say so plainly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ceremony.errors import CeremonyError
from ceremony.evidence.check_value import check_value
from ceremony.evidence.log import EvidenceLog, check_bag_serial
from ceremony.evidence.steps import Operation, steps_for

__all__ = [
    "answer_approved",
    "answer_kind",
    "done_steps",
    "parse_pairs",
    "record_genesis_evidence",
    "share_entered",
    "start_answer_log",
]

_PAIR = re.compile(r"\s*([0-9]+|group\s+[0-9]+\s+member\s+[0-9]+)\s*=\s*(.+?)\s*")


def parse_pairs(values: Sequence[str], flag: str, what: str) -> dict[str, str]:
    """``--bag 1=TE-100201`` style options -> {share: value}; one clear line when malformed."""
    out: dict[str, str] = {}
    for value in values:
        match = _PAIR.fullmatch(value)
        if match is None:
            raise CeremonyError(f"{flag} {value!r}: give the share number, '=', then the {what}.")
        share = " ".join(match.group(1).split()).lower()
        if share in out:
            raise CeremonyError(f"{flag}: share {share} is given twice.")
        out[share] = match.group(2)
    return out


def done_steps(log: EvidenceLog, operation: Operation, keys: Sequence[str]) -> None:
    """Mark the steps with these keys done, in the rail's order."""
    for number, step in enumerate(steps_for(operation), start=1):
        if step.key in keys:
            log.at_step(number)
            log.step_done(number)


def _number(operation: Operation, key: str) -> int:
    return next(n for n, s in enumerate(steps_for(operation), start=1) if s.key == key)


def record_genesis_evidence(
    log: EvidenceLog,
    *,
    administrator: str,
    witnesses: Sequence[str],
    custodians: Sequence[tuple[str, str]],
    shares: Sequence[str],
    bags: dict[str, str],
    drill_interval_days: int,
    today: date,
) -> None:
    """Roles, check values, bags and the drill interval of a genesis run without the app."""
    log.at_step(_number("genesis", "roles"))
    log.roles(administrator, witnesses, custodians)
    log.drill_interval(drill_interval_days, today)
    done_steps(log, "genesis", ("details", "roles", "environment", "request", "generate"))
    names = [name for name, _ in custodians]
    if bags and set(bags) != {str(i) for i in range(1, len(shares) + 1)}:
        raise CeremonyError(f"Give one --bag for every share, 1 to {len(shares)}.")
    for serial in bags.values():
        check_bag_serial(serial)
    log.at_step(_number("genesis", "print-sheets"))
    log.step_done(_number("genesis", "print-sheets"))
    log.at_step(_number("genesis", "verify-shares"))
    log.deviation(
        "skipped",
        "Headless genesis: the custodians did not read their sheets back; verify each "
        "with `ceremony inspect-share` (its check value) or the desktop app.",
    )
    log.at_step(_number("genesis", "seal-bags"))
    for i, (name, share) in enumerate(zip(names, shares, strict=True), start=1):
        log.share_made(str(i), name, check_value(share))
        if bags:
            log.bag_sealed(str(i), name, bags[str(i)])
    if bags:
        log.step_done(_number("genesis", "seal-bags"))
    else:
        log.deviation("no-bags", "No bag serials were given (--bag): no sheet is in a bag.")
    log.at_step(_number("genesis", "bundle"))


def answer_kind(request_operation: str) -> Operation:
    """The run sheet a headless answer follows: a drill for verify, else a recovery."""
    return "drill" if request_operation == "verify" else "recovery"


def start_answer_log(
    request_operation: str, ceremony_id: str, administrator: str, witnesses: Sequence[str]
) -> EvidenceLog:
    """`ceremony authorize`'s journal up to the shares: roles, the steps before, no bags."""
    kind = answer_kind(request_operation)
    log = EvidenceLog(kind, ceremony_id)
    log.at_step(_number(kind, "roles"))
    log.roles(administrator, witnesses, [])
    done_steps(log, kind, ("environment", "roles", "session", "request", "operation"))
    log.at_step(_number(kind, "expected-bags"))
    log.deviation(
        "skipped",
        "Headless authorize checks no bag serials: the bags opened were not compared with "
        "the record (use `ceremony drill` or the desktop app for that).",
    )
    log.at_step(_number(kind, "collect"))
    return log


def share_entered(log: EvidenceLog, text: str) -> None:
    """A share the quorum entered: its check value, and that it was checked."""
    from ceremony.evidence.check_value import share_key
    from ceremony.shares import inspect

    key = share_key(text)
    holder = f"holder of share {key}"
    log.share_made(key, holder, check_value(text))
    log.share_checked(inspect(text).set_id or "legacy", key, holder)


def answer_approved(log: EvidenceLog) -> None:
    """The shares rebuilt the registered key and a person approved the review: seal next."""
    kind = log.operation
    done_steps(log, kind, ("collect", "fingerprint", "review", "confirm"))
    if kind == "drill":
        log.at_step(_number(kind, "seal-bags"))
        log.deviation("no-bags", "Headless authorize records no new bags for the sheets.")
    log.at_step(_number(kind, "bundle"))
