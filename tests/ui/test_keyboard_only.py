"""Keyboard only: a custodian who never touches the mouse can check a share and leave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.sharesets import make_set
from tests.ui.driver import TIMEOUT_MS, open_window
from ui.pages.verify_share_page import VerifySharePage


def focused() -> Any:
    return QApplication.focusWidget()


def test_verify_a_share_with_the_keyboard_alone(
    qtbot: Any, air_gapped: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, shares = make_set(3, 4, seed=77)
    window = open_window(qtbot, air_gapped)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)

    qtbot.keyClick(focused() or window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.wizard is not None, timeout=TIMEOUT_MS)
    wizard = window.wizard
    assert wizard is not None and wizard.step_title() == "Step 1 of 4: Check this computer"
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=TIMEOUT_MS)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the check passed: Enter is Next
    page = wizard.page
    assert isinstance(page, VerifySharePage)

    # The name field has the focus; Enter moves on to the words, four letters each.
    qtbot.waitUntil(lambda: focused() is page.holder, timeout=TIMEOUT_MS)
    qtbot.keyClicks(focused(), "Cat Silva")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is page.entry.grid.cells[0]
    for word in shares[2].split():  # the grid moves on by itself
        qtbot.keyClicks(focused(), word[:4])
    qtbot.waitUntil(lambda: "checksum correct" in page.details.text(), timeout=TIMEOUT_MS)
    assert "Share number: 3" in page.details.text()

    # Alt+S jumps to the sheet's fingerprint field; Enter goes on to the record.
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert focused() is page.sheet_fingerprint
    qtbot.keyClicks(focused(), "1234ABCD5678")
    left: list[str] = []
    wizard.finished.connect(lambda _done: left.append(page.entry.text()))  # before deletion
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert "ceremony record" in wizard.step_title()
    monkeypatch.setattr("ui.dialogs.ask_save_path", lambda *a: tmp_path / "record.pdf")
    record: Any = wizard.page
    qtbot.waitUntil(lambda: not record.busy(), timeout=TIMEOUT_MS)  # printers listed
    qtbot.keyClick(focused(), Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # save as file
    qtbot.waitUntil(lambda: record.done, timeout=5000)
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=TIMEOUT_MS)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert wizard.step_title().endswith("Done")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # Finish
    qtbot.waitUntil(lambda: window.wizard is None, timeout=TIMEOUT_MS)
    assert left == [""]
    assert (tmp_path / "record.pdf").read_bytes().startswith(b"%PDF")
