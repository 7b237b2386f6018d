"""A real ceremony refuses to start while a network is up; a rehearsal starts, and says so."""

from __future__ import annotations

from typing import Any

from tests.cups_support import cups
from tests.ui.driver import click, next_page, open_window, start
from ui.pages.environment_page import EnvironmentPage

__all__ = ["cups"]  # the fixture, used by name


def test_a_real_ceremony_is_refused_while_a_network_is_up(qtbot: Any, network_up: Any) -> None:
    window = open_window(qtbot, network_up)
    assert not window.banner.isVisible()
    for kind in ("genesis", "recovery", "reshare", "drill", "verify"):
        click(qtbot, window.home.buttons[kind])
        assert window.wizard is None
        assert "cannot start because a network is up" in window.home.refusal.text()
    marks = window.home.environment.findChildren(type(window.home.refusal))
    assert any(m.objectName() == "envMark_blocking" for m in marks)


def test_a_rehearsal_is_allowed_with_a_network_up(qtbot: Any, network_up: Any) -> None:
    window = open_window(qtbot, network_up)
    click(qtbot, window.home.rehearsal)
    assert window.banner.isVisible()
    qtbot.waitUntil(lambda: window.home.recheck_button.isEnabled())
    wizard = start(qtbot, window, "recovery")
    assert wizard.context.rehearsal
    assert not window.home.rehearsal.isEnabled()  # the mode is fixed for the ceremony
    page = wizard.page
    assert isinstance(page, EnvironmentPage)
    qtbot.waitUntil(lambda: not page.busy())
    assert page.is_complete()
    assert "REHEARSAL" in page.verdict.text()
    next_page(qtbot, wizard, "This room's session code")
    next_page(qtbot, wizard, "The request from the Vault side")
    assert wizard.page.practice_button.isVisible()  # type: ignore[attr-defined]


def test_verifying_one_share_goes_through_the_gate_and_makes_a_drill_record(
    qtbot: Any, air_gapped: Any, tmp_path: Any
) -> None:
    from ceremony import keys
    from ceremony.shares import split
    from tests.ui.driver import type_share
    from ui import sheets

    with keys.new_component() as component:
        share = split(component, 2, 3)[1]
        fingerprint = keys.fingerprint(component, "custodian")
    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "verify")
    assert wizard.step_title() == "Step 1 of 4: Check this computer"
    next_page(qtbot, wizard, "Check one share")
    page: Any = wizard.page
    assert page.entry.privacy.isChecked()  # a real ceremony: the words are hidden
    qtbot.keyClicks(page.holder, "Ben Okafor")
    type_share(qtbot, page.entry, share)
    qtbot.keyClicks(page.sheet_fingerprint, fingerprint)
    qtbot.keyClicks(page.expected, fingerprint)
    assert "belongs to the expected key" in page.verdict.text()
    next_page(qtbot, wizard, "Print the ceremony record")
    record = sheets.record_data(wizard.context)
    assert record.kind == "drill"
    assert [(s.index, s.custodian) for s in record.shares] == [(2, "Ben Okafor")]
    rows = {(v.what, v.outcome) for v in record.verification}
    assert ("Fingerprint on the sheet against the expected one", "matched") in rows
    assert record.fingerprints == (("custodian", fingerprint),)
    wizard.cancel()


def _printer_row(window: Any) -> tuple[str, str]:
    """(mark, words) of the home screen's Printers row."""
    grid = window.home.environment.grid
    for row in range(grid.rowCount()):
        name = grid.itemAtPosition(row, 1)
        if name is not None and name.widget().text() == "Printers":
            return (grid.itemAtPosition(row, 0).widget().text(),
                    grid.itemAtPosition(row, 2).widget().text())  # fmt: skip
    raise AssertionError("the home screen has no Printers row")


def test_the_home_screen_names_the_cups_pdf_queue_as_no_printer(qtbot: Any, cups: None) -> None:
    """The machine's own check (no provider injected) against the real cups-pdf queue."""
    window = open_window(qtbot, None)
    mark, words = _printer_row(window)
    assert "PDF saves to disk: not a printer" in words and "Printer ready: PDF" not in words
    assert mark == "✗ Stop"
    click(qtbot, window.home.rehearsal)
    qtbot.waitUntil(lambda: window.home.recheck_button.isEnabled())
    mark, words = _printer_row(window)
    assert mark == "! Check" and "PDF saves to disk: not a printer" in words
