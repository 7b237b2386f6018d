"""The room's session key: the code the Vault side seals the vault component to.

recover-escrow and adopt take three crossings. This page makes a fresh key
for this ceremony only (never derived from the shares) and shows its public
half as a QR code, a typed code and check words. The private half stays in
memory and is wiped when the ceremony ends.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from ui.context import CeremonyContext, Crossing, Secrets
from ui.pages.base import Page, message_label
from ui.widgets.qr_view import QrView

__all__ = ["SessionPage"]


class SessionPage(Page):
    reads = ()
    writes = (Secrets, Crossing)
    title = "This room's session code"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.body.addWidget(
            message_label(
                "For an individual recovery or for adopting an existing key, "
                "the Vault side needs this code first: it seals what the room needs to a key "
                "that exists only in this laptop's memory, for this ceremony. Let the Vault "
                "operator scan the QR code, or read the typed code to them. For a drill it "
                "is not needed: just go on."
            )
        )
        self.qr = QrView(minimum=240)
        self.code = QLabel()
        self.code.setObjectName("sessionCode")
        self.code.setWordWrap(True)
        mono = QFont("monospace")
        mono.setPointSizeF(mono.pointSizeF() * 1.2)
        self.code.setFont(mono)
        self.words = QLabel()
        self.words.setObjectName("sessionWords")
        self.words.setWordWrap(True)  # four long words in a big font wrap at 150 %, never scroll
        bold = QFont(mono)
        bold.setBold(True)
        self.words.setFont(bold)
        self.body.addWidget(self.qr, 1)
        self.body.addWidget(message_label("Typed code:"))
        self.body.addWidget(self.code)
        self.body.addWidget(message_label("Check words (the Vault side shows the same four):"))
        self.body.addWidget(self.words)

    def enter(self) -> None:
        from ceremony import gap  # the protocol loads when a ceremony first needs it

        if self.context.session_key is None or self.context.session_key.wiped:
            made, private = gap.new_session()
            self.context.session_key = private
            self.context.session_code = made
        shown = self.context.session_code
        if shown is not None:
            self.qr.set_text(shown.qr_payload())
            self.code.setText(shown.typed_code())
            self.words.setText("   ".join(w.upper() for w in shown.check_words()))
