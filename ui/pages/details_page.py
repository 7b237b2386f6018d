"""Ceremony details: organisation, key version, custodians with roles, threshold, witness."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
)

from ceremony.errors import CeremonyError
from ceremony.shares.slip39 import MAX_SHARES, MIN_THRESHOLD
from ui.context import CeremonyContext, Crossing, Custodian, Details
from ui.pages.base import Page, message_label
from ui.widgets.groups_editor import GroupsEditor
from ui.widgets.name_guard import guard_fields
from ui.widgets.status_line import status_label

__all__ = ["DetailsPage", "parse_custodians"]


def parse_custodians(text: str) -> list[Custodian]:
    """One custodian a line: ``Name`` or ``Name, role``."""
    found = []
    for line in text.splitlines():
        name, _, role = line.partition(",")
        if name.strip():
            found.append(Custodian(name.strip(), role.strip()))
    return found


class DetailsPage(Page):
    reads = (Crossing,)
    writes = (Details,)
    title = "Who is here and what we make"

    def __init__(self, context: CeremonyContext, *, new_custodians: bool = False) -> None:
        super().__init__(context)
        if new_custodians:
            self.title = "The new custodians"
        self._build_fields(context)
        self._lay_out()
        self._watch_fields()

    def _build_fields(self, context: CeremonyContext) -> None:
        """The fields of the form, filled from the context."""
        self.organisation = QLineEdit(context.organisation)
        self.key_version = QLineEdit(context.key_version)
        self.key_version.setPlaceholderText("for example 2025-1")
        self.custodians = QPlainTextEdit()
        self.custodians.setTabChangesFocus(True)
        self.custodians.setPlaceholderText(
            "One custodian a line, name and role:\nAnn, CFO\nBen, CTO"
        )
        self.custodians.setFixedHeight(self.fontMetrics().lineSpacing() * 8)
        self.threshold = QSpinBox()
        self.threshold.setRange(MIN_THRESHOLD, MAX_SHARES)
        self.threshold.setValue(context.threshold)
        self.witness = QLineEdit(context.witness)
        self.scheme = QComboBox()
        self.scheme.addItem("SLIP-39 words (recommended)", "slip39")
        self.scheme.addItem("CheckTick legacy (80<n>-<n>-<hex>)", "checktick")
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.problem = status_label()
        self.problem.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.use_groups = QCheckBox("Named &groups (e.g. any 2 of the board, and the lawyer)")
        self.use_groups.setObjectName("useGroups")
        self.groups = GroupsEditor()
        self.groups.setVisible(False)

    def _lay_out(self) -> None:
        """The explanation, the form and the problem line under it."""
        form = QFormLayout()
        form.addRow("&Organisation", self.organisation)
        form.addRow("&Key version label", self.key_version)
        form.addRow("", self.use_groups)
        self.plain_rows = (self.custodians, self.threshold)
        form.addRow("C&ustodians", self.custodians)
        form.addRow("Shares needed to rebuild (&threshold)", self.threshold)
        form.addRow(self.groups)
        self.form = form
        form.addRow("&Witness", self.witness)
        form.addRow("Share &format", self.scheme)
        form.addRow("&Paper", self.paper)
        self.body.addWidget(
            message_label(
                "Every custodian gets one share on paper. Any 'threshold' of them together can "
                "rebuild the key; fewer learn nothing."
            )
        )
        self.body.addLayout(form)
        self.body.addWidget(self.problem)
        self.body.addStretch(1)

    def _watch_fields(self) -> None:
        """Any edit rechecks the form; fields refuse share words typed into them by mistake."""
        for w in (self.organisation, self.key_version, self.witness):
            w.textChanged.connect(self._changed)
        self.custodians.textChanged.connect(self._changed)
        self.threshold.valueChanged.connect(self._changed)
        self.groups.changed.connect(self._changed)
        self.use_groups.toggled.connect(self._switch_groups)
        self.guards = guard_fields(
            self.problem,
            {
                "Organisation": self.organisation,
                "Key version label": self.key_version,
                "Custodians": self.custodians,
                "Groups": self.groups.lines,
                "Witness": self.witness,
            },
        )

    def _switch_groups(self, on: bool) -> None:
        """Named groups replace the plain custodian list and threshold."""
        for widget in self.plain_rows:
            widget.setVisible(not on)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(not on)
        self.groups.setVisible(on)
        (self.groups.lines if on else self.custodians).setFocus()
        self._changed()

    def _typed_anything(self) -> bool:
        if self.use_groups.isChecked():
            return bool(self.groups.lines.toPlainText().strip())
        return bool(self.custodians.toPlainText().strip())

    def _changed(self) -> None:
        self.problem.setText(self._problem())
        self.completeChanged.emit()

    def _read(self) -> None:
        c = self.context
        c.organisation = self.organisation.text().strip()
        c.key_version = self.key_version.text().strip()
        policy = self.groups.policy() if self.use_groups.isChecked() else None
        if policy is not None:
            c.custodians = [Custodian(name) for name in policy.custodians]
            c.groups, c.group_threshold = policy.groups, policy.group_threshold
            c.threshold = policy.threshold
        else:
            c.custodians = parse_custodians(self.custodians.toPlainText())
            c.groups, c.group_threshold = (), 1
            c.threshold = self.threshold.value()
        c.witness = self.witness.text().strip()
        c.scheme = "checktick" if self.scheme.currentData() == "checktick" else "slip39"
        c.paper = "letter" if self.paper.currentData() == "letter" else "a4"

    def _problem(self) -> str:
        """What the core's plan check says about the details as typed so far."""
        if not self._typed_anything():
            return ""
        if self.use_groups.isChecked() and self.groups.problem():
            return self.groups.problem()
        self._read()
        try:
            self.context.plan().check()
        except CeremonyError as err:
            return err.message
        return self._request_refusal()

    def _request_refusal(self) -> str:
        """A request already read in (the custodians came back here) must still be answerable:
        the operation table compares what it fixes (key version, mode) with what is typed."""
        request = self.context.request
        if request is None:
            return ""
        from ceremony.operations.table import refusal
        from ui.sealing import room_of

        refused = refusal(request, room_of(self.context))
        return refused.message if refused is not None else ""

    def is_complete(self) -> bool:
        return self._typed_anything() and not self._problem()

    def waiting_for(self) -> str:
        if problem := self._problem():
            return problem
        if self.use_groups.isChecked():
            return "Type the groups: one a line, with their members and how many of each."
        return "Type the custodians, one a line (name, then role), and the threshold."

    def leave(self) -> bool:
        self._read()
        return True
