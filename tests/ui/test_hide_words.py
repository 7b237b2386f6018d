"""One rule for 'Hide the words': hidden from the start, real or rehearsal; a refused share is
hidden again, like an accepted one; the instruction text says the same rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from ceremony.shares import inspect
from tests.sharesets import make_set
from tests.ui.driver import Tour, advance_to, open_window, start
from ui.context import CeremonyContext
from ui.pages.collect_shares_page import CollectSharesPage
from ui.pages.summary_page import SummaryPage
from ui.pages.verify_share_page import VerifySharePage
from ui.pages.verify_shares_page import VerifySharesPage
from ui.widgets.share_entry import HIDE_RULE


def _texts(page: Any) -> str:
    return "\n".join(label.text() for label in page.findChildren(QLabel))


def _hidden(page: Any) -> bool:
    cells = page.entry.grid.cells
    return page.entry.privacy.isChecked() and all(
        c.echoMode() != QLineEdit.EchoMode.Normal for c in cells
    )


@pytest.mark.parametrize("rehearsal", [False, True], ids=["real", "rehearsal"])
@pytest.mark.parametrize(
    "page_type, kind",
    [(CollectSharesPage, "recovery"), (VerifySharePage, "verify"), (VerifySharesPage, "genesis")],
)
def test_the_words_start_hidden_and_the_text_says_so(
    qtbot: Any, rehearsal: bool, page_type: type[Any], kind: str
) -> None:
    page = page_type(CeremonyContext(kind=kind, rehearsal=rehearsal))  # type: ignore[arg-type]
    qtbot.addWidget(page)
    if page_type is CollectSharesPage:
        page.enter()
    assert _hidden(page)
    assert HIDE_RULE in _texts(page)


@pytest.mark.parametrize("rehearsal", [False, True], ids=["real", "rehearsal"])
def test_a_refused_share_is_hidden_again(qtbot: Any, rehearsal: bool) -> None:
    _, shares = make_set(2, 3, seed=5)
    _, others = make_set(2, 3, seed=6)
    page = CollectSharesPage(CeremonyContext(kind="recovery", rehearsal=rehearsal))
    qtbot.addWidget(page)
    page.show()
    page.entry.set_text(shares[0])
    page.add_share()
    assert len(page.state().indices) == 1
    qtbot.mouseClick(page.entry.privacy, Qt.MouseButton.LeftButton)  # nobody else can see
    assert not page.entry.privacy.isChecked()
    page.entry.set_text(shares[0])  # the same share again: refused as a duplicate
    page.add_share()
    assert len(page.state().indices) == 1 and page.entry.text()  # kept, to be corrected
    assert _hidden(page)
    qtbot.mouseClick(page.entry.privacy, Qt.MouseButton.LeftButton)
    page.entry.set_text(others[1])  # another set: refused
    page.add_share()
    assert _hidden(page)


def test_reshare_summary_and_read_back_name_the_old_set(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path
) -> None:
    _, old = make_set(3, 4, seed=8)
    old_set = inspect(old[0]).set_id
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "reshare")
    tour = Tour(qapp, tmp_path)
    summary = advance_to(qtbot, wizard, tour, old, SummaryPage)
    revoked = summary.findChild(QLabel, "summary_old_sheets")
    assert revoked is not None
    assert revoked.text().startswith(
        "Revoked by this ceremony, and listed as revoked on the record"
    )
    assert f"every sheet of old set {old_set}" in revoked.text()
    page = advance_to(qtbot, wizard, tour, old, VerifySharesPage)
    assert wizard.context.genesis is not None
    new_set = wizard.context.genesis.set_id
    qtbot.mouseClick(page.entry.privacy, Qt.MouseButton.LeftButton)
    page.entry.set_text(old[0])
    page.check()
    assert page.result.text() == (
        f"This is share 1 of the OLD set {old_set}, which this ceremony replaces. "
        f"Read back your NEW sheet, set {new_set}, printed today."
    )
    assert _hidden(page)
