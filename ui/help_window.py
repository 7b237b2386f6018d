"""'Words used': the glossary in a window beside the ceremony (it hides nothing, blocks nothing)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTextEdit, QVBoxLayout, QWidget

from ui.glossary import markdown

__all__ = ["HelpWindow"]


class HelpWindow(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Custodian Ceremony — words used")
        self.setModal(False)
        self.text = QTextEdit()
        self.text.setReadOnly(True)
        self.text.setMarkdown(markdown())
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        self.resize(640, 520)
