"""Who runs and who witnesses the ceremony, asked before the first secret exists.

The administrator reads the run sheet; at least one witness watches every
step; both sign the record beside the custodians. Ceremonies that leave shares
with custodians (genesis, re-share, drill) also fix how often drills fall due.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QFormLayout, QLineEdit, QPlainTextEdit, QSpinBox

from ceremony.errors import CeremonyError
from ceremony.evidence.log import DEFAULT_DRILL_DAYS, MAX_DRILL_DAYS, next_drill_date
from ui.context import CeremonyContext, Details, Record, Run
from ui.pages.base import Page, message_label

__all__ = ["RolesPage"]

DRILL_KINDS = ("genesis", "reshare", "drill")


def _names(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class RolesPage(Page):
    reads = (Run,)
    writes = (Details, Record)
    title = "Administrator, witnesses and drills"
    allow_back = True

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.administrator = QLineEdit(context.administrator)
        self.administrator.setAccessibleName("Ceremony administrator")
        self.administrator.setPlaceholderText("Reads the run sheet aloud, step by step")
        self.witnesses = QPlainTextEdit()
        self.witnesses.setObjectName("witnesses")
        self.witnesses.setAccessibleName("Witnesses, one a line")
        self.witnesses.setTabChangesFocus(True)
        self.witnesses.setPlaceholderText("One witness a line (at least one)")
        self.witnesses.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.interval = QSpinBox()
        self.interval.setRange(30, MAX_DRILL_DAYS)
        self.interval.setSuffix(" days")
        self.interval.setValue(context.drill_interval_days or DEFAULT_DRILL_DAYS)
        self.interval.setAccessibleName("Days between recovery drills")
        self.next_drill = message_label()
        self.next_drill.setObjectName("nextDrill")
        self.problem = message_label()
        self.problem.setStyleSheet("color: #b3261e; font-weight: bold;")
        form = QFormLayout()
        form.addRow("&Administrator", self.administrator)
        form.addRow("&Witnesses", self.witnesses)
        self.drills = context.kind in DRILL_KINDS
        if self.drills:
            form.addRow("A recovery &drill every", self.interval)
            form.addRow("", self.next_drill)
        self.body.addWidget(
            message_label(
                "Name the ceremony's administrator and its witnesses before any secret is made. "
                "The record prints a line for each to sign, with the time; the witnesses "
                "initial every step of the run sheet (`ceremony script`)."
            )
        )
        self.body.addLayout(form)
        self.body.addWidget(self.problem)
        self.body.addStretch(1)
        self.administrator.textChanged.connect(self._changed)
        self.witnesses.textChanged.connect(self._changed)
        self.interval.valueChanged.connect(self._changed)

    def enter(self) -> None:
        if not self.witnesses.toPlainText().strip():
            known = self.context.witnesses or (
                [self.context.witness] if self.context.witness else []
            )
            self.witnesses.setPlainText("\n".join(known))
        self._changed()

    def _changed(self) -> None:
        due = next_drill_date(datetime.now(UTC).date(), self.interval.value())
        self.next_drill.setText(f"The next drill falls due by {due:%Y-%m-%d}.")
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def _problem(self) -> str:
        admin, witnesses = self.administrator.text().strip(), _names(self.witnesses.toPlainText())
        if not admin or not witnesses:
            return ""
        if admin in witnesses:
            return "The administrator cannot be a witness too: a witness watches the administrator."
        return ""

    def waiting_for(self) -> str:
        if not self.administrator.text().strip():
            return "Type the administrator's name: the one who reads the run sheet aloud."
        if not _names(self.witnesses.toPlainText()):
            return "Name at least one witness, one a line."
        return self._problem() or self.problem.text()

    def is_complete(self) -> bool:
        return (
            bool(self.administrator.text().strip())
            and bool(_names(self.witnesses.toPlainText()))
            and not self._problem()
        )

    def leave(self) -> bool:
        c = self.context
        c.administrator = self.administrator.text().strip()
        c.witnesses = _names(self.witnesses.toPlainText())
        c.witness = c.witnesses[0]
        c.drill_interval_days = self.interval.value()
        custodians = [(p.name, p.role) for p in c.custodians]
        try:
            c.log.roles(c.administrator, c.witnesses, custodians)
            if self.drills:
                c.log.drill_interval(c.drill_interval_days, datetime.now(UTC).date())
        except CeremonyError as err:
            self.problem.setText(err.message)
            return False
        return True
