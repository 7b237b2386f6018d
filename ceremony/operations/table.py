"""The operation table: what each operation means in the room, written once.

Each operation the Vault side can ask for is one module with one
:class:`RoomOperation` (``install``, ``verify``, ``recover_escrow``, ``adopt``).
It says how a request is opened and what refuses it, what the quorum reviews,
what the approval is, what is sealed, and what leaves the room in the words
shown on screen and printed. The desktop app and ``ceremony authorize`` call
these and add only their own presentation; adding an operation means one new
module here, one line in ``_MODULES``, and its pages.

Every check that needs no secret is in :func:`refusal`, so a room can make it
on the page where a parameter is entered, before any share is typed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol

from ceremony.errors import GapError
from ceremony.gap.operations import OPERATIONS, SESSION_OPERATIONS, Operation
from ceremony.gap.wire import stamp, utc
from ceremony.shown import shown

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ceremony.gap import Bundle, Request
    from ceremony.operations.escrow import Progress
    from ceremony.secret import Secret

__all__ = [
    "FIXED_BY_REQUEST",
    "Review",
    "Room",
    "RoomOperation",
    "RoomRefused",
    "Row",
    "operation",
    "refusal",
    "refuse",
]

_MODULES: Final[dict[Operation, str]] = {
    "install": "ceremony.operations.install",
    "verify": "ceremony.operations.verify",
    "recover-escrow": "ceremony.operations.recover_escrow",
    "adopt": "ceremony.operations.adopt",
}

# What a request fixes that the room compares before any secret exists (see `refusal`).
FIXED_BY_REQUEST: Final = (
    "operation",
    "rehearsal",
    "key version",
    "expiry",
    "session code",
    "registration",
)


class Row(NamedTuple):
    """One thing the quorum compares: a name for scripts, the words on screen, the value."""

    key: str
    label: str
    value: str


class RoomRefused(GapError):
    """The room will not answer this request; the message says why and what to do."""


@dataclass(frozen=True)
class Room:
    """What the room knows before any secret exists: its mode and what was typed in it."""

    rehearsal: bool
    answers: tuple[Operation, ...] = OPERATIONS  # what this ceremony was started to answer
    key_version: str = ""  # typed by the custodians (genesis); "" when the request's is taken
    session_public_key: bytes | None = None  # the room's session code (recover-escrow, adopt)
    # A rehearsal's practice Vault registers the key only once the shares are in: its first
    # request names no registration yet, so the operation's own checks wait for the real one.
    practice_vault: bool = False


@dataclass
class Review:
    """What the quorum checks before anything is sealed, the same on screen and on a terminal.

    ``secret`` is what the approval releases (a KEK); wipe the review if they refuse.
    """

    operation: Operation
    request_id: str
    summary: str  # the sentence above the rows
    rows: tuple[Row, ...]  # what the quorum compares
    approval: str  # what the quorum says yes to
    fingerprints: dict[str, str]
    secret: Secret | None = field(default=None, repr=False)
    facts: dict[str, str] = field(default_factory=dict)  # what the seal needs (e.g. user)

    def digest(self) -> str:
        """A name for exactly this review, so a scripted run says what it approves."""
        text = json.dumps(
            [
                self.operation,
                self.request_id,
                self.summary,
                [list(r) for r in self.rows],
                self.approval,
            ],
            ensure_ascii=True,
        )
        # 128 bits: the Vault side chooses what is reviewed, so a shorter name could be
        # matched by a second review found by a birthday search.
        raw = hashlib.sha256(text.encode()).hexdigest()[:32].upper()
        return "-".join(raw[i : i + 4] for i in range(0, 32, 4))

    def text(self) -> str:
        """The review as a terminal shows it."""
        width = max(len(row.label) for row in self.rows) + 2
        lines = [self.summary, ""]
        # Values come from the Vault side (an escrowed e-mail, a user name): shown inert.
        lines += [f"  {row.label + ':':<{width}}{shown(row.value)}" for row in self.rows]
        return "\n".join([*lines, "", f"Approval: {self.approval}"])

    def values(self) -> dict[str, str]:
        """The rows by their names, for a machine-readable summary."""
        return {row.key: row.value for row in self.rows}

    def wipe(self) -> None:
        if self.secret is not None:
            self.secret.wipe()


class RoomOperation(Protocol):
    """One operation's rules in the room."""

    name: Operation
    title: str  # what the request asks, in the glossary's words ("a recovery drill")
    leaves_the_room: str  # what the sealed answer holds, shown on screen and printed
    sealed: str  # the payload's fields, for the protocol description

    def refusal(self, request: Request) -> RoomRefused | None:
        """This operation's own checks that need no secret (e.g. a registration is required)."""
        ...

    def review(
        self,
        request: Request,
        custodian: Secret,
        session_key: Secret | None,
        progress: Progress | None = None,
    ) -> Review:
        """Check the rebuilt key in the room and say what the quorum is asked to approve."""
        ...

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
        """Seal only what the approved review releases.

        ``evidence``: the fields that name the signed transcript written beside the answer
        (``ceremony.evidence.bundle_fields``), added to the payload.
        """
        ...


def operation(name: Operation) -> RoomOperation:
    """The rules of ``name`` (imported on first use: the app starts without them)."""
    rules: RoomOperation = import_module(_MODULES[name]).RULES
    return rules


def refusal(request: Request, room: Room, now: datetime | None = None) -> RoomRefused | None:
    """Why this room cannot answer ``request``, or None; needs no secret, so ask it early."""
    rules = operation(request.operation)
    wanted = " or ".join(operation(o).title for o in room.answers)
    if request.operation not in room.answers:
        return RoomRefused(
            f"This request is for {rules.title}, but this ceremony answers {wanted}. "
            "Ask for the right request.",
            code="operation",
        )
    if request.rehearsal and not room.rehearsal:
        return RoomRefused(
            "This request comes from a practice Vault, and this is a real ceremony: the "
            "production shares never answer it. Answer it in a rehearsal.",
            code="rehearsal",
        )
    if room.rehearsal and not request.rehearsal:
        return RoomRefused(
            "This request comes from a production Vault, and this is a rehearsal: it is "
            "refused unopened. Answer it in a real ceremony on the air-gapped laptop.",
            code="rehearsal",
        )
    if room.key_version and room.key_version != request.key_version:
        return RoomRefused(
            f"The request is for key version {request.key_version!r} but this ceremony's key "
            f"version is {room.key_version!r}. Use the same label on both sides: correct "
            "this ceremony's key version, or ask the Vault side for a request for it.",
            code="key-version",
        )
    moment = utc(now)
    if request.expired(moment):
        return RoomRefused(
            f"This request expired at {stamp(request.expires_at)} (this computer says "
            f"{stamp(moment)}). Ask for a new request.",
            code="expired",
        )
    if request.operation in SESSION_OPERATIONS and (
        request.sealed is None
        or room.session_public_key is None
        or request.sealed.session_public_key != room.session_public_key
    ):
        return RoomRefused(
            "This request was sealed to another session code: ask the Vault side to make it "
            "again with the code this room showed at the start.",
            code="session",
        )
    return None if room.practice_vault else rules.refusal(request)


def refuse(request: Request, room: Room, now: datetime | None = None) -> None:
    """Raise :func:`refusal`'s answer, if any."""
    refused = refusal(request, room, now)
    if refused is not None:
        raise refused
