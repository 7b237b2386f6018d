"""Shares one custodian at a time into the core's RecoverySession; the page shows what it says.

A refused share is cleared from the field and explained right under it; the
shares already accepted stay in the session.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPushButton

from ceremony.session import RecoverySession
from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.widgets.share_entry import ShareEntry

__all__ = ["CollectSharesPage"]


class CollectSharesPage(Page):
    title = "Each custodian enters a share"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        if context.kind == "reshare":
            self.title = "Each custodian enters an old share"
        self.progress = message_label()
        self.progress.setObjectName("sessionProgress")
        font = QFont(self.progress.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.progress.setFont(font)
        self.turn = message_label()
        self.entry = ShareEntry()
        self.entry.privacy.setChecked(True)
        self.entry.submitted.connect(self.add_share)
        self.add_button = QPushButton("&Add this share")
        self.add_button.clicked.connect(self.add_share)
        self.message = message_label()
        self.message.setObjectName("sessionMessage")
        self.body.addWidget(self.progress)
        self.body.addWidget(self.turn)
        self.body.addWidget(self.entry)
        self.body.addWidget(self.add_button)
        self.body.addWidget(self.message)
        self.body.addStretch(1)

    @property
    def session(self) -> RecoverySession:
        if self.context.session is None:
            self.context.session = RecoverySession()
        return self.context.session

    def enter(self) -> None:
        self._render()

    def _render(self) -> None:
        state = self.session.state()
        entered = len(state.indices)
        if state.threshold:
            self.progress.setText(f"{entered} of {state.threshold} shares entered")
        else:
            self.progress.setText(self.session.progress_text())
        if state.complete:
            self.turn.setText("Enough shares are in. Press Next.")
        else:
            self.turn.setText(
                f"Custodian {entered + 1}: step up and enter your share. Others, look away. "
                "Tick 'Hide what I type' off only if nobody else can see the screen."
            )
        self.entry.setEnabled(not state.complete)
        self.add_button.setEnabled(not state.complete)
        self.completeChanged.emit()

    def add_share(self) -> None:
        text = self.entry.text()
        if not text.strip():
            return
        outcome = self.session.add(text)
        self.entry.clear_secret()
        colour = "#1b5e20" if outcome.accepted else "#b3261e"
        self.message.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.message.setText(outcome.message)  # the core's words, closest words included
        if outcome.accepted:
            self.context.log(f"Share {outcome.index} accepted.")
        else:
            self.context.log(f"A share was refused ({outcome.code}).")
        self._render()
        self.entry.field.setFocus()

    def is_complete(self) -> bool:
        return self.session.state().complete

    def wipe(self) -> None:
        self.entry.clear_secret()
