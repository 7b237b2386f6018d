"""What the quorum is about to release, computed in the room before anything is sealed.

After the shares are in, the room checks the rebuilt key against what Vault
registered and, for an individual recovery, opens the escrow itself
(CheckTick's three PBKDF2 chains run in a worker, with progress) to show whose
data it is: user, survey, the escrowed e-mail and the ticket. Nothing can be
sealed until the custodians say the details are right. A refusal (another
key, a forged request, an escrow of someone else) stops here, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QWidget

from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.workers import Task, run_task

if TYPE_CHECKING:
    from ceremony.gap import Request
    from ceremony.operations.authorize import AdoptReview, EscrowReview

__all__ = ["ReviewPage", "VerifyReview", "review_in_the_room"]


@dataclass(frozen=True)
class VerifyReview:
    """A drill: what the custodians compare with the printed ceremony record."""

    custodian_fingerprint: str
    export_key_check: str


def review_in_the_room(
    context: CeremonyContext, progress: Any
) -> tuple[Request, EscrowReview | AdoptReview | VerifyReview]:
    """The request to answer and the core's review of it; runs in a worker, so it only reads
    ``context`` (the page stores both on the GUI thread). In a rehearsal the practice Vault
    makes the request for the rebuilt key."""
    from ceremony import keys
    from ceremony.operations.authorize import (
        check_registration,
        review_adopt,
        review_recover_escrow,
    )

    component = context.component
    if component is None or context.request is None:
        raise ValueError("the review needs the rebuilt key and the request")
    request = context.request
    if context.practice is not None:  # rehearsal: the practice Vault answers these shares
        request = context.practice.request(context.session_code, component)
    if request.operation == "verify":
        check_registration(request, component)
        return request, VerifyReview(
            keys.fingerprint(component, "custodian"), keys.export_key_check_of(component)
        )
    if context.session_key is None:
        raise ValueError("this ceremony has no session key")

    def step(done: int, total: int, what: str) -> None:
        progress(f"{what[:1].upper()}{what[1:]}… {100 * done // max(total, 1)}%")

    if request.operation == "recover-escrow":
        return request, review_recover_escrow(request, context.session_key, component, step)
    return request, review_adopt(request, context.session_key, component)


class ReviewPage(Page):
    title = "Check what will be released"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.status = message_label()
        self.status.setObjectName("reviewStatus")
        self.details_box = QWidget()
        self.details = QFormLayout(self.details_box)
        self.approve = QCheckBox()
        self.approve.setObjectName("reviewApprove")
        self.approve.setVisible(False)
        self.approve.toggled.connect(self.notify)
        self.body.addWidget(self.status)
        self.body.addWidget(self.details_box)
        self.body.addWidget(self.approve)
        self.body.addStretch(1)

    def enter(self) -> None:
        if self.context.review is not None or self._task is not None:
            return
        self.status.setText("Checking the rebuilt key against the request…")
        context = self.context
        self._task = run_task(
            lambda progress: review_in_the_room(context, progress),
            self._reviewed,
            self._refused,
            self.status.setText,
        )
        self.completeChanged.emit()

    def _row(self, label: str, value: str) -> None:
        shown = QLabel(value)
        shown.setObjectName(f"review-{label.lower().replace(' ', '-')}")
        shown.setWordWrap(True)
        self.details.addRow(label, shown)

    def _reviewed(self, result: tuple[Request, EscrowReview | AdoptReview | VerifyReview]) -> None:
        from ceremony.operations.authorize import AdoptReview, EscrowReview

        self._task = None
        self.context.request, review = result
        self.context.review = review
        if isinstance(review, VerifyReview):
            self.status.setText(
                "The shares rebuilt the registered key. Compare both with the ceremony record:"
            )
            self._row("Custodian fingerprint", review.custodian_fingerprint)
            self._row("Export key check", review.export_key_check)
            self.approve.setText("Both match the printed ceremony record")
        elif isinstance(review, EscrowReview):
            self.status.setText(
                "The survey's recovery copy opened in this room. Releasing it gives the Vault "
                "side this one survey's key, nothing else. Check that this is the person and "
                "the ticket you were asked about:"
            )
            self._row("User", review.user)
            self._row("Survey", review.survey)
            self._row("E-mail in the recovery copy", review.email)
            self._row("Ticket", review.ticket or "none given")
            self._row("Platform fingerprint", review.fingerprints["platform"])
            self.approve.setText("We checked the e-mail and the ticket: release this one key")
        elif isinstance(review, AdoptReview):
            self.status.setText(
                "A recovery copy's e-mail opened with these shares and this Vault's half: they "
                "belong together."
                if review.proven
                else "This Vault holds no recovery copy yet, so nothing proves these shares "
                "belong to it. Compare the platform fingerprint with CheckTick's own records first."
            )
            for label in ("custodian", "vault", "platform"):
                self._row(f"{label.title()} fingerprint", review.fingerprints[label])
            if review.proven:
                self._row("E-mail in the recovery copy", review.email)
            self.approve.setText("Register these fingerprints and this export key in Vault")
        self.approve.setVisible(True)
        self.approve.setFocus()
        self.completeChanged.emit()

    def _refused(self, message: str) -> None:
        self._task = None
        self.status.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.status.setText(f"{message} Nothing can be sealed; cancel this ceremony.")
        self.completeChanged.emit()

    def busy(self) -> bool:
        return self._task is not None

    def is_complete(self) -> bool:
        return self.context.review is not None and self.approve.isChecked()

    def leave(self) -> bool:
        self.context.note("Release checked against the request", "approved", self.approve.text())
        return True
