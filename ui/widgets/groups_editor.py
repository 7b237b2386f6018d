"""Named groups for a new share set (SLIP-39's two levels), checked as they are typed.

One group a line, ``Name=Member, Member, ...:threshold``, the same form as the
command line's ``--group``; and how many complete groups rebuild the key.
Errors are shown in red and keep the page from going on. Policies that are
allowed but easy to get wrong (a group of one counts as a whole group) are
shown too, and need a tick that says they are intended.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ceremony.errors import CeremonyError
from ceremony.shares.policy import SharePolicy, parse_group

__all__ = ["GroupsEditor"]

PLACEHOLDER = (
    "One group a line: name = members : how many of them\nBoard=Ann,Ben,Cat:2\nLegal=Hal:1"
)


class GroupsEditor(QWidget):
    """Emits ``changed`` on every edit; :meth:`policy` is None until the groups are usable."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.lines = QPlainTextEdit()
        self.lines.setObjectName("groupLines")
        self.lines.setTabChangesFocus(True)
        self.lines.setPlaceholderText(PLACEHOLDER)
        self.lines.setFixedHeight(self.fontMetrics().lineSpacing() * 6)
        self.group_threshold = QSpinBox()
        self.group_threshold.setObjectName("groupThreshold")
        self.group_threshold.setRange(1, 16)
        self.group_threshold.setValue(2)
        self.summary = QLabel()
        self.summary.setObjectName("groupSummary")
        self.summary.setWordWrap(True)
        self.errors = QLabel()
        self.errors.setObjectName("groupErrors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.warnings = QLabel()
        self.warnings.setObjectName("groupWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #7a4b00; font-weight: bold;")
        self.intended = QCheckBox("Yes, this is &intended")
        self.intended.setObjectName("groupIntended")
        self.intended.setVisible(False)

        form = QFormLayout()
        form.addRow("&Groups", self.lines)
        form.addRow("Complete groups needed to rebuild", self.group_threshold)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors)
        layout.addWidget(self.warnings)
        layout.addWidget(self.intended)
        self.lines.textChanged.connect(self._changed)
        self.group_threshold.valueChanged.connect(self._changed)
        self.intended.toggled.connect(lambda _on: self.changed.emit())

    def _parsed(self) -> tuple[SharePolicy | None, list[str], list[str]]:
        """The policy as typed, its errors and what needs confirming."""
        groups = []
        errors = []
        for number, line in enumerate(self.lines.toPlainText().splitlines(), start=1):
            if not line.strip():
                continue
            try:
                groups.append(parse_group(line))
            except CeremonyError as err:
                errors.append(f"Line {number}: {err.message}")
        if not groups:
            return None, errors or ["Add at least one group."], []
        policy = SharePolicy(tuple(groups), self.group_threshold.value())
        problems = policy.problems()
        errors += [p.message for p in problems if p.severity == "error"]
        confirm = [p.message for p in problems if p.severity == "confirm"]
        return policy, errors, confirm

    def _changed(self) -> None:
        policy, errors, confirm = self._parsed()
        self.summary.setText(policy.describe() + "." if policy is not None and not errors else "")
        self.errors.setText("\n".join(errors))
        self.warnings.setText("\n".join(confirm))
        had = self.intended.isVisible()
        self.intended.setVisible(bool(confirm))
        if not confirm or not had:
            self.intended.setChecked(False)  # a new doubt needs a new tick
        self.changed.emit()

    def policy(self) -> SharePolicy | None:
        """The policy, when it has no errors and every doubt is ticked as intended."""
        policy, errors, confirm = self._parsed()
        if policy is None or errors or (confirm and not self.intended.isChecked()):
            return None
        return policy

    def problem(self) -> str:
        """Why :meth:`policy` is None, in one line; empty when it is usable."""
        _, errors, confirm = self._parsed()
        if errors:
            return errors[0]
        if confirm and not self.intended.isChecked():
            return "Tick that the group policy is intended, or change it."
        return ""
