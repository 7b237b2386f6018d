"""What the screenshot tour does on each page: the actions a rehearsing custodian would take."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtWidgets import QApplication, QWidget

from ceremony import keys
from ceremony.shares import split
from ui.pages.bags_page import ExpectedBagsPage, SealBagsPage
from ui.pages.base import Page
from ui.pages.bundle_page import BundlePage
from ui.pages.collect_shares_page import CollectSharesPage
from ui.pages.confirm_page import ConfirmPage
from ui.pages.details_page import DetailsPage
from ui.pages.entropy_page import EntropyPage
from ui.pages.fingerprint_page import FingerprintPage
from ui.pages.generate_page import GeneratePage
from ui.pages.operation_page import OperationPage
from ui.pages.print_sheets_page import PrintSheetsPage
from ui.pages.record_page import RecordPage
from ui.pages.request_page import RequestPage
from ui.pages.review_page import ReviewPage
from ui.pages.roles_page import RolesPage
from ui.pages.verify_share_page import VerifySharePage
from ui.pages.verify_shares_page import VerifySharesPage
from ui.wizard import Wizard

__all__ = ["Steps", "Walker", "act", "finish_page", "wait_until", "walk", "walk_all"]

WAIT_S = 60.0


class Steps(Protocol):
    """What a page's steps need: the application and a scratch folder for saved files."""

    app: QApplication
    scratch: Path


class Walker(Steps, Protocol):
    """What a whole walk needs besides: a window to open and a camera for each page."""

    def shot(self, widget: QWidget, name: str) -> None: ...

    def window(self) -> Any: ...


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    """Run the event loop until ``condition`` holds; False when ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    return True


def _idle(tour: Steps, page: Page) -> None:
    from ui.workers import busy

    wait_until(tour.app, lambda: not page.busy() and not busy())


def act(tour: Steps, wizard: Wizard, old_shares: list[str]) -> None:
    """Fill the current page as a custodian would; screenshots are taken by the caller."""
    page = wizard.page
    if isinstance(page, DetailsPage):
        page.organisation.setText("Example Health Ltd")
        page.key_version.setText("2025-1")
        page.custodians.setPlainText(CUSTODIANS_TEXT)
        page.threshold.setValue(3)
        page.witness.setText("Wendy Ng")
    elif isinstance(page, RolesPage):
        page.administrator.setText("Ada Admin")
        page.witnesses.setPlainText("Wendy Ng\nWalt Ito")
    elif isinstance(page, SealBagsPage):
        for n, (_, _, field) in enumerate(page.rows, start=1):
            field.setText(f"TE-{100200 + n}")
    elif isinstance(page, ExpectedBagsPage):
        page.no_bags.setChecked(True)  # the tour's old set was made before bags were used
    elif isinstance(page, RequestPage):
        page.use_practice_request()
    elif isinstance(page, EntropyPage):
        page.field.setText("3 6 1 4 4 2 5 6 1 1 3")
        page.add()
    elif isinstance(page, GeneratePage):
        page.generate()
    elif isinstance(page, CollectSharesPage):
        for share in old_shares[:2]:
            page.entry.set_text(share)
            page.add_share()
        page.entry.set_text(_mistyped(old_shares[2]))  # shows how a refusal looks
        page.add_share()
    elif isinstance(page, VerifySharePage):
        page.holder.setText("Ann Lee")
        page.entry.privacy.setChecked(False)
        page.entry.set_text(old_shares[0])
    _idle(tour, page)


def _mistyped(share: str) -> str:
    """The share with one word swapped for another list word: its checksum fails."""
    words = share.split()
    words[20] = "acid" if words[20] != "acid" else "acne"
    return " ".join(words)


def finish_page(tour: Steps, wizard: Wizard, old_shares: list[str]) -> None:
    """After the screenshot: what makes Next possible."""
    page = wizard.page
    c = wizard.context
    if isinstance(page, OperationPage):
        page.match.setChecked(True)
    elif isinstance(page, CollectSharesPage):
        page.entry.set_text(old_shares[2])
        page.add_share()
    elif isinstance(page, FingerprintPage):
        page.typed.setText(c.fingerprints.get("custodian", ""))
    elif isinstance(page, ReviewPage):
        page.approve.setChecked(True)
    elif isinstance(page, ConfirmPage):
        for n, (name, tick) in enumerate(page.rows):
            name.setText(["Ann Lee", "Ben Okafor", "Cat Silva"][n % 3])
            tick.setChecked(True)
        page.witness.setText("Wendy Ng")
    elif isinstance(page, PrintSheetsPage):
        for index in range(1, len(c.custodians) + 1):
            page.save_to(tour.scratch / f"{c.ceremony_id}-sheet-{index}.pdf")
            _idle(tour, page)
    elif isinstance(page, VerifySharesPage):
        for index in range(1, len(c.shares) + 1):
            page.entry.set_text(c.share_text(index))
            page.check()
    elif isinstance(page, BundlePage):
        page.save_to(tour.scratch / f"{c.ceremony_id}.bundle")
    elif isinstance(page, RecordPage):
        page.save_to(tour.scratch / f"{c.ceremony_id}-record.pdf")
    _idle(tour, page)


def walk(tour: Walker, kind: str, old_shares: list[str]) -> None:
    window: Any = tour.window()
    wizard = window.start_ceremony(kind)
    assert wizard is not None
    for _ in range(len(wizard.pages)):
        act(tour, wizard, old_shares)
        if isinstance(wizard.page, VerifySharesPage):  # show a sheet being typed in
            c = wizard.context
            words = c.share_text(1).split()
            wizard.page.entry.set_text(" ".join(w[:4] for w in words[:23]) + " acad")
        tour.shot(window, f"{kind} {wizard.step_title()}")
        _extra_shots(tour, window, wizard, kind)
        finish_page(tour, wizard, old_shares)
        if wizard.closed:
            break
        if wizard.next_button.isEnabled():
            wizard.next()
        elif wizard.index < len(wizard.pages) - 1:  # a core part missing: show the next page
            print(f"tour: {kind}: '{wizard.page.title}' could not complete; moving on")
            wizard._show(wizard.index + 1)
        else:
            wizard.cancel()
    window.close()


def _extra_shots(tour: Walker, window: Any, wizard: Wizard, kind: str) -> None:
    """States a walk does not reach by itself: a print to confirm, a fingerprint that differs."""
    page = wizard.page
    if isinstance(page, PrintSheetsPage) and kind == "genesis":
        page.where[1] = "printed on Office-Laser"  # as after a job; nothing is printed here
        page.awaiting = 1
        page._render()
        tour.shot(window, f"{kind} print confirmation")
        page.awaiting = None
        page._render()
    elif isinstance(page, FingerprintPage) and kind == "recovery":
        _idle(tour, page)
        page.typed.setText("0000-0000-0000")
        tour.shot(window, f"{kind} fingerprint mismatch")
        page.retype()


CUSTODIANS_TEXT = "Ann Lee, CFO\nBen Okafor, CTO\nCat Silva, Head of Security\nDan Weber, Legal"


def walk_all(tour: Walker) -> None:
    window: Any = tour.window()
    tour.shot(window, "home rehearsal")
    window.home.rehearsal.setChecked(False)
    wait_until(tour.app, lambda: window.home.recheck_button.isEnabled())
    window.start_ceremony("genesis")  # refused while a network is up, shown in place
    tour.shot(window, "home real ceremony")
    window.close()

    with keys.new_component() as component:
        old = split(component, 3, 4)
    for kind in ("genesis", "recovery", "drill", "reshare", "verify"):
        walk(tour, kind, old)
