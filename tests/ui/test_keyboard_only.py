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


def test_with_bags_listed_the_name_leads_to_the_bag_then_to_word_1(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path
) -> None:
    from tests.ui.driver import Tour, advance_to, cancel_and_wipe, click, focus_of, start
    from ui.pages.bags_page import ExpectedBagsPage
    from ui.pages.collect_shares_page import CollectSharesPage

    _, shares = make_set(2, 3, seed=5)
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "drill")
    bags = advance_to(qtbot, wizard, Tour(qapp, tmp_path), shares, ExpectedBagsPage)
    bags.lines.setPlainText("1 TE-100201\n2 TE-100202\n3 TE-100203")
    click(qtbot, wizard.next_button)
    page = wizard.page
    assert isinstance(page, CollectSharesPage)
    qtbot.waitUntil(lambda: focus_of(window) is page.holder, timeout=TIMEOUT_MS)

    def key(code: Qt.Key) -> None:
        qtbot.keyClick(focus_of(window), code)

    qtbot.keyClicks(focus_of(window), "Ann Lee")
    key(Qt.Key.Key_Tab)  # Tab: name, the bag's serial, word 1
    assert focus_of(window) is page.bag
    qtbot.keyClicks(focus_of(window), "TE-100201")
    key(Qt.Key.Key_Tab)
    assert focus_of(window) is page.entry.grid.cells[0]

    page.bag.setText("")
    page.holder.setFocus()
    key(Qt.Key.Key_Return)  # Enter: the same way
    assert focus_of(window) is page.bag
    qtbot.keyClicks(focus_of(window), "TE-100201")
    key(Qt.Key.Key_Return)
    assert focus_of(window) is page.entry.grid.cells[0]
    for word in shares[0].split():
        qtbot.keyClicks(focus_of(window), word[:4])
    key(Qt.Key.Key_Return)
    assert page.state().indices == (1,), page.message.text()
    assert focus_of(window) is page.holder  # the next custodian's name, then their bag
    cancel_and_wipe(qtbot, wizard)
