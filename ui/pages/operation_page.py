"""What the custodians are asked to do, in plain words, with the check words to compare aloud."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QLabel

from ui.context import CeremonyContext, Crossing, Record
from ui.glossary import meanings_in
from ui.pages.base import Page, message_label

__all__ = ["OperationPage"]


def _remaining(expires: datetime) -> str:
    minutes = int((expires - datetime.now(UTC)).total_seconds() // 60)
    if minutes < 0:
        return "expired"
    if minutes < 120:
        return f"{minutes} minutes left"
    return f"{minutes // 60} hours left"


class OperationPage(Page):
    reads = (Crossing,)
    writes = (Record,)
    title = "What you are asked to do"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.operation = message_label()
        big = QFont(self.operation.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        self.operation.setFont(big)
        self.details = message_label()
        self.words = QLabel()
        words_font = QFont("monospace")
        words_font.setPointSizeF(big.pointSizeF() * 1.4)
        words_font.setBold(True)
        self.words.setFont(words_font)
        self.words.setObjectName("checkWords")
        self.words.setWordWrap(True)  # four long words in a big font wrap at 150 %, never scroll
        self.match = QCheckBox(
            "The &Vault operator read out the same four words, in the same order"
        )
        self.match.toggled.connect(self.notify)
        self.body.addWidget(self.operation)
        self.body.addWidget(self.details)
        self.meanings = message_label()  # the glossary's words for what the request says
        self.body.addWidget(self.meanings)
        self.body.addWidget(message_label("Check words:"))
        self.body.addWidget(self.words)
        self.body.addWidget(self.match)
        self.body.addStretch(1)

    def enter(self) -> None:
        request = self.context.request
        if request is None:
            return
        self.operation.setText(request.describe())
        self.meanings.setText(meanings_in(request.describe()))
        expiry = "no expiry"
        if request.expires_at is not None:
            stamp = request.expires_at.strftime("%Y-%m-%d %H:%M UTC")
            expiry = f"{stamp} ({_remaining(request.expires_at)})"
        params = ", ".join(f"{k} {v}" for k, v in request.params.items())
        self.details.setText(
            f"Key version: {request.key_version}\nExpires: {expiry}\n"
            f"Request id: {request.id}" + (f"\nDetails: {params}" if params else "")
        )
        self.words.setText("   ".join(w.upper() for w in request.check_words()))

    def waiting_for(self) -> str:
        request = self.context.request
        if request is None:
            return "There is no request yet: go Back and read the request from the Vault side."
        if request.expired():
            return "This request has expired: ask the Vault operator for a new one."
        return "Tick that the Vault operator read out the same four check words."

    def is_complete(self) -> bool:
        request = self.context.request
        return request is not None and self.match.isChecked() and not request.expired()

    def leave(self) -> bool:
        request = self.context.request
        if request is not None:
            self.context.note(f"Check words of request {request.id}", "matched", "compared aloud")
        return True
