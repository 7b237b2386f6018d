"""Accessible: through Qt's accessibility interface (what a screen reader is given), every input
and button on every page of every wizard has a name and the role of what it is, and each step
change is announced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from ceremony import keys
from ceremony.shares import split
from testkit.tour_steps import act, finish_page
from tests.ui.driver import Tour, idle, open_window, start

ROLES: tuple[tuple[type[QWidget], QAccessible.Role], ...] = (
    (QCheckBox, QAccessible.Role.CheckBox),
    (QRadioButton, QAccessible.Role.RadioButton),
    (QPushButton, QAccessible.Role.PushButton),
    (QLineEdit, QAccessible.Role.EditableText),
    (QPlainTextEdit, QAccessible.Role.EditableText),
    (QTextEdit, QAccessible.Role.EditableText),
    (QAbstractSpinBox, QAccessible.Role.SpinBox),
    (QComboBox, QAccessible.Role.ComboBox),
)
CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox)


def _internal(widget: QWidget) -> bool:
    """A spin box's own line edit: the spin box is what a screen reader presents."""
    return isinstance(widget.parentWidget(), QAbstractSpinBox)


def unnamed_or_wrong(root: QWidget) -> list[str]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible() or _internal(widget):
            continue
        iface = QAccessible.queryAccessibleInterface(widget)
        what = f"{type(widget).__name__} {widget.objectName()!r}"
        if iface is None or not iface.isValid():
            found.append(f"{what}: no accessible interface")
            continue
        name = iface.text(QAccessible.Text.Name).strip()
        role = iface.role()
        wanted = next(r for kind, r in ROLES if isinstance(widget, kind))
        if not name:
            found.append(f"{what}: no accessible name")
        if role != wanted:
            found.append(f"{what} {name!r}: role {role.name}, not {wanted.name}")
    return found


@pytest.mark.parametrize("kind", ["genesis", "recovery", "drill", "reshare", "verify"])
def test_every_control_on_every_page_is_named_with_its_role(
    qtbot: Any, air_gapped: Any, kind: str, tmp_path: Path
) -> None:
    with keys.new_component() as component:
        old = split(component, 3, 4)
    window = open_window(qtbot, air_gapped, rehearsal=True)
    assert unnamed_or_wrong(window) == []  # the home screen
    wizard = start(qtbot, window, kind)
    tour = Tour(QApplication.instance(), tmp_path)
    problems: list[str] = []
    checked = 0
    for _ in range(len(wizard.pages)):
        for step in (None, act, finish_page):
            if step is not None:
                step(tour, wizard, old)
            idle(qtbot, wizard)
            problems += [f"{wizard.step_title()}: {p}" for p in unnamed_or_wrong(window)]
            checked += 1
            if not wizard.next_button.isEnabled():  # the reason is said with the button too
                iface = QAccessible.queryAccessibleInterface(wizard.next_button)
                assert iface.text(QAccessible.Text.Description) == wizard.waiting.text()
                assert wizard.waiting.text()
        if wizard.index == len(wizard.pages) - 1 or not wizard.next_button.isEnabled():
            break
        wizard.next()
    wizard.ask_cancel()  # the cancel question's field and buttons too
    problems += [f"cancel question: {p}" for p in unnamed_or_wrong(window)]
    window.show_help()
    assert window.help_window is not None
    problems += [f"glossary: {p}" for p in unnamed_or_wrong(window.help_window)]
    assert problems == [], "\n".join(sorted(set(problems)))
    assert checked >= 3 * 4, "too few pages were seen"
    wizard.cancel()


def test_each_step_change_is_announced(
    qtbot: Any, air_gapped: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[QAccessible.Event, str]] = []

    def catch(event: QAccessibleEvent) -> None:
        target = event.object()
        name = target.accessibleName() if isinstance(target, QWidget) else ""
        sent.append((event.type(), name))

    monkeypatch.setattr("ui.wizard.QAccessible.updateAccessibility", catch)
    window = open_window(qtbot, air_gapped, rehearsal=True)
    said: list[str] = []
    wizard = start(qtbot, window, "verify")
    wizard.announced.connect(said.append)
    idle(qtbot, wizard)
    wizard.next()
    title = wizard.step_title()
    assert title.startswith("Step 2 of 4")
    assert said == [title]
    heading = QAccessible.queryAccessibleInterface(wizard.heading)
    assert heading.text(QAccessible.Text.Name) == title
    assert (QAccessible.Event.NameChanged, title) in sent
    assert (QAccessible.Event.Alert, title) in sent
    assert wizard.rail.accessibleDescription() == f"Now at {title}"
    wizard.cancel()
