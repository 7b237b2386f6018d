"""'Words used': the glossary in a window beside the ceremony (it hides nothing, blocks nothing).

It takes the keyboard when it opens (keys meant for it never reach the wizard
behind it), closes with Esc, F1 or its Close button (the live image has no window
manager, so no title-bar button), fits the screen, and gives the keyboard back to
the field that had it.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs import give_focus_back
from ui.glossary import markdown

__all__ = ["HelpWindow"]

WIDTH, HEIGHT, MARGIN = 640, 520, 16


class HelpWindow(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Custodian Ceremony — words used")
        self.setModal(False)
        self.text = QTextEdit()
        self.text.setReadOnly(True)
        self.text.setMarkdown(markdown())
        self.text.setAccessibleName("Words used")
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction  # keys scroll; no editing
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText("&Close (Esc or F1)")
        self.close_button.setAccessibleName("Close the words used")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self._return_to: QWidget | None = None

    def open_beside(self, owner: QWidget) -> None:
        """Show it within the screen, take the keyboard, and remember where it was."""
        focus = QApplication.focusWidget()
        self._return_to = focus if focus is not None and focus.window() is not self else owner
        area = owner.screen().availableGeometry()
        width = min(WIDTH, area.width() - 2 * MARGIN)
        height = min(HEIGHT, area.height() - 2 * MARGIN)
        self.setMaximumSize(area.width(), area.height())
        self.resize(width, height)
        box = QRect(0, 0, width, height)
        box.moveCenter(owner.window().frameGeometry().center())
        box.moveLeft(max(area.left(), min(box.left(), area.right() - width)))
        box.moveTop(max(area.top(), min(box.top(), area.bottom() - height)))
        self.move(box.topLeft())
        self.show()
        self.raise_()
        self.activateWindow()  # with no window manager the app hands the X focus over itself
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F1:
            self.close()
            return
        super().keyPressEvent(event)  # Esc: reject, which closes

    def done(self, result: int) -> None:
        super().done(result)
        self._give_back()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self._give_back()

    def _give_back(self) -> None:
        target, self._return_to = self._return_to, None
        give_focus_back(target)
