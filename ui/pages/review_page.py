"""What the quorum is about to release, computed in the room before anything is sealed.

After the shares are in, the room checks the rebuilt key against what Vault
registered and, for an individual recovery, opens the escrow itself
(CheckTick's three PBKDF2 chains run in a worker, with progress) to show whose
data it is: user, survey, the escrowed e-mail and the ticket. Nothing can be
sealed until the custodians say the details are right. A refusal (another
key, a forged request, an escrow of someone else) stops here, in plain words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QWidget

from ceremony.shown import shown
from ui.context import CeremonyContext, Crossing, Record, Secrets
from ui.pages.base import Page
from ui.widgets.status_line import status_label
from ui.workers import Task, run_task

if TYPE_CHECKING:
    from ceremony.gap import Request
    from ceremony.operations.table import Review

__all__ = ["ReviewPage"]


class ReviewPage(Page):
    reads = ()
    writes = (Secrets, Crossing, Record)
    title = "Check what will be released"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.status = status_label()
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
        from ui.sealing import review_in_the_room

        self._task = run_task(
            lambda progress: review_in_the_room(context, progress),
            self._reviewed,
            self._refused,
            self.status.setText,
        )
        self.completeChanged.emit()

    def _row(self, label: str, value: str) -> None:
        # The value may come from the Vault side (an escrowed e-mail): never read as rich
        # text, and control characters shown as escapes.
        cell = QLabel(shown(value))
        cell.setTextFormat(Qt.TextFormat.PlainText)
        cell.setObjectName(f"review-{label.lower().replace(' ', '-')}")
        cell.setWordWrap(True)
        self.details.addRow(label, cell)

    def _reviewed(self, result: tuple[Request, Review]) -> None:
        self._task = None
        self.context.request, review = result
        self.context.review = review
        self.status.setText(review.summary)
        for row in review.rows:
            self._row(row.label, row.value)
        self.approve.setText(review.approval)
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

    def busy_text(self) -> str:
        return "Checking the rebuilt key against the request… wait a moment."

    def waiting_for(self) -> str:
        if self.context.review is None:
            return "Nothing can be released (the reason is above): cancel this ceremony."
        return "Tick the box above once the custodians agree that every detail is right."

    def is_complete(self) -> bool:
        return self.context.review is not None and self.approve.isChecked()

    def leave(self) -> bool:
        self.context.note("Release checked against the request", "approved", self.approve.text())
        return True
