"""File choosers in one place, so tests and the screenshot tour can answer them.

After any dialog the keyboard goes back to the field that opened it. On the live
image there is no window manager to hand the input focus back when a dialog
closes, so the app does it itself: it activates its window and focuses the field.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget

__all__ = [
    "ask_open_file",
    "ask_open_image",
    "ask_save_path",
    "give_focus_back",
    "keeping_focus",
    "run_modal",
]

IMAGE_FILTER = "Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff)"
T = TypeVar("T")


def give_focus_back(widget: QWidget | None) -> None:
    """The window of ``widget`` gets the input focus again, and ``widget`` the keyboard."""
    if widget is None or not shiboken6.isValid(widget):
        return
    window = widget.window()
    if not window.isVisible():
        return
    window.raise_()
    window.activateWindow()  # with no window manager: the app asks the X server itself
    if widget.isVisible() and widget.isEnabled():
        widget.setFocus(Qt.FocusReason.OtherFocusReason)


def keeping_focus(opener: QWidget, run: Callable[[], T]) -> T:
    """Run a dialog; afterwards the keyboard is where it was (or on ``opener``)."""
    before = QApplication.focusWidget()
    field = before if before is not None and opener.window().isAncestorOf(before) else opener
    try:
        return run()
    finally:
        give_focus_back(field)


def run_modal(dialog: QDialog) -> int:
    """``dialog.exec()``, with the keyboard on the dialog once it is on screen (with no window
    manager nothing else hands it the input focus) and back where it was afterwards."""
    opener = dialog.parentWidget()
    QTimer.singleShot(0, dialog.activateWindow)  # runs inside exec(), after the show
    if opener is None:
        return dialog.exec()
    return keeping_focus(opener, dialog.exec)


def _file_dialog(parent: QWidget, title: str, suggested: str, kind: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, suggested, kind)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    return dialog


def ask_open_image(parent: QWidget, title: str = "Choose a picture of the QR code") -> Path | None:
    return ask_open_file(parent, title, IMAGE_FILTER)


def ask_open_file(parent: QWidget, title: str, kind: str) -> Path | None:
    dialog = _file_dialog(parent, title, "", kind)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _chosen(dialog)


def ask_save_path(parent: QWidget, title: str, suggested: str, kind: str) -> Path | None:
    dialog = _file_dialog(parent, title, suggested, kind)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    return _chosen(dialog)


def _chosen(dialog: QFileDialog) -> Path | None:
    try:
        if run_modal(dialog) != QDialog.DialogCode.Accepted:
            return None
        names = dialog.selectedFiles()
        return Path(names[0]) if names and names[0] else None
    finally:
        dialog.deleteLater()
