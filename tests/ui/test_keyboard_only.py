"""Keyboard only: a custodian who never touches the mouse can check a share and leave."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.sharesets import make_set
from tests.ui.driver import TIMEOUT_MS, open_window
from ui.pages.verify_share_page import VerifySharePage


def focused() -> Any:
    return QApplication.focusWidget()


def test_verify_a_share_with_the_keyboard_alone(qtbot: Any, air_gapped: Any) -> None:
    _, shares = make_set(3, 4, seed=77)
    window = open_window(qtbot, air_gapped)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)

    qtbot.keyClick(focused() or window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.wizard is not None, timeout=TIMEOUT_MS)
    wizard = window.wizard
    assert wizard is not None and wizard.step_title() == "Step 1 of 1: Check one share"
    page = wizard.page
    assert isinstance(page, VerifySharePage)

    # The share field has the focus as the page opens: just type, four letters a word.
    qtbot.waitUntil(lambda: focused() is page.entry.grid.cells[0], timeout=TIMEOUT_MS)
    for word in shares[2].split():  # four letters a word; the grid moves on by itself
        qtbot.keyClicks(focused(), word[:4])
    qtbot.waitUntil(lambda: "checksum correct" in page.details.text(), timeout=TIMEOUT_MS)
    assert "Share number: 3" in page.details.text()

    # Alt+S jumps to the sheet's fingerprint field; Alt+F finishes and wipes.
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert focused() is page.sheet_fingerprint
    qtbot.keyClicks(focused(), "1234ABCD5678")
    assert "Fingerprint 1234-ABCD-5678" in page.details.text()
    left: list[str] = []
    wizard.finished.connect(lambda _done: left.append(page.entry.text()))  # before deletion
    qtbot.keyClick(focused(), Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.wizard is None, timeout=TIMEOUT_MS)
    assert left == [""]
