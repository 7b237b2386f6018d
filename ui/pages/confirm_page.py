"""Every custodian who gave a share confirms the operation, by name."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QWidget

from ui.context import CeremonyContext, Crossing, Details, Record
from ui.pages.base import Page
from ui.style import BAD
from ui.widgets.name_guard import guard_fields
from ui.widgets.status_line import status_label

__all__ = ["ConfirmPage"]


class ConfirmPage(Page):
    reads = (Crossing,)
    writes = (Details, Record)
    title = "Custodians confirm"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.what = status_label()
        self.form_box = QWidget()
        self.form = QFormLayout(self.form_box)
        self.witness = QLineEdit()
        self.witness.textChanged.connect(self.notify)
        self.organisation = QLineEdit(context.organisation)
        self.organisation.setPlaceholderText("Printed at the top of the ceremony record")
        self.rows: list[tuple[QLineEdit, QCheckBox]] = []
        self.problem = status_label()
        self.problem.setObjectName("confirmProblem")
        self.problem.setStyleSheet(f"color: {BAD}; font-weight: bold;")
        self.guards = guard_fields(
            self.problem, {"Witness": self.witness, "Organisation": self.organisation}
        )
        self.body.addWidget(self.what)
        self.body.addWidget(self.form_box)
        self.body.addWidget(self.problem)
        self.body.addStretch(1)

    def enter(self) -> None:
        request = self.context.request
        self.what.setText(
            "Each custodian who entered a share types their name and confirms: "
            + (request.describe() if request is not None else "")
        )
        if not self.witness.text().strip():
            self.witness.setText(self.context.witness)  # named before any share was entered
        if self.rows:
            return
        for index in self.context.used_indices:
            known = self.context.share_holders.get(index, "")
            name = QLineEdit(known)
            name.setPlaceholderText("Your name")
            tick = QCheckBox("I &agree" if not self.rows else "I agree")
            name.textChanged.connect(self.notify)
            tick.toggled.connect(self.notify)
            self.guards += guard_fields(self.problem, {"Your name": name})
            self.form.addRow(f"{known or 'Holder'} (share {index})", name)
            self.form.addRow("", tick)
            self.rows.append((name, tick))
        self.form.addRow("&Witness", self.witness)
        self.form.addRow("&Organisation", self.organisation)

    def waiting_for(self) -> str:
        refused = self.problem.text()
        unnamed = sum(1 for name, _ in self.rows if not name.text().strip())
        if unnamed:
            some = "a custodian's name is" if unnamed == 1 else f"{unnamed} custodians' names are"
            return f"{refused} Still to type: {some} missing.".strip()
        unticked = [name.text().strip() for name, tick in self.rows if not tick.isChecked()]
        if unticked:
            return f"Still to tick 'I agree': {', '.join(unticked)}."
        if not self.witness.text().strip():
            return f"{refused} Type the witness's name.".strip()
        return "No custodian entered a share."

    def is_complete(self) -> bool:
        rows_ok = all(name.text().strip() and tick.isChecked() for name, tick in self.rows)
        return bool(self.rows) and rows_ok and bool(self.witness.text().strip())

    def leave(self) -> bool:
        c = self.context
        names = [name.text().strip() for name, _ in self.rows]
        c.share_holders = dict(zip(c.used_indices, names, strict=True))
        c.witness = self.witness.text().strip()
        c.organisation = self.organisation.text().strip()
        return True
