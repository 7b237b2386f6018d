"""Cancel at every step of every wizard: the run's secrets are wiped, no page keeps one."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

from ceremony import keys
from ceremony.secret import Secret
from ceremony.shares import split
from testkit.tour_steps import act, finish_page
from tests.ui.driver import Tour, cancel_and_wipe, click, idle, open_window, start
from ui.wizard import Wizard

STEPS = {"genesis": 12, "recovery": 9, "reshare": 10, "drill": 9, "verify": 4}


def _secrets_in(obj: object) -> list[Secret]:
    found: list[Secret] = []
    for value in vars(obj).values():
        items = value if isinstance(value, list | tuple | set) else [value]
        found += [v for v in items if isinstance(v, Secret)]
    return found


def _assert_wiped(wizard: Wizard, shares: list[str]) -> None:
    assert not wizard.context.holds_secrets()
    assert wizard.context.shares == [] and wizard.context.component is None
    for page in wizard.pages:
        assert all(s.wiped for s in _secrets_in(page))
        for field in page.findChildren(QLineEdit):
            text = field.text()
            assert not any(word in text for share in shares for word in share.split()[5:8])


@pytest.mark.parametrize("kind", list(STEPS))
def test_cancel_at_every_step(
    qtbot: Any, qapp: Any, air_gapped: Any, kind: str, tmp_path: Any
) -> None:
    with keys.new_component() as component:
        old = split(component, 3, 4)
    for stop in range(STEPS[kind]):
        window = open_window(qtbot, air_gapped, rehearsal=True)
        wizard = start(qtbot, window, kind)
        tour = Tour(qapp, tmp_path)
        for _ in range(stop):
            act(tour, wizard, old)
            finish_page(tour, wizard, old)
            idle(qtbot, wizard)
            assert wizard.next_button.isEnabled(), wizard.step_title()
            click(qtbot, wizard.next_button)
        act(tour, wizard, old)  # secrets typed on this page
        idle(qtbot, wizard)
        made = [wizard.context.share_text(i) for i in range(1, len(wizard.context.shares) + 1)]
        cancel_and_wipe(qtbot, wizard)
        assert wizard.closed and window.wizard is None
        _assert_wiped(wizard, old + made)
        window.close()
