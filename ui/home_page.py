"""The first screen: the rehearsal switch, the environment panel and the ceremonies."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.kinds import KIND_TITLES, Kind
from ui.labels import message_label
from ui.widgets.environment_panel import EnvironmentPanel

__all__ = ["CEREMONIES", "HomePage"]

CEREMONIES: tuple[tuple[Kind, str], ...] = (
    ("genesis", "Make the platform key, print each share sheet, send Vault its half of the key."),
    ("recovery", "Custodians bring their shares to authorise one Vault operation."),
    ("reshare", "Rebuild the key from old shares and give new custodians new shares."),
    ("verify", "Check that one paper share is readable and intact. Needs no other share."),
    ("drill", "Prove the shares still rebuild the key. Vault records the drill."),
)


class HomePage(QWidget):
    start = Signal(str)
    recheck = Signal()

    def __init__(self) -> None:
        super().__init__()
        heading = QLabel("Custodian Ceremony")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        heading.setFont(font)

        self.rehearsal = QCheckBox("&Rehearsal: practise with a throwaway key (no real key)")
        self.environment = EnvironmentPanel()
        self.recheck_button = QPushButton("Check this computer &again")
        self.recheck_button.clicked.connect(self.recheck.emit)
        self.help_button = QPushButton("&Words used (F1)")
        self.refusal = message_label()
        self.refusal.setObjectName("refusal")
        self.refusal.setStyleSheet("color: #b3261e; font-weight: bold;")

        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for row, (kind, text) in enumerate(CEREMONIES):
            button = QPushButton(f"&{row + 1}  {KIND_TITLES[kind]}")
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, k=kind: self.start.emit(k))
            self.buttons[kind] = button
            grid.addWidget(button, row, 0)
            grid.addWidget(message_label(text), row, 1)
        grid.setColumnStretch(1, 1)

        recheck_row = QHBoxLayout()
        recheck_row.addWidget(self.help_button)
        recheck_row.addStretch(1)
        recheck_row.addWidget(self.recheck_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.rehearsal)
        layout.addWidget(self.environment)
        layout.addLayout(recheck_row)
        layout.addWidget(message_label("Choose a ceremony:"))
        layout.addLayout(grid)
        layout.addWidget(self.refusal)
        layout.addStretch(1)
