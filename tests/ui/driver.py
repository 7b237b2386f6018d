"""Driving the app like a person: clicks and typing through qtbot."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QWidget

from ui.main_window import MainWindow
from ui.wizard import Wizard
from ui.workers import busy

TIMEOUT_MS = 30_000
PageT = TypeVar("PageT")


class Tour:
    """What the tour's page actions (testkit.tour_steps) need: the app and a scratch folder."""

    def __init__(self, app: Any, scratch: Any) -> None:
        self.app = app
        self.scratch = scratch


def advance_to(qtbot: Any, wizard: Wizard, tour: Tour, shares: list[str],
               page_type: type[PageT]) -> PageT:  # fmt: skip
    """Do what each page asks (the tour's steps, with ``shares`` where shares are typed) and
    press Next until the wizard shows a ``page_type`` page; return it, idle."""
    from testkit.tour_steps import act, finish_page

    while not isinstance(wizard.page, page_type):
        act(tour, wizard, shares)
        finish_page(tour, wizard, shares)
        idle(qtbot, wizard)
        click(qtbot, wizard.next_button)
    idle(qtbot, wizard)
    return wizard.page


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
    """Next, and the page expected. The evidence pages (roles, bags) a test does not name
    are filled with plain defaults and passed (tests/ui/test_evidence_flow.py drives them)."""
    idle(qtbot, wizard)
    before = wizard.index
    click(qtbot, wizard.next_button)
    if wizard.closed:
        return
    assert wizard.index == before + 1
    if expect is not None and expect not in wizard.step_title() and pass_evidence_page(wizard):
        next_page(qtbot, wizard, expect)
        return
    if expect is not None:
        assert expect in wizard.step_title()


def pass_evidence_page(wizard: Wizard) -> bool:
    """Fill a roles or bags page with defaults; False if the page is none of them."""
    from ui.pages.bags_page import ExpectedBagsPage, SealBagsPage
    from ui.pages.roles_page import RolesPage

    page = wizard.page
    if isinstance(page, RolesPage):
        if not page.administrator.text():
            page.administrator.setText("Ada Admin")
        if not page.witnesses.toPlainText().strip():
            page.witnesses.setPlainText("Wendy Ng")
    elif isinstance(page, ExpectedBagsPage):
        page.no_bags.setChecked(True)
    elif isinstance(page, SealBagsPage):
        for share, _holder, field in page.rows:
            field.setText(f"BAG-{share}")
    else:
        return False
    return True


def focus_of(widget: QWidget) -> QWidget:
    """What has the keyboard in ``widget``'s window (an offscreen window is never active)."""
    found = widget.window().focusWidget()
    assert found is not None, "nothing has the focus"
    return found


def type_share(qtbot: Any, entry: Any, share: str) -> int:
    """Type a share into a ShareEntry as custodians do: four letters a word, nothing else.

    Each keystroke goes to whatever has the focus, so the grid must move it on by itself.
    Returns the number of keys pressed.
    """
    keys = 0
    if entry.is_legacy():
        qtbot.keyClicks(entry.field, share)
        return len(share)
    entry.grid.focus_cell(0)
    for word in share.split():
        qtbot.keyClicks(focus_of(entry), word[:4])
        keys += len(word[:4])
    return keys


def cancel_and_wipe(qtbot: Any, wizard: Wizard) -> None:
    """Cancel a ceremony the only way there is: the button, then the word typed, then confirm."""
    click(qtbot, wizard.cancel_button)
    assert wizard.cancel_bar.isVisible()
    qtbot.keyClicks(wizard.confirm_field, "wipe")
    click(qtbot, wizard.confirm_cancel_button)


def type_fingerprint(qtbot: Any, wizard: Wizard, fingerprint: str) -> None:
    """Type the fingerprint as read from a sheet once the shares have rebuilt the key."""
    page: Any = wizard.page
    qtbot.waitUntil(page.typed.isEnabled, timeout=60_000)
    qtbot.keyClicks(page.typed, fingerprint.replace("-", ""))
