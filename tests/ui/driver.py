"""Driving the app like a person: clicks and typing through qtbot."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QWidget

from ui.main_window import MainWindow
from ui.wizard import Wizard
from ui.workers import busy

TIMEOUT_MS = 30_000


def open_window(qtbot: Any, provider: Any, rehearsal: bool = False) -> MainWindow:
    window = MainWindow(rehearsal=rehearsal, environment=provider)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.env is not None, timeout=TIMEOUT_MS)
    return window


def start(qtbot: Any, window: MainWindow, kind: str) -> Wizard:
    click(qtbot, window.home.buttons[kind])
    assert window.wizard is not None, window.home.refusal.text()
    return window.wizard


def click(qtbot: Any, widget: QWidget) -> None:
    """A mouse click on a push button; a check box is ticked from the keyboard (Space)."""
    qtbot.waitUntil(widget.isEnabled, timeout=TIMEOUT_MS)
    if isinstance(widget, QCheckBox):
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Space)
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def idle(qtbot: Any, wizard: Wizard) -> None:
    qtbot.waitUntil(lambda: not wizard.page.busy() and not busy(), timeout=TIMEOUT_MS)


def next_page(qtbot: Any, wizard: Wizard, expect: str | None = None) -> None:
    idle(qtbot, wizard)
    before = wizard.index
    click(qtbot, wizard.next_button)
    if wizard.closed:
        return
    assert wizard.index == before + 1
    if expect is not None:
        assert expect in wizard.step_title()


def type_words(qtbot: Any, widget: QWidget, share: str) -> None:
    """Four letters a word, then a space: how custodians are told to type."""
    for word in share.split():
        qtbot.keyClicks(widget, word[:4] + " ")
