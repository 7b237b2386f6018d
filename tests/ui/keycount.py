"""Counting the keys of a typed 3-share recovery, from launch to the sealed answer.

Every key goes to whatever has the focus in the real window, as on the day:
if the app did not move the focus on by itself, the count (and the result)
would show it. Shared by ``tests/ui/test_keystrokes.py`` (which checks the
targets) and ``bench/bench_keys.py`` (which reports the table).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from ceremony import keys
from ceremony.shares import locate_wrong_word, split, words
from tests.ui.requests import answerable

Environment = Callable[[bool], object]


@dataclass
class Keys:
    """Keys pressed, by what they were for. A chord (Alt+N) or a mouse click counts as one."""

    counts: Counter[str] = field(default_factory=Counter)

    def focus(self) -> QWidget:
        QApplication.processEvents()  # a person is never faster than the event loop
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard"
        return widget

    def type(self, text: str, what: str) -> None:
        QTest.keyClicks(self.focus(), text)
        self.counts[what] += len(text)

    def press(self, key: Qt.Key, what: str, alt: bool = False) -> None:
        mod = Qt.KeyboardModifier.AltModifier if alt else Qt.KeyboardModifier.NoModifier
        QTest.keyClick(self.focus(), key, mod)
        self.counts[what] += 1

    def click(self, widget: QWidget, what: str) -> None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.counts[what] += 1


def wait(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        app.processEvents()  # type: ignore[union-attr]
        time.sleep(0.005)


NAMES = ("Ann Lee", "Ben Okafor", "Cat Silva")
REENTER = "re-enter a refused share"


def _reenter(k: Keys, entry: Any, typed: list[str]) -> None:
    """Type back, as the custodian reads the sheet again, every word the refusal lost.

    Each key is a real key event on the cell: a click on the cell, then four letters.
    A share that stays on screen needs none, and the count says so.
    """
    for cell, word in zip(entry.grid.cells, typed, strict=True):
        if words.resolve(cell.text()) != word:
            k.click(cell, REENTER)
            k.type(word[:4], REENTER)
    k.counts[REENTER] += 0  # the row exists even when nothing had to be typed
    assert entry.text().split() == typed, "the share is back as the custodian read it"


def _open_drill(k: Keys, window: Any, request_code: str) -> Any:
    """From the home screen to the share entry: roles, the request, the bags' last record."""
    window.home.buttons["drill"].setFocus()
    k.press(Qt.Key.Key_5, "navigation", alt=True)  # "5  Recovery drill"
    wait(lambda: window.wizard is not None)
    wizard = window.wizard
    wait(lambda: wizard.next_button.isEnabled())
    k.press(Qt.Key.Key_Return, "navigation")  # the computer check passed: Enter
    wait(lambda: wizard.index == 1)
    k.type("Ada Admin", "roles")  # the administrator, then the witness, before any secret
    k.press(Qt.Key.Key_Tab, "roles")
    k.type("Wendy Ng", "roles")
    k.press(Qt.Key.Key_N, "navigation", alt=True)  # the witness list keeps Enter for itself
    wait(lambda: wizard.index == 2)
    k.type(request_code, "request code")
    wait(lambda: wizard.next_button.isEnabled())
    k.press(Qt.Key.Key_N, "navigation", alt=True)  # the code box keeps Enter for itself
    wait(lambda: wizard.index == 3)
    k.press(Qt.Key.Key_Space, "confirmations")  # "the Vault operator read the same words"
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 4)
    k.press(Qt.Key.Key_L, "bags", alt=True)  # "the last record lists no bags" (an old set)
    wait(lambda: wizard.next_button.isEnabled())  # a mnemonic's click lands a moment later
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 5)
    return wizard


def _enter_shares(k: Keys, wizard: Any, chosen: tuple[str, ...]) -> None:
    """Three holders type their shares; Ben misreads word 21, which is refused and fixed."""
    page = wizard.page
    entry = page.entry
    if entry.locator is not locate_wrong_word:
        raise RuntimeError("the share entry does not use the core's wrong-word locator")
    for n, (name, share) in enumerate(zip(NAMES, chosen, strict=True)):
        k.type(name, "names")
        k.press(Qt.Key.Key_Return, "names")  # on to the words
        typed = share.split()
        if n == 1:
            typed[20] = "acid" if typed[20] != "acid" else "acne"
        for word in typed:
            k.type(word[:4], "shares")
        k.press(Qt.Key.Key_Return, "shares")  # add it
        if n == 1:
            assert not page.state().indices or len(page.state().indices) == 1
            suspect = k.focus()
            _reenter(k, entry, typed)
            assert suspect is entry.grid.cells[20], "the suspect word has the keyboard"
            if k.counts[REENTER]:
                k.click(suspect, "fix one wrong word")
            k.type(share.split()[20][:4], "fix one wrong word")
            k.press(Qt.Key.Key_Return, "fix one wrong word")
    assert wizard.page.state().complete, wizard.page.message.text()


def _approve_and_seal(k: Keys, wizard: Any, fingerprint: str) -> None:
    """The fingerprint, the approval, each holder's agreement, new bags; then the answer."""
    from ui.pages.bundle_page import BundlePage

    k.press(Qt.Key.Key_Return, "navigation")  # enough shares: Enter is Next
    wait(lambda: wizard.index == 6)
    wait(lambda: wizard.page.typed.isEnabled())
    k.type(fingerprint.replace("-", ""), "fingerprint")
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 7)
    review = wizard.page
    wait(lambda: review.approve.isVisible() and k.focus() is review.approve)
    k.press(Qt.Key.Key_Space, "confirmations")  # "both match the printed record"
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 8)
    for _row in NAMES:  # names came with the shares: tick "I agree" in each row
        k.press(Qt.Key.Key_Tab, "confirmations")
        k.press(Qt.Key.Key_Space, "confirmations")
        k.press(Qt.Key.Key_Tab, "confirmations")
    # the witness was named before the first share: already filled in
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 9)
    for n, _name in enumerate(NAMES):  # each sheet into a new bag: its serial
        if n:
            k.press(Qt.Key.Key_Tab, "bags")
        k.type(f"NB-{n + 1}", "bags")
    k.press(Qt.Key.Key_Return, "navigation")
    confirm = wizard.page
    assert isinstance(confirm, BundlePage), wizard.step_title()
    wait(lambda: wizard.context.bundle is not None)


def recovery_keys(environment: Environment) -> dict[str, int]:
    """Drive a drill (the 'verify' operation) by keyboard; return keys by purpose."""
    from ui.main_window import MainWindow

    with keys.new_component() as component:
        shares = split(component, 3, 5)
        fingerprint = keys.fingerprint(component, "custodian")
        # a practice Vault's drill request, naming the registered key as Vault would
        request = answerable("verify", component, rehearsal=True)(None)
    k = Keys()
    window = MainWindow(rehearsal=True, environment=environment)  # type: ignore[arg-type]
    window.show()
    window.activateWindow()
    wait(lambda: QApplication.activeWindow() is window and window.env is not None)
    wizard = _open_drill(k, window, request.typed_code())
    _enter_shares(k, wizard, (shares[4], shares[0], shares[2]))
    _approve_and_seal(k, wizard, fingerprint)
    result = dict(k.counts)
    wizard.cancel()
    window.close()
    return result


GENESIS_CUSTODIANS = "\n".join(
    ("Ann Lee, CFO", "Ben Okafor, CTO", "Cat Silva, Security", "Dan Weber, Legal", "Eve Ng, Ops")
)


def genesis_readback_keys(environment: Environment, scratch: Path) -> dict[str, int]:
    """A rehearsal genesis 3-of-5 up to the read-back, then every sheet typed back by keyboard.

    The steps before the read-back (details, practice request, printing to files) are
    filled by the test kit and not counted; the read-back is: each share's words, four
    letters each, then Enter, into whatever has the focus, as a custodian reading the sheet.
    """
    from testkit.tour_steps import act, finish_page
    from ui.main_window import MainWindow
    from ui.pages.details_page import DetailsPage
    from ui.pages.verify_shares_page import VerifySharesPage

    app = QApplication.instance()
    assert isinstance(app, QApplication)

    class Steps:
        def __init__(self, app: QApplication, scratch: Path) -> None:
            self.app = app
            self.scratch = scratch

    steps = Steps(app, scratch)
    k = Keys()
    window = MainWindow(rehearsal=True, environment=environment)  # type: ignore[arg-type]
    window.show()
    window.activateWindow()
    wait(lambda: QApplication.activeWindow() is window and window.env is not None)
    wizard = window.start_ceremony("genesis")
    assert wizard is not None
    while not isinstance(wizard.page, VerifySharesPage):
        act(steps, wizard, [])
        if isinstance(wizard.page, DetailsPage):
            wizard.page.custodians.setPlainText(GENESIS_CUSTODIANS)
            wizard.page.threshold.setValue(3)
        finish_page(steps, wizard, [])
        wait(lambda: not wizard.page.busy())
        if not wizard.next_button.isEnabled():
            raise RuntimeError(f"the genesis stopped at {wizard.step_title()}")
        wizard.next()
    page = wizard.page
    shares = list(wizard.context.shares)
    assert len(shares) == 5 and wizard.context.threshold == 3
    wait(lambda: page.entry.isEnabled())
    for n, share in enumerate(shares, start=1):
        if k.focus() is not page.entry.grid.cells[0]:
            k.click(page.entry.grid.cells[0], "read-back: putting the keyboard on word 1")
        for word in share.split():
            k.type(word[:4], "read-back: words")
        k.press(Qt.Key.Key_Return, "read-back: Enter to check")
        wait(lambda n=n: len(wizard.context.verified) == n)  # type: ignore[misc]
    assert page.is_complete(), page.result.text()
    result = dict(k.counts)
    result["shares read back"] = len(shares)
    wizard.cancel()
    window.close()
    return result


GENESIS_REQUEST_VERSION = "2025-1"


def _genesis_details(k: Keys, window: Any) -> Any:
    """From the home screen through the details and roles, typed as an administrator would."""
    window.home.buttons["genesis"].setFocus()
    k.press(Qt.Key.Key_1, "navigation", alt=True)  # "1  New platform key"
    wait(lambda: window.wizard is not None)
    wizard = window.wizard
    page = wizard.page
    wait(lambda: k.focus() is page.organisation)
    k.type("Example Health Ltd", "details")
    k.press(Qt.Key.Key_Tab, "details")
    k.type(GENESIS_REQUEST_VERSION, "details")
    k.press(Qt.Key.Key_Tab, "details")  # past "Named groups"
    k.press(Qt.Key.Key_Tab, "details")
    for n, line in enumerate(GENESIS_CUSTODIANS.splitlines()):
        if n:
            k.press(Qt.Key.Key_Return, "details")  # a new line in the custodian list
        k.type(line, "details")
    k.press(Qt.Key.Key_Tab, "details")
    k.press(Qt.Key.Key_Up, "details")  # threshold 2 -> 3
    k.press(Qt.Key.Key_Tab, "details")
    k.type("Wendy Ng", "details")  # the witness
    assert page.threshold.value() == 3 and page.witness.text() == "Wendy Ng", page.problem.text()
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 1)
    k.type("Ada Admin", "roles")  # the witness named in the details is already listed
    k.press(Qt.Key.Key_N, "navigation", alt=True)
    wait(lambda: wizard.index == 2)
    wait(lambda: wizard.next_button.isEnabled())
    k.press(Qt.Key.Key_Return, "navigation")  # the computer check passed
    wait(lambda: wizard.index == 3)
    return wizard


def _genesis_request(k: Keys, wizard: Any) -> None:
    """The install request typed from the Vault side's screen; check words; the key made."""
    from ceremony import gap

    request, private = gap.new_request(
        "install", {}, GENESIS_REQUEST_VERSION, timedelta(hours=3), rehearsal=True
    )
    private.wipe()
    k.type(request.typed_code(), "request code")
    wait(lambda: wizard.next_button.isEnabled())
    k.press(Qt.Key.Key_N, "navigation", alt=True)  # the code box keeps Enter for itself
    wait(lambda: wizard.index == 4)
    k.press(Qt.Key.Key_Space, "confirmations")  # "the Vault operator read the same words"
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 5)
    k.press(Qt.Key.Key_N, "navigation", alt=True)  # no extra randomness (its field takes Enter)
    wait(lambda: wizard.index == 6)
    k.press(Qt.Key.Key_Return, "navigation")  # the summary: make the key
    wait(lambda: wizard.index == 7 and wizard.next_button.isEnabled())
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 8)


def _genesis_print(k: Keys, wizard: Any) -> None:
    """Each sheet printed (Alt+P) and found complete and legible (Alt+Y)."""
    page = wizard.page
    wait(lambda: not page.busy())
    if page.printer.current() is None:
        raise RuntimeError("no print queue: run scripts/start-cups.sh (a cups-pdf queue)")
    for index in range(1, 6):
        wait(lambda: page.print_button.isEnabled())
        k.press(Qt.Key.Key_P, "printing", alt=True)
        wait(lambda index=index: page.awaiting == index, 120)  # type: ignore[misc]
        k.press(Qt.Key.Key_Y, "printing", alt=True)
        wait(lambda index=index: index in wizard.context.printed)  # type: ignore[misc]
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 9)


def _genesis_read_back(k: Keys, wizard: Any) -> None:
    page = wizard.page
    wait(lambda: page.entry.isEnabled())
    for n, share in enumerate(list(wizard.context.shares), start=1):
        if k.focus() is not page.entry.grid.cells[0]:
            k.click(page.entry.grid.cells[0], "read-back: putting the keyboard on word 1")
        for word in share.split():
            k.type(word[:4], "read-back: words")
        k.press(Qt.Key.Key_Return, "read-back: Enter to check")
        wait(lambda n=n: len(wizard.context.verified) == n)  # type: ignore[misc]
    k.counts["shares read back"] = len(wizard.context.verified)
    k.press(Qt.Key.Key_Return, "navigation")
    wait(lambda: wizard.index == 10)


def genesis_keys(environment: Environment) -> dict[str, int]:
    """A rehearsal genesis 3-of-5 by keyboard, launch to sealed answer: details, roles, the
    request code typed, the key made, five sheets printed (a cups-pdf queue) and typed back,
    each into its bag. Keys by purpose; the read-back rows as in ``genesis_readback_keys``."""
    from ui.main_window import MainWindow
    from ui.pages.bundle_page import BundlePage

    k = Keys()
    window = MainWindow(rehearsal=True, environment=environment)  # type: ignore[arg-type]
    window.show()
    window.activateWindow()
    wait(lambda: QApplication.activeWindow() is window and window.env is not None)
    wizard = _genesis_details(k, window)
    _genesis_request(k, wizard)
    _genesis_print(k, wizard)
    _genesis_read_back(k, wizard)
    for n in range(5):  # each sheet into its bag: the serial
        if n:
            k.press(Qt.Key.Key_Tab, "bags")
        k.type(f"TE-{100201 + n}", "bags")
    k.press(Qt.Key.Key_Return, "navigation")
    assert isinstance(wizard.page, BundlePage), wizard.step_title()
    wait(lambda: wizard.context.bundle is not None)
    result = dict(k.counts)
    wizard.cancel()
    window.close()
    return result
