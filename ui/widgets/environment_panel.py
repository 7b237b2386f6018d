"""The environment panel: each machine check in plain words, with a mark a glance can read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel

from ui.labels import clear_layout, message_label

if TYPE_CHECKING:
    from ceremony.room.environment import EnvironmentReport

__all__ = ["EnvironmentPanel", "blocks_text"]

MARKS = {
    "ok": ("✓ OK", "#1b5e20"),
    "warning": ("! Check", "#8a5a00"),
    "blocking": ("✗ Stop", "#b3261e"),
}


class EnvironmentPanel(QGroupBox):
    def __init__(self, title: str = "This computer") -> None:
        super().__init__(title)
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(2, 1)
        self.show_pending()

    def _clear(self) -> None:
        clear_layout(self.grid)

    def show_pending(self) -> None:
        self._clear()
        self.grid.addWidget(message_label("Checking this computer…"), 0, 0, 1, 3)

    def show_error(self, message: str) -> None:
        self._clear()
        self.grid.addWidget(message_label(f"The check failed: {message}"), 0, 0, 1, 3)

    def show_report(self, report: EnvironmentReport) -> None:
        """Each check: its mark, its name, what was found, and whether a real ceremony waits."""
        self._clear()
        for n, check in enumerate(report.checks):
            row = 2 * n
            mark_text, colour = MARKS[check.severity]
            mark = QLabel(mark_text)
            mark.setStyleSheet(f"color: {colour}; font-weight: bold;")
            mark.setObjectName(f"envMark_{check.severity}")
            name = message_label(check.title, wrap=False)
            name.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(mark, row, 0)
            self.grid.addWidget(name, row, 1)
            self.grid.addWidget(message_label(check.status), row, 2)
            blocks = message_label(blocks_text(check.blocks_real))
            blocks.setObjectName(f"envBlocks_{check.key}")
            blocks.setStyleSheet(
                f"color: {MARKS['blocking'][1]}; font-weight: bold;"
                if check.blocks_real
                else "color: #555555;"
            )
            self.grid.addWidget(blocks, row + 1, 2)


def blocks_text(blocks_real: bool) -> str:
    if blocks_real:
        return "Blocks a real ceremony until it is fixed."
    return "Does not block a real ceremony."
