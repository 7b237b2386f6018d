"""Name, organisation and witness fields refuse share words, legacy shares and keys.

Every share format (tests/secret_formats.py) goes into every such field of the room;
the field is emptied at once and one plain sentence says why. Typing share words
with real key events into "Your name" never leaves three of them on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

from ceremony.shares.secret_text import find_secret
from tests.secret_formats import secret_texts
from ui.context import CeremonyContext
from ui.pages.collect_shares_page import CollectSharesPage
from ui.pages.confirm_page import ConfirmPage
from ui.pages.details_page import DetailsPage
from ui.pages.verify_share_page import VerifySharePage

Field = QLineEdit | QPlainTextEdit


def _details(kind: str) -> DetailsPage:
    return DetailsPage(CeremonyContext(kind=kind, rehearsal=False))  # type: ignore[arg-type]


def _confirm() -> ConfirmPage:
    context = CeremonyContext(kind="recovery", rehearsal=False)
    context.used_indices = (1, 2)
    context.share_holders = {1: "Ann Lee", 2: "Ben Ode"}
    page = ConfirmPage(context)
    page.enter()
    return page


FIELDS: dict[str, Callable[[], tuple[Any, Field, QLabel]]] = {
    "details: Organisation": lambda: (p := _details("genesis"), p.organisation, p.problem),
    "details: Key version label": lambda: (p := _details("genesis"), p.key_version, p.problem),
    "details: Custodians": lambda: (p := _details("genesis"), p.custodians, p.problem),
    "details: Groups": lambda: (p := _details("genesis"), p.groups.lines, p.problem),
    "details: Witness": lambda: (p := _details("reshare"), p.witness, p.problem),
    "shares: Your name": lambda: (
        p := CollectSharesPage(CeremonyContext(kind="recovery", rehearsal=False)),
        p.holder,
        p.name_problem,
    ),
    "shares: The bag serial": lambda: (
        p := CollectSharesPage(CeremonyContext(kind="recovery", rehearsal=False)),
        p.bag,
        p.name_problem,
    ),
    "verify: Your name": lambda: (
        p := VerifySharePage(CeremonyContext(kind="verify", rehearsal=False)),
        p.holder,
        p.name_problem,
    ),
    "confirm: Your name": lambda: (p := _confirm(), p.rows[0][0], p.problem),
    "confirm: Witness": lambda: (p := _confirm(), p.witness, p.problem),
    "confirm: Organisation": lambda: (p := _confirm(), p.organisation, p.problem),
}


def _text(field: Field) -> str:
    return field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()


def _put(field: Field, text: str) -> None:
    """As a paste or a QR wedge would: the whole text at once, at the cursor."""
    if isinstance(field, QPlainTextEdit):
        field.insertPlainText(text)
    else:
        field.insert(text)


@pytest.mark.parametrize("fmt", sorted(secret_texts()))
@pytest.mark.parametrize("where", sorted(FIELDS))
def test_each_share_format_in_each_name_field_is_refused(qtbot: Any, where: str, fmt: str) -> None:
    page, field, label = FIELDS[where]()
    qtbot.addWidget(page)
    _put(field, " " + secret_texts()[fmt])  # after what the field holds (confirm: a name)
    assert find_secret(_text(field)) is None
    assert _text(field) == ""
    name = where.split(": ")[1]
    assert label.text().startswith(f"{name} holds what looks like"), label.text()
    assert "printed on the ceremony record, which is not secret" in label.text()
    if isinstance(field, QLineEdit):
        field.undo()
        assert field.text() == ""  # the refused text does not come back with Ctrl+Z
    else:
        field.undo()
        assert field.toPlainText() == ""


def test_a_list_field_keeps_the_honest_lines(qtbot: Any) -> None:
    page = _details("genesis")
    qtbot.addWidget(page)
    page.custodians.setPlainText("Ann Lee, CFO\nBen Ode, CTO")
    page.custodians.appendPlainText(secret_texts()["SLIP-39 share words"])
    assert page.custodians.toPlainText() == "Ann Lee, CFO\nBen Ode, CTO"
    assert page.problem.text().startswith("Custodians holds what looks like 3 or more share words")


def test_ordinary_names_are_kept(qtbot: Any) -> None:
    page, field, label = FIELDS["shares: Your name"]()
    qtbot.addWidget(page)
    qtbot.keyClicks(field, "Maria Jose O'Brien-Lee")  # QTest types Latin-1 keys only
    assert _text(field) == "Maria Jose O'Brien-Lee" and label.text() == ""
    _put(field, " (María José)")
    assert _text(field) == "Maria Jose O'Brien-Lee (María José)" and label.text() == ""


def test_share_words_typed_into_your_name_never_stand_three_on_screen(qtbot: Any) -> None:
    context = CeremonyContext(kind="recovery", rehearsal=False)
    page = CollectSharesPage(context)
    qtbot.addWidget(page)
    page.show()
    words = secret_texts()["SLIP-39 share words"].split()[:20]
    seen = []
    for word in words:
        qtbot.keyClicks(page.holder, word + " ")
        seen.append(page.holder.text())
    assert all(find_secret(text) is None for text in seen), seen
    assert all(sum(1 for t in text.split() if t in words) < 3 for text in seen), seen
    assert page.name_problem.text().startswith("Your name holds what looks like 3 or more share")
    assert context.share_holders == {}
