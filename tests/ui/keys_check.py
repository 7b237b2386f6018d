"""Run in a child process on a real X server (with no window manager, as the live image runs,
or with one, as rehearsal desktops do): where the keyboard is after Tab, the glossary, file
dialogs, an accepted share and the forget question. Keys go to whatever window has the X input
focus (tests/ui/xkeys.py), never to a chosen widget.

``python -m tests.ui.keys_check MODE`` prints ``key=value`` lines; MODE is ``focus`` (a share
check: Tab, F1, dialogs), ``shares`` (a drill's shares and a genesis read-back) or ``forget``
(forgetting shares, one or all). The same runs with a window manager (tests/ui/xserver.py).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from tests.ui.xkeys import key, keys

Steps = Iterator[int]


def say(name: str, value: object) -> None:
    print(f"{name}={value}", flush=True)


def wait_for(condition: Callable[[], bool], limit: int = 3000) -> Steps:
    for _ in range(limit):
        if condition():
            return
        yield 20
    raise AssertionError("waited in vain")


def focus() -> QWidget | None:
    return QApplication.focusWidget()


def on_screen(widget: QWidget) -> bool:
    """Inside its scroll area's visible part (and so on screen), not scrolled away."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is None:
        return widget.isVisible()
    view = parent.viewport()
    top_left = widget.mapTo(view, widget.rect().topLeft())
    return view.rect().contains(QRect(top_left, widget.size()))


def owns_focus_window(widget: QWidget) -> bool:
    window = QGuiApplication.focusWindow()
    return window is not None and window is widget.window().windowHandle()


class Walker:
    def __init__(self, app: QApplication, scratch: Path) -> None:
        self.app = app
        self.scratch = scratch


def open_wizard(app: QApplication, kind: str) -> tuple[Any, Any]:
    from testkit.tour_steps import wait_until as _wait
    from tests.ui.conftest import report
    from ui.main_window import MainWindow

    window = MainWindow(rehearsal=True, environment=lambda rehearsal: report(rehearsal, False))
    window.setGeometry(app.primaryScreen().availableGeometry())
    window.show()
    _wait(app, lambda: window.env is not None)
    wizard = window.start_ceremony(kind)
    assert wizard is not None
    window.activateWindow()
    _wait(app, lambda: owns_focus_window(window), 10)
    say("window_manager", window_managed(window))
    return window, wizard


def walk_to(walker: Walker, wizard: Any, page_type: type, shares: list[str]) -> Steps:
    from testkit.tour_steps import act as _act
    from testkit.tour_steps import finish_page as _finish_page

    while not isinstance(wizard.page, page_type):
        _act(walker, wizard, shares)  # type: ignore[arg-type]
        _finish_page(walker, wizard, shares)  # type: ignore[arg-type]
        yield from wait_for(lambda: not wizard.page.busy())
        wizard.next()
        yield 20


def answer_dialog_with_escape(seen: dict[str, object], tries: int = 100) -> None:
    """When the modal dialog is up: note whether it has the keyboard, then press Esc there."""
    dialog = QApplication.activeModalWidget()
    if dialog is None:
        QTimer.singleShot(50, lambda: answer_dialog_with_escape(seen, tries))
        return
    if not owns_focus_window(dialog) and tries > 0:  # the X server hands the focus over
        QTimer.singleShot(50, lambda: answer_dialog_with_escape(seen, tries - 1))
        return
    seen["dialog_fits"] = dialog.screen().availableGeometry().contains(dialog.frameGeometry())
    seen["dialog_has_keys"] = owns_focus_window(dialog)
    if seen["dialog_has_keys"]:
        key(Qt.Key.Key_Escape)
    else:
        dialog.close()  # the keyboard would go nowhere: note it, and end the dialog


def focus_steps(app: QApplication, walker: Walker) -> Steps:
    from tests.sharesets import make_set
    from ui import dialogs
    from ui.pages.verify_share_page import VerifySharePage

    window, wizard = open_wizard(app, "verify")
    _, shares = make_set(3, 4, seed=77)
    yield from walk_to(walker, wizard, VerifySharePage, shares)
    page = wizard.page
    yield from wait_for(lambda: focus() is page.holder)

    # Tab from the name goes to word 1.
    keys("Cat Silva")
    key(Qt.Key.Key_Tab)
    say("tab_from_name_to_word_1", focus() is page.entry.grid.cells[0])
    page.holder.setFocus()

    # F1: the glossary takes the keyboard, fits the screen; Esc gives the keyboard back.
    key(Qt.Key.Key_F1)
    help_window = window.help_window
    yield from wait_for(lambda: help_window is not None and help_window.isVisible())
    yield from wait_for(lambda: owns_focus_window(help_window))
    screen = help_window.screen().availableGeometry()
    say("glossary_fits", screen.contains(help_window.frameGeometry()))
    say("glossary_height", help_window.frameGeometry().height())
    say("glossary_has_keys", focus() is help_window.text)
    keys("Acme")
    say("typing_stays_in_glossary", page.holder.text() == "Cat Silva")
    key(Qt.Key.Key_Escape)
    yield from wait_for(lambda: not help_window.isVisible())
    yield from wait_for(lambda: owns_focus_window(window))
    say("esc_closes_glossary", not help_window.isVisible())
    say("keys_back_after_esc", focus() is page.holder)
    key(Qt.Key.Key_F1)
    yield from wait_for(lambda: help_window.isVisible() and owns_focus_window(help_window))
    key(Qt.Key.Key_F1)
    yield from wait_for(lambda: not help_window.isVisible() and owns_focus_window(window))
    say("f1_closes_glossary", focus() is page.holder)
    key(Qt.Key.Key_F1)
    yield from wait_for(lambda: help_window.isVisible() and owns_focus_window(help_window))
    key(Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # its Close button
    yield from wait_for(lambda: not help_window.isVisible() and owns_focus_window(window))
    say("close_button_closes_glossary", focus() is page.holder)

    # A file dialog opened from the name field: the keyboard comes back to the field.
    seen: dict[str, object] = {}
    QTimer.singleShot(50, lambda: answer_dialog_with_escape(seen))
    chosen = dialogs.ask_save_path(page.holder, "Save", "x.pdf", "PDF (*.pdf)")
    yield 50
    say("save_dialog_had_keys", seen.get("dialog_has_keys"))
    say("save_dialog_fits", seen.get("dialog_fits"))
    say("save_dialog_answered", chosen is None)
    say("keys_back_after_save_dialog", owns_focus_window(window) and focus() is page.holder)
    keys("!")
    say("typing_after_save_dialog", page.holder.text() == "Cat Silva!")

    # The picture button (Alt+I) opens a file dialog; the keyboard comes back to it.
    before = focus()
    seen.clear()
    QTimer.singleShot(50, lambda: answer_dialog_with_escape(seen))
    key(Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    yield from wait_for(lambda: "dialog_has_keys" in seen)
    yield from wait_for(lambda: QApplication.activeModalWidget() is None)
    yield 50
    say("picture_dialog_had_keys", seen.get("dialog_has_keys"))
    say("picture_dialog_fits", seen.get("dialog_fits"))
    back = focus()
    say("keys_back_after_picture_dialog",
        owns_focus_window(window) and back in (before, page.entry.image_button))  # fmt: skip
    wizard.cancel()


def shares_steps(app: QApplication, walker: Walker) -> Steps:
    from ceremony import keys as keymod
    from ceremony.shares import split
    from ui.pages.collect_shares_page import CollectSharesPage
    from ui.pages.verify_shares_page import VerifySharesPage

    with keymod.new_component() as component:
        old = split(component, 2, 3)
    window, wizard = open_wizard(app, "drill")
    yield from walk_to(walker, wizard, CollectSharesPage, old)
    page = wizard.page
    page.holder.setFocus()
    keys("Ann Lee")
    key(Qt.Key.Key_Tab)
    say("recovery_tab_from_name_to_word_1", focus() is page.entry.grid.cells[0])
    for word in old[0].split():
        keys(word[:4])
    say("typed_up_to_word", page.entry.grid.cells.index(focus()) + 1)
    key(Qt.Key.Key_Return)
    yield 50
    say("recovery_share_accepted", page.state().indices == (1,))
    say("recovery_focus_on_next_name", focus() is page.holder)
    say("recovery_next_name_on_screen", on_screen(page.holder))
    wizard.cancel()
    window.close()

    window, wizard = open_wizard(app, "genesis")
    yield from walk_to(walker, wizard, VerifySharesPage, old)
    page = wizard.page
    yield from wait_for(lambda: focus() is page.entry.grid.cells[0])
    context = wizard.context
    for number in (1, 2):
        for word in context.share_text(number).split():
            keys(word[:4])
        key(Qt.Key.Key_Return)
        yield 50
        say(f"readback_{number}_accepted", number in context.verified)
        say(f"readback_{number}_focus_on_word_1", focus() is page.entry.grid.cells[0])
        say(f"readback_{number}_next_name_on_screen", on_screen(page.who))
        say(f"readback_{number}_word_1_on_screen", on_screen(page.entry.grid.cells[0]))
    wizard.cancel()


def forget_steps(app: QApplication, walker: Walker) -> Steps:
    """A drill's share entry: forgetting one share, or all, by keys alone; Esc keeps them."""
    from tests.sharesets import make_set
    from ui.pages.bags_page import ExpectedBagsPage
    from ui.pages.collect_shares_page import CollectSharesPage

    _, shares = make_set(2, 3, seed=5)
    window, wizard = open_wizard(app, "drill")
    yield from walk_to(walker, wizard, ExpectedBagsPage, shares)
    yield from transcript_dialog(window, wizard.page)
    yield from walk_to(walker, wizard, CollectSharesPage, shares)
    page = wizard.page
    page.holder.setFocus()
    keys("Ann Lee")
    key(Qt.Key.Key_Return)
    for word in shares[0].split():
        keys(word[:4])
    key(Qt.Key.Key_Return)
    yield from wait_for(lambda: page.state().indices == (1,) and focus() is page.holder)
    yield 50  # the new share's line and its button are shown by a queued event
    key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    button = focus()
    say("shift_tab_reaches_forget", button is not None
        and button.accessibleName() == "Forget share 1 (Ann Lee)")  # fmt: skip
    key(Qt.Key.Key_Return)
    say("forget_asks", page.question.isVisible() and focus() is page.keep_button)
    key(Qt.Key.Key_Escape)
    say("esc_keeps_one", not page.question.isVisible() and page.state().indices == (1,))
    say("keys_back_after_forget_question", owns_focus_window(window) and focus() is page.holder)

    key(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # Start again with no shares…
    yield from wait_for(page.question.isVisible)
    say("start_again_asks", focus() is page.keep_button)
    key(Qt.Key.Key_Escape)
    say("esc_keeps_all", not page.question.isVisible() and page.state().indices == (1,))
    say("keys_back_after_start_again", owns_focus_window(window) and focus() is page.holder)

    key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    key(Qt.Key.Key_Space)
    yield from wait_for(page.question.isVisible)
    key(Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    yield from wait_for(lambda: page.state().indices == ())
    say("forgotten_alone", not page.question.isVisible())
    say("keys_back_after_forgetting", owns_focus_window(window) and focus() is page.holder)
    keys("Ben")
    say("typing_after_forgetting", page.holder.text() == "Ben")
    wizard.cancel()


def transcript_dialog(window: QWidget, page: Any) -> Steps:
    """The bags page's transcript button (Alt+T) opens a file dialog; Esc; the keys come back."""
    yield from wait_for(lambda: focus() is page.lines)
    seen: dict[str, object] = {}
    QTimer.singleShot(50, lambda: answer_dialog_with_escape(seen))
    key(Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    yield from wait_for(lambda: "dialog_has_keys" in seen)
    yield from wait_for(lambda: QApplication.activeModalWidget() is None)
    yield 50
    say("transcript_dialog_had_keys", seen.get("dialog_has_keys"))
    say("transcript_dialog_fits", seen.get("dialog_fits"))
    back = focus()
    say("keys_back_after_transcript_dialog",
        owns_focus_window(window) and back in (page.lines, page.load_button))  # fmt: skip


def window_managed(window: QWidget) -> bool:
    """Whether a window manager framed the window (a title bar: the frame is larger)."""
    return window.frameGeometry().size() != window.geometry().size()


MODES = {"focus": focus_steps, "shares": shares_steps, "forget": forget_steps}


def main(mode: str) -> int:
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        walker = Walker(app, Path(scratch))
        steps = MODES[mode](app, walker)
        failure: list[BaseException] = []

        def tick() -> None:
            try:
                delay = next(steps)
            except StopIteration:
                app.quit()
                return
            except BaseException as err:  # reported to the parent test, then stop
                failure.append(err)
                app.quit()
                return
            QTimer.singleShot(delay, tick)

        QTimer.singleShot(0, tick)
        app.exec()
    if failure:
        print(f"failed={failure[0]!r}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
