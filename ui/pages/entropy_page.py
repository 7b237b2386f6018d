"""Optional entropy from custodians: dice rolls or any text, mixed into the new key."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton

from ceremony.secret import Secret
from ui.context import CeremonyContext, Details, Record, Secrets
from ui.pages.base import Page, message_label

__all__ = ["EntropyPage"]


class EntropyPage(Page):
    reads = (Details,)
    writes = (Secrets, Record)
    title = "Add your own randomness (optional)"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.who = QComboBox()
        self.field = QLineEdit()
        self.field.setAccessibleName("Dice rolls or other random text (hidden)")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("Dice rolls or any text; it stays hidden")
        self.field.returnPressed.connect(self.add)
        self.field.setProperty("takesEnter", True)  # Enter adds; Next is a separate press
        self.add_button = QPushButton("&Add")
        self.add_button.clicked.connect(self.add)
        self.given = message_label(
            "No contribution yet. That is fine: the computer's own randomness is enough."
        )
        row = QHBoxLayout()
        row.addWidget(self.who)
        row.addWidget(self.field, 1)
        row.addWidget(self.add_button)
        self.body.addWidget(
            message_label(
                "Custodians who do not want to rely on this computer alone can each type dice "
                "rolls or any text. It is mixed in: it can only add randomness, never remove it."
            )
        )
        self.body.addLayout(row)
        self.body.addWidget(self.given)
        self.body.addStretch(1)

    def enter(self) -> None:
        self.who.clear()
        for custodian in self.context.custodians:
            self.who.addItem(custodian.name)
        self._names: list[str] = []

    def add(self) -> None:
        text = self.field.text()
        if not text:
            return
        self.context.contributions.append(Secret(text.encode("utf-8"), "contribution"))
        self.field.setText("")  # not clear(): that one can be undone
        self._names.append(self.who.currentText())
        self.given.setText(f"Contributions so far: {', '.join(self._names)}.")

    def leave(self) -> bool:
        if self.context.contributions:
            count = len(self.context.contributions)
            self.context.note("Entropy from custodians", "mixed in", f"{count} contribution(s)")
        return True

    def wipe(self) -> None:
        self.field.setText("")  # not clear(): that one can be undone
