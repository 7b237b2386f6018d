"""Named groups in the desktop genesis: typed, checked live, and made into sheets per group."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.ui.driver import click, next_page, open_window, start
from ui.pages.details_page import DetailsPage


def test_the_groups_editor_checks_live_and_asks_about_a_group_of_one(
    qtbot: Any, air_gapped: Any
) -> None:
    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "genesis")
    page = wizard.page
    assert isinstance(page, DetailsPage)
    qtbot.keyClicks(page.organisation, "Example Health Ltd")
    qtbot.keyClicks(page.key_version, "v1")
    qtbot.keyClicks(page.witness, "Wendy")
    click(qtbot, page.use_groups)
    assert page.groups.isVisible() and not page.custodians.isVisible()
    editor = page.groups
    editor.group_threshold.setValue(2)
    qtbot.keyClicks(editor.lines, "Board=Ann,Ben,Cat:1")
    assert "does not allow 1 of 3" in editor.errors.text()
    assert not wizard.next_button.isEnabled()
    editor.lines.clear()
    qtbot.keyClicks(editor.lines, "Board=Ann,Ben,Cat:2")
    qtbot.keyClick(editor.lines, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.lines, "Legal=Hal:1")
    doubt = "Legal 1-of-1 means Hal alone counts as a whole group: is that intended?"
    assert doubt in editor.warnings.text()
    assert editor.intended.isVisible() and not wizard.next_button.isEnabled()
    click(qtbot, editor.intended)
    assert wizard.next_button.isEnabled(), page.problem.text()
    assert "all 2 groups rebuild the key" in editor.summary.text()
    next_page(qtbot, wizard)
    context = wizard.context
    assert [c.name for c in context.custodians] == ["Ann", "Ben", "Cat", "Hal"]
    plan = context.plan()
    assert plan.policy.grouped and plan.group_threshold == 2
    assert plan.policy.sheet_wording(4).startswith("Legal — this sheet alone")


def test_the_summary_shows_the_group_policy_in_words(qtbot: Any, air_gapped: Any) -> None:
    from PySide6.QtWidgets import QLabel

    from ceremony.shares import parse_group
    from ui.pages.summary_page import SummaryPage

    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "genesis")
    context = wizard.context
    context.groups = (parse_group("Board=Ann,Ben,Cat:2"), parse_group("Ops=Dan,Eve:2"))
    context.group_threshold = 1
    summary = SummaryPage(context)
    qtbot.addWidget(summary)
    summary.enter()
    label = summary.findChild(QLabel, "summary_shares_needed")
    assert label is not None
    shown = label.text()
    assert shown.startswith("any 1 of the 2 groups rebuild the key (Board")
