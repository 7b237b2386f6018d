"""A line edit that never lets its text reach a clipboard (nor the X11 selection)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QLineEdit

from ceremony.shares import words

__all__ = ["NO_CLIPBOARD_KEYS", "SecretLineEdit"]

# Secrets never pass through the clipboard, out or in (Paste covers Shift+Insert too).
NO_CLIPBOARD_KEYS = (
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Paste,
)


class SecretLineEdit(QLineEdit):
    """Typing in; nothing out and no clipboard in: no copy, cut, paste, drag, menu or selection."""

    def __init__(self) -> None:
        super().__init__()
        self.setDragEnabled(False)
        self.setAcceptDrops(False)  # a share is typed or scanned, never dropped in
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        # With no selection there is nothing to copy: X11 copies any selection to the
        # primary selection by itself, so a selection is dropped as soon as it exists.
        self.selectionChanged.connect(self._drop_selection)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )

    def _drop_selection(self) -> None:
        if self.hasSelectedText():
            self.deselect()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.ignore()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:  # X11 pastes the selection here
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if any(event.matches(k) for k in NO_CLIPBOARD_KEYS):  # nothing out, nothing in
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and self.cursorPosition() == len(self.text()):
            self._expand_last_word()
        super().keyPressEvent(event)

    def _expand_last_word(self) -> None:
        """Four letters name a SLIP-39 word: complete it when the custodian moves on."""
        text = self.text()
        head, _, token = text.rpartition(" ")
        word = words.resolve(token)
        if word and word != token.lower():
            self.setText(f"{head} {word}" if head else word)
