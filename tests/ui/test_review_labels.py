"""The review page shows Vault-side values (an escrowed e-mail) as plain, inert text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ceremony.operations.table import Review, Row
from ui.context import CeremonyContext
from ui.pages.review_page import ReviewPage

HOSTILE = '<b>ann</b>@x.test<img src="x">\n\x1b[2K\u202eforged'


def test_a_hostile_email_is_plain_text_with_control_characters_shown(qtbot: Any) -> None:
    page = ReviewPage(CeremonyContext(kind="recovery", rehearsal=False))
    qtbot.addWidget(page)
    review = Review(
        operation="recover-escrow",
        request_id="r1",
        summary="Check the e-mail:",
        rows=(Row("email", "E-mail in the recovery copy", HOSTILE),),
        approval="We checked the e-mail",
        fingerprints={},
    )
    page._reviewed((None, review))  # type: ignore[arg-type]
    label = page.findChild(QLabel, "review-e-mail-in-the-recovery-copy")
    assert label is not None
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == '<b>ann</b>@x.test<img src="x">\\n\\x1b[2K\\u202eforged'
