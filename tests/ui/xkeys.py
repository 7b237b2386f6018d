"""Keys as a keyboard types them: to the window that has the input focus, never to a chosen
widget. With no window manager, a window the X server did not give the focus gets nothing:
then these fail ("the keyboard goes nowhere") instead of typing into the right field anyway."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication

__all__ = ["key", "keys"]


def _send(code: int, text: str, modifiers: Qt.KeyboardModifier) -> None:
    target = QGuiApplication.focusWindow()
    assert target is not None, "the keyboard goes nowhere: no window has the input focus"
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QGuiApplication.sendEvent(target, QKeyEvent(kind, code, modifiers, text))
    QApplication.processEvents()


def key(code: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    text = "\r" if code in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else ""
    text = "\x1b" if code == Qt.Key.Key_Escape else "\t" if code == Qt.Key.Key_Tab else text
    _send(int(code.value), text, modifiers)


def keys(text: str) -> None:
    for char in text:
        code = ord(char.upper()) if char.isalnum() else ord(char)
        _send(code, char, Qt.KeyboardModifier.NoModifier)
