"""Status lines withhold whatever reads as a share or a key (the second line of defence)."""

from __future__ import annotations

from typing import Any

import pytest

from ceremony.shares.secret_text import find_secret
from tests.secret_formats import secret_texts
from tests.sharesets import make_set
from ui.context import CeremonyContext
from ui.kinds import Kind
from ui.pages.collect_shares_page import CollectSharesPage
from ui.pages.confirm_page import ConfirmPage
from ui.pages.details_page import DetailsPage
from ui.pages.verify_share_page import VerifySharePage
from ui.pages.verify_shares_page import VerifySharesPage
from ui.widgets.status_line import StatusLine, status_label

PAGES: dict[str, tuple[type[Any], Kind, tuple[str, ...]]] = {
    "collect": (CollectSharesPage, "recovery", ("progress", "turn", "message", "name_problem")),
    "verify one": (VerifySharePage, "verify", ("details", "verdict", "name_problem")),
    "read back": (VerifySharesPage, "genesis", ("who", "result", "progress")),
    "details": (DetailsPage, "genesis", ("problem",)),
    "confirm": (ConfirmPage, "recovery", ("what", "problem")),
}


@pytest.mark.parametrize("fmt", sorted(secret_texts()))
def test_a_status_line_withholds_every_format(qtbot: Any, fmt: str) -> None:
    label = status_label()
    qtbot.addWidget(label)
    label.setText(f"Ann: {secret_texts()[fmt]} accepted")
    assert label.withheld and find_secret(label.text()) is None
    assert label.text().startswith("Something meant for a status line looks like")
    label.setText("Share 2 of 3 accepted (set 01234).")
    assert not label.withheld and label.text() == "Share 2 of 3 accepted (set 01234)."


@pytest.mark.parametrize("page_name", sorted(PAGES))
def test_the_pages_status_lines_are_guarded(qtbot: Any, page_name: str) -> None:
    page_type, kind, names = PAGES[page_name]
    page = page_type(CeremonyContext(kind=kind, rehearsal=False))
    qtbot.addWidget(page)
    for name in names:
        label = getattr(page, name)
        assert isinstance(label, StatusLine), name
        label.setText(secret_texts()["SLIP-39 words, 4-letter prefixes"])
        assert label.withheld, name


def test_a_name_that_got_past_its_field_is_not_echoed_with_the_accepted_share(qtbot: Any) -> None:
    _, shares = make_set(2, 3, seed=7)
    context = CeremonyContext(kind="recovery", rehearsal=False)
    page = CollectSharesPage(context)
    qtbot.addWidget(page)
    words = " ".join(shares[2].split()[10:14])
    page.holder.blockSignals(True)  # as if the field's own guard had been bypassed
    page.holder.setText(words)
    page.holder.blockSignals(False)
    page.entry.set_text(shares[0])
    page.add_share()
    assert page.state().indices  # the share itself was accepted
    assert page.message.withheld
    assert words not in page.message.text() and find_secret(page.message.text()) is None
