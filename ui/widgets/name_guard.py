"""Name, organisation and note fields that refuse share words, legacy shares and keys.

What is typed in these fields is printed on the ceremony record and may be shown
in status lines, neither of which holds a secret. A custodian who types share
words into "Your name" by mistake gets the field emptied at once (the words are
not left on screen) and one plain sentence saying why. A list field (one name a
line) loses only the lines that read as a secret.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from ceremony.shares.secret_text import refusal
from ui.widgets.share_grid import scroll_into_view

__all__ = ["NameGuard", "guard_fields", "say_refusal"]

Field = QLineEdit | QPlainTextEdit


class NameGuard(QObject):
    """Watches one field. ``refused(sentence)`` each time it empties text that read as a secret."""

    refused = Signal(str)

    def __init__(self, field: Field, name: str) -> None:
        super().__init__(field)
        self.field = field
        self.name = name
        self.last_refusal = ""
        field.textChanged.connect(self._check)

    def _text(self) -> str:
        f = self.field
        return f.toPlainText() if isinstance(f, QPlainTextEdit) else f.text()

    def _check(self) -> None:
        sentence = refusal(self._text(), self.name)
        if sentence is None:
            return
        if isinstance(self.field, QPlainTextEdit):
            kept = [line for line in self._text().splitlines() if refusal(line, self.name) is None]
            # setPlainText, not clear(): the refused text must not come back with Ctrl+Z
            self.field.setPlainText("\n".join(kept))
        else:
            self.field.setText("")  # setText resets the undo history too
        self.last_refusal = sentence
        self.refused.emit(sentence)


def say_refusal(label: QLabel, sentence: str, field: QWidget | None = None) -> None:
    """Say ``sentence`` in ``label`` and scroll the page so that it is seen (a label under a
    form sits below the fold on a laptop at 150 %); the keyboard stays in ``field``."""
    label.setText(sentence)
    label.show()
    if field is not None:
        field.setFocus()
    # Once the label has grown to hold the sentence (the layout runs after this event).
    QTimer.singleShot(0, label, lambda: _show(label, field))  # never after the label is gone


def _show(label: QLabel, field: QWidget | None) -> None:
    if field is not None and shiboken6.isValid(field):
        scroll_into_view(field)
    scroll_into_view(label)


def guard_fields(label: QLabel, fields: dict[str, Field]) -> list[NameGuard]:
    """Guard each field (by its name as the custodian sees it); refusals are said in ``label``."""
    guards = []
    for name, field in fields.items():
        guard = NameGuard(field, name)
        guard.refused.connect(lambda sentence, f=field: say_refusal(label, sentence, f))
        guards.append(guard)
    return guards
