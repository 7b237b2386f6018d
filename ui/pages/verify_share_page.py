"""Verify one share on its own: is it readable, intact, and which set is it from."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.widgets.share_entry import ShareEntry

__all__ = ["VerifySharePage"]


class VerifySharePage(Page):
    title = "Check one share"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.entry = ShareEntry()
        self.entry.changed.connect(self._render)
        self.sheet_fingerprint = QLineEdit()
        self.sheet_fingerprint.setPlaceholderText("XXXX-XXXX-XXXX (optional)")
        self.sheet_fingerprint.setInputMask(">HHHH-HHHH-HHHH;_")
        self.sheet_fingerprint.textChanged.connect(self._render)
        self.details = message_label()
        self.details.setObjectName("shareDetails")
        form = QFormLayout()
        form.addRow("Fingerprint printed on the &sheet", self.sheet_fingerprint)
        self.body.addWidget(
            message_label(
                "Type the share, or read its QR code from a picture. Nothing is kept: this only "
                "checks that the paper is readable and intact."
            )
        )
        self.body.addWidget(self.entry)
        self.body.addLayout(form)
        self.body.addWidget(self.details)
        self.body.addStretch(1)

    def focus_target(self) -> QWidget | None:
        return self.entry.focus_target()

    def _render(self) -> None:
        info = self.entry.info()
        if info is None:
            self.details.setText("")
            return
        lines = [
            f"Format: {'SLIP-39' if info.scheme == 'slip39' else 'CheckTick legacy'}",
            f"Share number: {info.index}",
        ]
        if info.set_id:
            lines.append(f"Set id: {info.set_id} (must match the sheet and the envelope)")
        if info.threshold:
            lines.append(f"Any {info.threshold} shares of this set rebuild the key")
        if info.scheme == "slip39":
            lines.append(f"Words: {info.word_count}; checksum correct")
        else:
            lines.append("Legacy shares carry no checksum: only a recovery drill proves them")
        typed = self.sheet_fingerprint.text()
        if self.sheet_fingerprint.hasAcceptableInput():
            lines.append(
                f"Fingerprint {typed}: a single share cannot rebuild the key, so it cannot show "
                "its fingerprint. Compare this with the ceremony record; a recovery drill "
                "proves it."
            )
        self.details.setText("\n".join(lines))

    def wipe(self) -> None:
        self.entry.clear_secret()
