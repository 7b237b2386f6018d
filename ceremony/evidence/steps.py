"""Each ceremony's steps, in order: the one list both the app's step rail and the run sheet use.

A step names what happens and who does it. The app builds its pages from
these keys (ui/wizards), so the run sheet printed before a ceremony numbers
the steps exactly as the rail on screen does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["OPERATIONS", "Operation", "Step", "numbered", "steps_for"]

Operation = Literal["genesis", "recovery", "drill", "reshare", "verify"]
OPERATIONS: Final[tuple[Operation, ...]] = ("genesis", "recovery", "drill", "reshare", "verify")


@dataclass(frozen=True)
class Step:
    key: str  # the page that carries it out (ui/wizards maps keys to pages)
    title: str  # as the step rail shows it
    who: str  # the role that carries it out


_DETAILS = Step("details", "Who is here and what we make", "administrator")
_NEW_DETAILS = Step("details", "The new custodians", "administrator")
_ROLES = Step("roles", "Administrator, witnesses and drills", "administrator")
_ENVIRONMENT = Step("environment", "Check this computer", "administrator")
_SESSION = Step("session", "This room's session code", "administrator")
_REQUEST = Step("request", "The request from the Vault side", "administrator")
_OPERATION = Step("operation", "What you are asked to do", "custodians")
_ENTROPY = Step("entropy", "Add your own randomness (optional)", "custodians")
_SUMMARY = Step("summary", "Check everything before the key is made", "witness")
_GENERATE = Step("generate", "Make the key and the shares", "administrator")
_PRINT = Step("print-sheets", "Print each custodian's share sheet", "each custodian")
_READ_BACK = Step("verify-shares", "Read every sheet back", "each custodian")
_SEAL_BAGS = Step("seal-bags", "Each sheet into its numbered bag", "each custodian")
_EXPECTED_BAGS = Step("expected-bags", "The bags the last record lists", "witness")
_COLLECT = Step("collect", "Each custodian enters a share", "each custodian")
_COLLECT_OLD = Step("collect", "Each custodian enters an old share", "each custodian")
_FINGERPRINT = Step("fingerprint", "Check the key's fingerprint", "witness")
_REVIEW = Step("review", "Check what will be released", "custodians")
_CONFIRM = Step("confirm", "Custodians confirm", "custodians")
_RESEAL = Step("seal-bags", "Each sheet into a new bag", "each custodian")
_BUNDLE = Step("bundle", "Seal the answer for Vault", "administrator")
_RECORD = Step("record", "Print the ceremony record", "administrator")
_CHECK_ONE = Step("verify-share", "Check one share", "custodian")
_DONE = Step("done", "Done", "witness")

_STEPS: Final[dict[Operation, tuple[Step, ...]]] = {
    "genesis": (
        _DETAILS, _ROLES, _ENVIRONMENT, _REQUEST, _OPERATION, _ENTROPY, _SUMMARY, _GENERATE,
        _PRINT, _READ_BACK, _SEAL_BAGS, _BUNDLE, _RECORD, _DONE,
    ),
    "recovery": (
        _ENVIRONMENT, _ROLES, _SESSION, _REQUEST, _OPERATION, _EXPECTED_BAGS, _COLLECT,
        _FINGERPRINT, _REVIEW, _CONFIRM, _BUNDLE, _RECORD, _DONE,
    ),
    "drill": (
        _ENVIRONMENT, _ROLES, _REQUEST, _OPERATION, _EXPECTED_BAGS, _COLLECT, _FINGERPRINT,
        _REVIEW, _CONFIRM, _RESEAL, _BUNDLE, _RECORD, _DONE,
    ),
    "reshare": (
        _NEW_DETAILS, _ROLES, _ENVIRONMENT, _COLLECT_OLD, _FINGERPRINT, _SUMMARY, _GENERATE,
        _PRINT, _READ_BACK, _SEAL_BAGS, _RECORD, _DONE,
    ),
    "verify": (_ENVIRONMENT, _CHECK_ONE, _RECORD, _DONE),
}  # fmt: skip


def steps_for(operation: Operation) -> tuple[Step, ...]:
    return _STEPS[operation]


def numbered(operation: Operation) -> list[tuple[int, Step]]:
    """(rail number, step): the numbers the app shows as "Step k of m"."""
    return list(enumerate(_STEPS[operation], start=1))
