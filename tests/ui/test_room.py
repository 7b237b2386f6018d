"""The ceremony room: keys that cannot lose a ceremony, proof the answer got out, paper checked.

Everything is driven with real key events on real widgets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from ceremony import keys
from ceremony.shares import combine, locate_wrong_word, split
from testkit.tour_steps import act, finish_page
from tests.sharesets import make_set
from tests.ui.driver import (
    TIMEOUT_MS,
    Tour,
    advance_to,
    cancel_and_wipe,
    click,
    focus_of,
    idle,
    open_window,
    start,
    type_share,
)
from tests.ui.requests import answerable
from tests.ui.test_cancel import STEPS
from ui.pages.bundle_page import BundlePage
from ui.pages.collect_shares_page import CollectSharesPage
from ui.pages.print_sheets_page import PrintSheetsPage
from ui.pages.request_page import RequestPage
from ui.widgets.printer_choice import FILE_QUEUE_NOTE, PrinterChoice, Queue, find_queues
from ui.widgets.share_entry import ShareEntry
from ui.wizard import Wizard

NAME = "Ann Lee, CFO and Ben O'Neil"


def _old_shares() -> list[str]:
    with keys.new_component() as component:
        return split(component, 3, 4)


@pytest.mark.parametrize("kind", list(STEPS))
def test_typing_names_on_every_page_never_cancels(
    qtbot: Any, qapp: Any, air_gapped: Any, kind: str, tmp_path: Path
) -> None:
    old = _old_shares()
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, kind)
    tour = Tour(qapp, tmp_path)
    for _ in range(STEPS[kind]):
        idle(qtbot, wizard)
        where = focus_of(window)
        assert where is not wizard.cancel_button, wizard.step_title()
        assert not where.property("destructive"), wizard.step_title()
        title = wizard.step_title()
        qtbot.keyClicks(where, NAME)  # spaces included: a focused button would be pressed
        qtbot.keyClick(focus_of(window), Qt.Key.Key_Space)
        assert not wizard.closed and not wizard.cancel_bar.isVisible(), title
        assert wizard.step_title() == title  # typing moved nothing on
        act(tour, wizard, old)
        finish_page(tour, wizard, old)
        idle(qtbot, wizard)
        if wizard.index == len(wizard.pages) - 1:
            break
        assert wizard.next_button.isEnabled(), title
        click(qtbot, wizard.next_button)
    assert not wizard.closed
    cancel_and_wipe(qtbot, wizard)
    assert wizard.closed


def test_cancel_needs_the_word_typed_and_escape_keeps_going(qtbot: Any, air_gapped: Any) -> None:
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "genesis")
    assert wizard.cancel_button.focusPolicy() == Qt.FocusPolicy.NoFocus
    click(qtbot, wizard.cancel_button)
    assert focus_of(window) is wizard.confirm_field
    assert not wizard.confirm_cancel_button.isEnabled()
    qtbot.keyClicks(wizard.confirm_field, "yes ")
    qtbot.keyClick(wizard.confirm_field, Qt.Key.Key_Return)
    assert not wizard.closed and not wizard.confirm_cancel_button.isEnabled()
    qtbot.keyClick(wizard.confirm_field, Qt.Key.Key_Escape)
    assert not wizard.cancel_bar.isVisible() and not wizard.closed
    click(qtbot, wizard.cancel_button)
    qtbot.keyClicks(wizard.confirm_field, "wipe")
    qtbot.keyClick(wizard.confirm_field, Qt.Key.Key_Return)
    assert wizard.closed


def test_enter_presses_next_where_no_field_takes_it(qtbot: Any, air_gapped: Any) -> None:
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "genesis")
    page: Any = wizard.page
    assert focus_of(window) is page.organisation  # the first field, not a button
    qtbot.keyClicks(page.organisation, "Example Health Ltd")
    qtbot.keyClicks(page.key_version, "2025-1")
    page.custodians.setPlainText("Ann, CFO\nBen, CTO\nCat, Legal")
    qtbot.keyClick(page.custodians, Qt.Key.Key_Return)  # a text area keeps its Enter
    assert wizard.index == 0
    qtbot.keyClicks(page.witness, "Wendy Ng")
    qtbot.keyClick(page.witness, Qt.Key.Key_Return)
    assert wizard.index == 1, page.problem.text()


def _type_and_add(qtbot: Any, page: CollectSharesPage, name: str, share: str) -> int:
    qtbot.keyClicks(page.holder, name)
    qtbot.keyClick(page.holder, Qt.Key.Key_Return)  # on to the words
    assert focus_of(page) is page.entry.grid.cells[0]
    typed = type_share(qtbot, page.entry, share)
    qtbot.keyClick(focus_of(page), Qt.Key.Key_Return)  # Enter adds the share
    return typed


def _collect_page(qtbot: Any, wizard: Wizard, tmp_path: Path, qapp: Any) -> CollectSharesPage:
    return advance_to(qtbot, wizard, Tour(qapp, tmp_path), [], CollectSharesPage)


def _real_collect_page(
    qtbot: Any, wizard: Wizard, tmp_path: Path, qapp: Any, shares: list[str]
) -> CollectSharesPage:
    """A real drill: a production Vault's request typed in (a real room refuses a practice one)."""
    tour = Tour(qapp, tmp_path)
    page = advance_to(qtbot, wizard, tour, [], RequestPage)
    with combine(shares[:3]) as component:
        page.code.setPlainText(answerable("verify", component)(None).qr_payload())
    assert wizard.context.request is not None, page.message.text()
    click(qtbot, wizard.next_button)
    return advance_to(qtbot, wizard, tour, [], CollectSharesPage)


def test_undo_after_a_custodian_change_restores_nothing(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path
) -> None:
    shares = _old_shares()
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "drill")
    page = _collect_page(qtbot, wizard, tmp_path, qapp)
    _type_and_add(qtbot, page, "Ann Lee", shares[0])
    assert wizard.context.share_holders == {1: "Ann Lee"}
    assert page.entry.text() == "" and page.holder.text() == ""
    for cell in page.entry.grid.cells:
        qtbot.keyClick(cell, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(cell, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.holder, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.entry.text() == "" and page.holder.text() == ""
    assert all(cell.text() == "" for cell in page.entry.grid.cells)
    cancel_and_wipe(qtbot, wizard)


def test_a_refused_share_stays_and_needs_no_retyping(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path
) -> None:
    _, shares = make_set(3, 4, seed=18)  # fixed: a random word may be one the messages use
    window = open_window(qtbot, air_gapped, rehearsal=False)
    wizard = start(qtbot, window, "drill")
    page = _real_collect_page(qtbot, wizard, tmp_path, qapp, shares)
    assert page.entry.privacy.isChecked()  # a real ceremony hides the words by default
    assert page.entry.locator is locate_wrong_word
    words = shares[1].split()
    right = words[17]
    words[17] = "acid" if right != "acid" else "acne"
    qtbot.keyClicks(page.holder, "Ben")
    page.entry.grid.focus_cell(0)
    for word in words:
        qtbot.keyClicks(focus_of(page), word[:4])
    qtbot.keyClick(focus_of(page), Qt.Key.Key_Return)
    assert page.state().indices == ()
    assert page.entry.text() == " ".join(words)  # still there
    assert page.entry.grid.suspect() == 17
    assert "word 18" in page.entry.status.text()
    said = page.entry.status.text() + " " + page.message.text()
    assert f"'{right}'" not in said and "Did you mean" not in said  # no word proposed
    assert right not in said, said
    assert focus_of(page) is page.entry.grid.cells[17]
    qtbot.keyClicks(focus_of(page), right[:4])  # 4 keys fix it
    qtbot.keyClick(focus_of(page), Qt.Key.Key_Return)
    assert page.state().indices == (2,), page.message.text()
    cancel_and_wipe(qtbot, wizard)


@pytest.mark.parametrize("position", [0, 17, 30, 58])
def test_a_wrong_word_is_located_and_corrected(qtbot: Any, position: int) -> None:
    """The entry uses the core's one locator (``ceremony.shares.locate_wrong_word``)."""
    share = _old_shares()[0]
    words = share.split()
    right = words[position]
    words[position] = "acid" if right != "acid" else "acne"
    entry = ShareEntry(camera=False)
    assert entry.locator is locate_wrong_word
    qtbot.addWidget(entry)
    entry.show()
    entry.privacy.setChecked(False)  # nobody else sees the screen: the proposal may be shown
    entry.set_text(" ".join(words))
    assert entry.grid.suspect() == position
    assert entry.proposal == (position, right)
    assert f"It may be '{right}'" in entry.status.text()
    entry.mark_refused()
    qtbot.keyClicks(focus_of(entry), right[:4])
    assert entry.info() is not None and entry.text() == share


def test_a_file_backed_queue_is_refused_in_a_real_ceremony() -> None:
    queues = [Queue("Office-Laser", True, False), Queue("PDF", True, True)]
    real = PrinterChoice(rehearsal=False, finder=lambda: queues)
    real._found(queues)
    assert real.combo.itemText(1) == f"PDF — {FILE_QUEUE_NOTE}"
    assert real.select("PDF") and real.refusal() is not None
    assert "saves to disk" in real.note.text()
    assert real.select("Office-Laser") and real.refusal() is None
    rehearsal = PrinterChoice(rehearsal=True, finder=lambda: queues)
    rehearsal._found(queues)
    assert rehearsal.select("PDF") and rehearsal.refusal() is None


def test_the_cups_pdf_queue_is_seen_as_saving_to_disk(
    qtbot: Any, air_gapped: Any, cups: None
) -> None:
    found = {q.name: q for q in find_queues()}
    assert found["PDF"].to_disk
    window = open_window(qtbot, air_gapped, rehearsal=False)
    wizard = start(qtbot, window, "genesis")
    page = PrintSheetsPage(wizard.context)
    qtbot.addWidget(page)
    wizard.context.custodians = []
    page.printer.load()
    qtbot.waitUntil(lambda: not page.printer.busy(), timeout=TIMEOUT_MS)
    assert page.printer.select("PDF")
    assert "not a printer" in page.printer.note.text()
    assert page.printer.refusal() is not None
    cancel_and_wipe(qtbot, wizard)


def test_finish_waits_for_the_answer_to_be_read_back_or_scanned(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path
) -> None:
    old = _old_shares()
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "drill")
    page = advance_to(qtbot, wizard, Tour(qapp, tmp_path), old, BundlePage)
    bundle = wizard.context.bundle
    assert bundle is not None and not wizard.next_button.isEnabled()
    wrong = "0" * 8 if not page.digest.startswith("0" * 8) else "1" * 8
    qtbot.keyClicks(page.scanned, wrong)
    assert not wizard.next_button.isEnabled() and "not this answer" in page.proof.text()
    page.scanned.clear()
    qtbot.keyClicks(page.scanned, page.digest[:8])
    assert page.verified == "QR scanned by the Vault side"
    # The answer went by QR code: its signed transcript still has to be saved somewhere.
    assert not wizard.next_button.isEnabled() and "save the signed transcript" in page.proof.text()
    assert page.transcript_button.isEnabled()
    page.save_transcript_to(tmp_path / "drill-transcript.json")
    assert (tmp_path / "drill-transcript.json").read_bytes() == wizard.context.transcript
    assert wizard.next_button.isEnabled() and not page.transcript_button.isEnabled()
    cancel_and_wipe(qtbot, wizard)


def test_a_file_that_does_not_read_back_is_not_enough(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _old_shares()
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "drill")
    page = advance_to(qtbot, wizard, Tour(qapp, tmp_path), old, BundlePage)
    # A drive that drops writes: the bytes on disk are not what was written.
    monkeypatch.setattr(
        "ui.pages.bundle_page.create_private_file",
        lambda path, data: Path(path).write_bytes(bytes(data[:-1])),
    )
    page.save_to(tmp_path / "answer.bundle")
    assert not wizard.next_button.isEnabled() and "does not read back" in page.proof.text()
    cancel_and_wipe(qtbot, wizard)


def test_no_button_in_a_page_is_a_focus_trap(qtbot: Any, air_gapped: Any) -> None:
    """Destructive buttons are marked, so the focus never lands on them by itself."""
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "recovery")
    for page in wizard.pages:
        for button in page.findChildren(QAbstractButton):
            if "again with no" in button.text():
                assert button.property("destructive")
    cancel_and_wipe(qtbot, wizard)
