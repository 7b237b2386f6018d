"""Leaving is always a decision: closing the window, logout and stop signals ask as Cancel does;
forgetting shares asks too, and one wrong share can be forgotten alone."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.sharesets import make_set
from tests.ui.driver import Tour, advance_to, focus_of, open_window, start, type_share
from ui.leaving import LeaveGuard
from ui.main_window import MainWindow
from ui.pages.collect_shares_page import CollectSharesPage
from ui.pages.done_page import DonePage
from ui.wizard import Wizard


def _at_shares(qtbot: Any, air_gapped: Any, tmp_path: Path) -> tuple[MainWindow, Wizard, Any]:
    _, shares = make_set(2, 3, seed=5)
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "drill")
    page = advance_to(qtbot, wizard, Tour(QApplication.instance(), tmp_path), shares,
                      CollectSharesPage)  # fmt: skip
    return window, wizard, (page, shares)


def _type_one(qtbot: Any, page: CollectSharesPage, name: str, share: str) -> None:
    page.holder.setFocus()
    qtbot.keyClicks(page.holder, name)
    qtbot.keyClick(page.holder, Qt.Key.Key_Return)
    type_share(qtbot, page.entry, share)
    qtbot.keyClick(focus_of(page), Qt.Key.Key_Return)


def test_closing_the_window_asks_as_cancel_does(
    qtbot: Any, air_gapped: Any, tmp_path: Path
) -> None:
    window, wizard, (page, shares) = _at_shares(qtbot, air_gapped, tmp_path)
    _type_one(qtbot, page, "Ann Lee", shares[0])
    assert page.state().indices == (1,)

    assert not window.close()  # what the title-bar button and Alt+F4 ask for
    assert window.isVisible() and wizard.cancel_bar.isVisible()
    assert "Closing the window ends this ceremony" in wizard.cancel_question.text()
    assert focus_of(window) is wizard.confirm_field
    qtbot.keyClick(wizard.confirm_field, Qt.Key.Key_Escape)  # no: the ceremony goes on
    assert not wizard.cancel_bar.isVisible() and not window.leaving
    assert window.isVisible() and page.state().indices == (1,)

    assert not window.close()
    qtbot.keyClicks(focus_of(window), "wipe")
    qtbot.keyClick(focus_of(window), Qt.Key.Key_Return)
    assert wizard.closed and not wizard.context.holds_secrets()
    assert page.state().indices == ()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)  # yes: then it closes


def test_done_offers_no_cancel_and_closes_without_asking(
    qtbot: Any, air_gapped: Any, tmp_path: Path
) -> None:
    _, shares = make_set(3, 4, seed=3)
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "verify")
    assert wizard.cancel_button.isVisible()
    advance_to(qtbot, wizard, Tour(QApplication.instance(), tmp_path), shares, DonePage)
    assert not wizard.cancel_button.isVisible()
    assert not wizard.needs_decision()
    assert window.close()
    assert wizard.closed


@pytest.fixture
def guard_of() -> Any:
    made: list[LeaveGuard] = []

    def make(window: MainWindow, grace_ms: int = 600_000) -> tuple[LeaveGuard, list[int]]:
        codes: list[int] = []
        guard = LeaveGuard(window, grace_ms=grace_ms, exit_app=codes.append)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        guard.install(app)
        made.append(guard)
        return guard, codes

    yield make
    app = QApplication.instance()
    for guard in made:
        guard.uninstall()
        assert isinstance(app, QApplication)
        app.commitDataRequest.disconnect(guard.on_commit_data)
        app.aboutToQuit.disconnect(guard.window.wipe_now)


def test_sigterm_asks_then_a_second_one_wipes(
    qtbot: Any, air_gapped: Any, tmp_path: Path, guard_of: Any
) -> None:
    window, wizard, (page, shares) = _at_shares(qtbot, air_gapped, tmp_path)
    _type_one(qtbot, page, "Ann Lee", shares[0])
    guard, codes = guard_of(window)

    os.kill(os.getpid(), signal.SIGTERM)
    qtbot.waitUntil(wizard.cancel_bar.isVisible, timeout=5000)
    assert "asked this app to stop" in wizard.cancel_question.text()
    assert not wizard.closed and codes == []
    qtbot.keyClick(wizard.confirm_field, Qt.Key.Key_Escape)  # someone is there: go on
    assert guard.pending is None and not wizard.closed

    os.kill(os.getpid(), signal.SIGTERM)
    qtbot.waitUntil(wizard.cancel_bar.isVisible, timeout=5000)
    os.kill(os.getpid(), signal.SIGTERM)  # asked again: no one is answering
    qtbot.waitUntil(lambda: codes == [128 + signal.SIGTERM], timeout=5000)
    assert wizard.closed and not wizard.context.holds_secrets()
    assert page.state().indices == ()


def test_a_stop_signal_no_one_answers_wipes_after_the_grace(
    qtbot: Any, air_gapped: Any, tmp_path: Path, guard_of: Any
) -> None:
    window, wizard, (page, shares) = _at_shares(qtbot, air_gapped, tmp_path)
    _type_one(qtbot, page, "Ann Lee", shares[0])
    _guard, codes = guard_of(window, grace_ms=50)
    os.kill(os.getpid(), signal.SIGHUP)
    qtbot.waitUntil(lambda: codes == [128 + signal.SIGHUP], timeout=10_000)
    assert wizard.closed and not wizard.context.holds_secrets()


class _Manager:
    def __init__(self, interaction: bool) -> None:
        self.interaction = interaction
        self.cancelled = False

    def allowsInteraction(self) -> bool:
        return self.interaction

    def cancel(self) -> None:
        self.cancelled = True

    def release(self) -> None:
        pass


def test_logout_asks_when_it_may_and_wipes_when_it_may_not(
    qtbot: Any, air_gapped: Any, tmp_path: Path, guard_of: Any
) -> None:
    window, wizard, (page, shares) = _at_shares(qtbot, air_gapped, tmp_path)
    _type_one(qtbot, page, "Ann Lee", shares[0])
    guard, _codes = guard_of(window)
    asked = _Manager(interaction=True)
    guard.on_commit_data(asked)  # type: ignore[arg-type]
    assert asked.cancelled and wizard.cancel_bar.isVisible() and not wizard.closed
    assert "logout" in wizard.cancel_question.text()
    qtbot.keyClick(wizard.confirm_field, Qt.Key.Key_Escape)

    nobody = _Manager(interaction=False)
    guard.on_commit_data(nobody)  # type: ignore[arg-type]
    assert not nobody.cancelled
    assert wizard.closed and not wizard.context.holds_secrets()


def test_any_other_quit_wipes(qtbot: Any, air_gapped: Any, tmp_path: Path, guard_of: Any) -> None:
    window, wizard, (page, shares) = _at_shares(qtbot, air_gapped, tmp_path)
    _type_one(qtbot, page, "Ann Lee", shares[0])
    guard_of(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.aboutToQuit.emit()
    assert wizard.closed and not wizard.context.holds_secrets()


def test_start_again_asks_and_keeps_the_focus_on_the_share_entry(
    qtbot: Any, air_gapped: Any, tmp_path: Path
) -> None:
    window, wizard, (page, shares) = _at_shares(qtbot, air_gapped, tmp_path)
    _type_one(qtbot, page, "Ann Lee", shares[0])
    assert focus_of(window) is page.holder

    qtbot.keyClick(focus_of(window), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(page.question.isVisible, timeout=5000)  # a mnemonic clicks after a flash
    assert "Forget all 1 share" in page.question_text.text()
    assert focus_of(window) is page.keep_button
    qtbot.keyClick(focus_of(window), Qt.Key.Key_Return)  # Enter keeps them
    assert not page.question.isVisible() and page.state().indices == (1,)
    assert focus_of(window) is page.holder

    qtbot.keyClick(focus_of(window), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(page.question.isVisible, timeout=5000)
    qtbot.keyClick(focus_of(window), Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not page.question.isVisible(), timeout=5000)
    assert page.state().indices == () and wizard.index == wizard.pages.index(page)
    assert focus_of(window) is page.holder


def test_a_share_of_another_set_entered_first_can_be_forgotten_alone(
    qtbot: Any, air_gapped: Any, tmp_path: Path
) -> None:
    window, wizard, (page, shares) = _at_shares(qtbot, air_gapped, tmp_path)
    _, stranger = make_set(2, 3, seed=99)
    _type_one(qtbot, page, "Eve Stray", stranger[0])
    wrong_set = page.state().set_id
    assert wrong_set is not None and f"all from set {wrong_set}" in page.entered.text()
    _type_one(qtbot, page, "Ann Lee", shares[1])
    assert "another set" in page.message.text()
    assert "dropped with 'Clear all words'" in page.message.text()
    assert page.state().indices == (1,)

    def forget_buttons() -> list[Any]:
        named = "Forget share 1 (Eve Stray)"
        found = page.findChildren(type(page.add_button))
        return [b for b in found if b.accessibleName() == named and b.isVisible()]

    qtbot.waitUntil(lambda: len(forget_buttons()) == 1, timeout=5000)
    buttons = forget_buttons()
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert "Forget share 1 (Eve Stray)? The other shares stay." in page.question_text.text()
    qtbot.keyClick(focus_of(window), Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.state().indices == (), timeout=5000)

    # Ann's words are still in the entry, and the keyboard is there: Enter adds them now.
    assert page.entry.grid.isAncestorOf(focus_of(window))
    qtbot.keyClick(focus_of(window), Qt.Key.Key_Return)
    assert page.state().indices == (2,), page.message.text()
    _type_one(qtbot, page, "Ben Okafor", shares[2])
    assert page.state().complete and page.state().set_id != wrong_set
    assert sorted(wizard.context.share_holders.values()) == ["Ann Lee", "Ben Okafor"]


def test_forget_this_share_and_start_again_by_keyboard_alone_esc_keeps(
    qtbot: Any, air_gapped: Any, tmp_path: Path
) -> None:
    window, wizard, (page, shares) = _at_shares(qtbot, air_gapped, tmp_path)
    _type_one(qtbot, page, "Ann Lee", shares[0])
    assert focus_of(window) is page.holder

    def key(code: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(focus_of(window), code, modifier)  # to whatever has the keyboard

    listed = page.findChildren(type(page.add_button))
    qtbot.waitUntil(lambda: any(b.isVisible() and b.text() == "Forget this share…" for b in listed))
    key(Qt.Key.Key_Tab)  # Tab from the name still goes to word 1
    assert focus_of(window) is page.entry.grid.cells[0]
    page.holder.setFocus()
    key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # the share listed just above
    assert focus_of(window).accessibleName() == "Forget share 1 (Ann Lee)"
    key(Qt.Key.Key_Return)
    assert page.question.isVisible() and focus_of(window) is page.keep_button
    assert "Forget share 1 (Ann Lee)?" in page.question_text.text()
    key(Qt.Key.Key_Escape)  # Esc keeps it
    assert not page.question.isVisible() and page.state().indices == (1,)
    assert focus_of(window) is page.holder and not wizard.cancel_bar.isVisible()

    key(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # Start again with no shares…
    qtbot.waitUntil(page.question.isVisible, timeout=5000)
    page.entry.grid.focus_cell(3)  # the keyboard wandered into the words: Esc still keeps
    key(Qt.Key.Key_Escape)
    assert not page.question.isVisible() and page.state().indices == (1,)
    assert focus_of(window) is page.holder

    key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    key(Qt.Key.Key_Space)
    assert page.question.isVisible()
    key(Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.state().indices == (), timeout=5000)
    assert not page.question.isVisible() and focus_of(window) is page.holder
    assert "Share 1 (Ann Lee) was forgotten" in page.message.text()
