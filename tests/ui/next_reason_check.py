"""Run in a child process on a real X server with no window manager, the window sized to the
screen: every page of every wizard (genesis, recovery with a recover-escrow and with an adopt
request, drill, re-share, check one share), and on each page every state that holds Next back
(working, nothing typed yet, each refusal the page makes). One line per state: ``OK`` or
``BAD``, then what Next said and, for ``BAD``, what is wrong (tests/ui/next_reason.py).

``python -m tests.ui.next_reason_check`` (DISPLAY and QT_SCALE_FACTOR come from the caller).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from tests.ui.next_reason import laid_out, reason_problems

WALKS = ("genesis", "recovery", "adopt", "drill", "reshare", "verify")
# (state, what makes it, words the reason must hold)
State = tuple[str, Callable[[Any, list[str]], None], str]


def _details(page: Any, _old: list[str]) -> None:
    page.custodians.setPlainText("Ann Lee, CFO\nBen Okafor, CTO")
    page.threshold.setValue(3)


def _roles(admin: str, witnesses: str) -> Callable[[Any, list[str]], None]:
    def fill(page: Any, _old: list[str]) -> None:
        page.administrator.setText(admin)
        page.witnesses.setPlainText(witnesses)

    return fill


def _other_version(page: Any, _old: list[str]) -> None:
    """An install request for key version v1 (a genesis here says 2025-1; others answer no
    install at all): refused either way, in the longest words a request page says."""
    from ceremony import gap

    request, private = gap.new_request("install", {}, "v1", timedelta(hours=3), rehearsal=True)
    private.wipe()
    page.code.setPlainText(request.qr_payload())


def _awaiting(page: Any, _old: list[str]) -> None:
    index = page.current()
    page.where[index] = "printed on Office-Laser"  # as after a job; nothing is printed here
    page.awaiting = index
    page._render()


def _not_awaiting(page: Any, _old: list[str]) -> None:
    page.awaiting = None
    page._render()


def _bags_twice(page: Any, _old: list[str]) -> None:
    for *_, field in page.rows:
        field.setText("TE-100")


def _confirm(names: bool, witness: str) -> Callable[[Any, list[str]], None]:
    def fill(page: Any, _old: list[str]) -> None:
        for n, (name, tick) in enumerate(page.rows):
            name.setText(["Ann Lee", "Ben Okafor", "Cat Silva"][n % 3] if names else "")
            tick.setChecked(bool(witness))
        page.witness.setText(witness if witness != "-" else "")

    return fill


def _mismatch(page: Any, _old: list[str]) -> None:
    page.typed.setText("0000-0000-0000")


def _half_share(page: Any, old: list[str]) -> None:
    page.holder.setText("Ann Lee")
    page.entry.set_text(" ".join(old[0].split()[:20]))


def _states(page: Any) -> list[State]:
    """The states of ``page`` that hold Next back, beyond the one it opens in."""
    from ui.pages import (
        bags_page,
        confirm_page,
        details_page,
        fingerprint_page,
        print_sheets_page,
        request_page,
        roles_page,
        verify_share_page,
    )

    kinds: dict[type, list[State]] = {
        details_page.DetailsPage: [("too few custodians", _details, "")],
        roles_page.RolesPage: [
            ("administrator as witness", _roles("Wendy Ng", "Wendy Ng"), "cannot be a witness"),
            ("no witness", _roles("Ada Admin", ""), "at least one witness"),
            ("no administrator", _roles("", "Wendy Ng"), "administrator's name"),
        ],
        request_page.RequestPage: [
            ("unreadable code", lambda p, _o: p.code.setPlainText("HELLO-WORLD"), ""),
            ("a request for key version v1", _other_version, "request is for"),
            ("code cleared", lambda p, _o: p.code.setPlainText(""), "request from the Vault"),
        ],
        print_sheets_page.PrintSheetsPage: [
            ("sheet out, not yet confirmed", _awaiting, "complete and legible"),
            ("sheet confirmed or not", _not_awaiting, "still to print"),
        ],
        bags_page.SealBagsPage: [("one bag twice", _bags_twice, "typed twice")],
        bags_page.ExpectedBagsPage: [
            ("unreadable line", lambda p, _o: p.lines.setPlainText("nonsense"), ""),
            ("lines cleared", lambda p, _o: p.lines.setPlainText(""), "bag serials"),
        ],
        fingerprint_page.FingerprintPage: [
            (
                "fingerprint mismatch",
                lambda p, _o: p.typed.setText("0000-0000-0000"),
                "does not match",
            ),
            ("retyping", lambda p, _o: p.retype(), "12-character"),
        ],
        confirm_page.ConfirmPage: [
            ("names, nobody agreed", _confirm(True, ""), "Still to tick"),
            ("agreed, no witness", _confirm(True, "-"), "witness's name"),
            ("no names", _confirm(False, "Wendy Ng"), "names are missing"),
        ],
        verify_share_page.VerifySharePage: [
            ("share half typed", _half_share, "Type your share"),
        ],
    }
    return kinds.get(type(page), [])


def say(kind: str, wizard: Any, state: str, words: str = "") -> int:
    """Print one line for this state; return 1 when something is wrong."""
    laid_out()
    found = reason_problems(wizard)
    if words and not wizard.next_button.isEnabled() and words not in wizard.waiting.text():
        found.append(f"expected the reason to say {words!r}")
    shown = "Next enabled" if wizard.next_button.isEnabled() else repr(wizard.waiting.text())
    print(f"{'BAD' if found else 'OK '} {kind}: {wizard.step_title()} ({state}) {shown} "
          f"{' | '.join(found)}", flush=True)  # fmt: skip
    return int(bool(found))


def _act(walker: Any, wizard: Any, old: list[str], kind: str) -> None:
    from testkit.tour_steps import act
    from ui.pages.request_page import RequestPage

    if kind == "adopt" and isinstance(wizard.page, RequestPage):
        wizard.page.use_practice_request("adopt")
        return
    act(walker, wizard, old)


def walk(app: QApplication, walker: Any, kind: str, old: list[str]) -> int:
    from testkit.tour_steps import finish_page, wait_until
    from tests.ui.conftest import report
    from ui.main_window import MainWindow

    window = MainWindow(rehearsal=True, environment=lambda r: report(r, False))
    window.setGeometry(app.primaryScreen().availableGeometry())  # the whole screen
    window.show()
    wait_until(app, lambda: window.env is not None)
    wizard = window.start_ceremony("recovery" if kind == "adopt" else kind)
    assert wizard is not None
    bad = 0
    for _ in range(len(wizard.pages)):
        if wizard.page.busy():
            bad += say(kind, wizard, "working")  # a worker runs: its result has not come in
        wait_until(app, partial(_idle, wizard))
        bad += say(kind, wizard, "opened")
        for state, make, words in _states(wizard.page):
            make(wizard.page, old)
            wait_until(app, partial(_idle, wizard))
            bad += say(kind, wizard, state, words)
        _act(walker, wizard, old, kind)
        wait_until(app, partial(_idle, wizard))
        bad += say(kind, wizard, "filled")
        finish_page(walker, wizard, old)
        wait_until(app, partial(_idle, wizard))
        if wizard.index == len(wizard.pages) - 1 or not wizard.next_button.isEnabled():
            bad += say(kind, wizard, "done")
            break
        wizard.next()
    reached = wizard.index == len(wizard.pages) - 1
    print(f"{'OK ' if reached else 'BAD'} {kind}: reached {wizard.step_title()}", flush=True)
    wizard.cancel()
    window.close()
    return bad + (not reached)


def _idle(wizard: Any) -> bool:
    return not wizard.page.busy()


def environment_refused(app: QApplication) -> int:
    """A real ceremony whose computer check finds a network come up after the home screen."""
    from testkit.tour_steps import wait_until
    from tests.ui.conftest import report
    from ui.main_window import MainWindow
    from ui.pages.environment_page import EnvironmentPage

    checks: list[bool] = []

    def provider(rehearsal: bool) -> Any:
        checks.append(rehearsal)
        return report(rehearsal, network_up=len(checks) > 1)

    window = MainWindow(rehearsal=False, environment=provider)
    window.setGeometry(app.primaryScreen().availableGeometry())
    window.show()
    wait_until(app, lambda: window.env is not None)
    wizard = window.start_ceremony("drill")
    assert wizard is not None and isinstance(wizard.page, EnvironmentPage)
    bad = say("drill (real, network up)", wizard, "working") if wizard.page.busy() else 0
    wait_until(app, partial(_idle, wizard))
    bad += say("drill (real, network up)", wizard, "refused", "Put it right")
    wizard.cancel()
    window.close()
    return bad


def main() -> int:
    from tests.ui.walker import Walker, shares_to_enter

    app = QApplication(sys.argv[:1])
    old = shares_to_enter()
    bad = environment_refused(app)
    with tempfile.TemporaryDirectory() as scratch:
        walker = Walker(app, Path(scratch))
        for kind in WALKS:
            bad += walk(app, walker, kind, old)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
