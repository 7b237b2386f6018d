"""A swapped bag is refused where the custodian is looking: beside the bag serial they typed,
scrolled into view, with the window the size of a 1024x700 screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from ceremony import keys
from ceremony.evidence.log import SWAPPED_BAG
from ceremony.shares import split
from tests.ui.driver import Tour, advance_to, click, open_window, start
from ui.pages.bags_page import ExpectedBagsPage
from ui.pages.collect_shares_page import CollectSharesPage

SHOTS = Path("/work/shots")


def _in_view(widget: QWidget, scroller: QScrollArea) -> bool:
    """Whether all of ``widget`` is inside the scroll area's visible part and the window."""
    view = scroller.viewport()
    box = QRect(widget.mapTo(view, widget.rect().topLeft()), widget.size())
    window = widget.window()
    in_window = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    return widget.isVisible() and view.rect().contains(box) and window.rect().contains(in_window)


def test_a_swapped_bag_is_refused_beside_the_serial_and_on_screen_at_1024x700(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path
) -> None:
    with keys.new_component() as component:
        shares = split(component, 2, 3)
    window = open_window(qtbot, air_gapped, rehearsal=True)
    window.resize(1024, 700)
    wizard = start(qtbot, window, "drill")
    expected = advance_to(qtbot, wizard, Tour(qapp, tmp_path), shares, ExpectedBagsPage)
    expected.lines.setPlainText("1 TE-100201\n2 TE-100202\n3 TE-100203")
    click(qtbot, wizard.next_button)
    collect = wizard.page
    assert isinstance(collect, CollectSharesPage) and collect.bag.isVisible()
    scroller = wizard.stack.currentWidget()
    assert isinstance(scroller, QScrollArea)

    def enter(index: int, name: str, serial: str) -> None:
        collect.holder.setText(name)
        collect.bag.setText(serial)
        collect.entry.set_text(shares[index - 1])
        collect.add_share()
        QApplication.processEvents()

    enter(2, "Ben Okafor", "TE-100202")
    assert collect.state().indices == (2,) and collect.bag_problem.text() == ""
    scroller.verticalScrollBar().setValue(scroller.verticalScrollBar().maximum())  # at Add
    enter(1, "Ann Lee", "TE-999999")  # the bag was swapped
    assert collect.bag_problem.text() == SWAPPED_BAG
    assert collect.message.text() == ""  # not also said below the words, out of sight
    assert collect.state().indices == (2,) and collect.entry.text() == ""
    qtbot.waitUntil(lambda: _in_view(collect.bag_problem, scroller), timeout=5_000)
    assert _in_view(collect.bag, scroller)  # the serial it speaks of, right above it
    bag_box = QRect(collect.bag.mapTo(collect, collect.bag.rect().topLeft()), collect.bag.size())
    problem = collect.bag_problem
    problem_box = QRect(problem.mapTo(collect, problem.rect().topLeft()), problem.size())
    assert 0 <= problem_box.top() - bag_box.bottom() < 40  # right under the serial
    assert problem_box.left() <= bag_box.left() < problem_box.right()
    assert problem_box.height() <= collect.bag_problem.heightForWidth(problem_box.width()) + 4
    assert collect.holder.hasFocus() and collect.holder.text() == ""  # the next custodian
    if SHOTS.is_dir():
        window.grab().save(str(SHOTS / "evidence-swapped-bag-1024x700.png"))
    enter(3, "Cat Silva", "TE-100203")
    assert collect.state().indices == (2, 3) and collect.bag_problem.text() == ""
