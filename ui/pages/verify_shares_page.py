"""Every printed share is read back (typed or from a picture of its QR) before anyone leaves."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPushButton, QWidget

from ceremony.errors import ShareError
from ui.context import CeremonyContext, Details, Record, Run, Secrets
from ui.pages.base import Page, message_label
from ui.widgets.share_entry import HIDE_RULE, ShareEntry
from ui.widgets.share_grid import scroll_into_view
from ui.widgets.status_line import status_label

__all__ = ["VerifySharesPage"]


class VerifySharesPage(Page):
    reads = (Run, Details, Secrets)
    writes = (Record,)
    title = "Read every sheet back"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.who = status_label()
        font = QFont(self.who.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.who.setFont(font)
        self.who.setObjectName("verifyWho")
        self.entry = ShareEntry()
        self.entry.submitted.connect(self.check)
        self.check_button = QPushButton("&Check this share")
        self.check_button.clicked.connect(self.check)
        self.result = status_label()
        self.result.setObjectName("verifyResult")
        self.progress = status_label()
        self.body.addWidget(self.who)
        self.body.addWidget(
            message_label(
                "From your printed sheet, type the words or read its QR code from a picture. "
                f"This proves the paper can rebuild the key. {HIDE_RULE}"
            )
        )
        self.body.addWidget(self.entry)
        self.body.addWidget(self.check_button)
        self.body.addWidget(self.result)
        self.body.addWidget(self.progress)
        self.body.addStretch(1)

    def enter(self) -> None:
        self._render()

    def focus_target(self) -> QWidget | None:
        return self.entry.focus_target() if self.current() is not None else None

    def current(self) -> int | None:
        left = [
            i for i in range(1, len(self.context.custodians) + 1) if i not in self.context.verified
        ]
        return left[0] if left else None

    def _render(self) -> None:
        c = self.context
        n = len(c.custodians)
        index = self.current()
        if index is None:
            self.who.setText(f"All {n} shares are verified.")
        else:
            name = c.custodians[index - 1].name
            self.who.setText(f"{name}, enter your share from the paper (sheet {index} of {n}).")
        self.check_button.setEnabled(index is not None)
        self.entry.setEnabled(index is not None)
        self.progress.setText(f"Verified: {len(c.verified)} of {n}.")
        self.completeChanged.emit()

    def check(self) -> None:
        """The core compares the entry with the share printed under its number."""
        genesis = self.context.genesis
        text = self.entry.text()
        if genesis is None or not text.strip() or self.current() is None:
            return
        info = self.entry.info()
        if info is None:
            self._say(self.entry.status.text() or "This is not a readable share.", ok=False)
            return
        index = info.index
        if index in genesis.verified:
            self._say(f"Share {index} was already verified.", ok=False)
            return
        name = self._name(index)
        try:
            matched = 1 <= index <= len(genesis.shares) and genesis.matches_share(index, text)
        except ShareError as err:
            self._say(err.message, ok=False)
            return
        if not matched:
            self.context.note(f"Share {index} ({name}) read back from paper", "failed")
            self._say(self._mismatch(index, info.set_id, genesis.set_id), ok=False)
            return
        how = self.entry.source()
        genesis.verified[index] = how
        self.context.note(f"Share {index} ({name}) read back from paper", "passed", how)
        self._say(f"Share {index} ({name}) matches the paper. Thank you.", ok=True)
        self.entry.clear_secret()
        self._render()
        self._next_custodian()

    def _next_custodian(self) -> None:
        """The keyboard goes to the next custodian's word 1, with their name on screen."""
        if self.current() is None:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # all read back: Enter is Next
            return
        self.entry.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        scroll_into_view(self.entry.focus_target())
        scroll_into_view(self.who)

    def waiting_for(self) -> str:
        left = len(self.context.custodians) - len(self.context.verified)
        index = self.current()
        who = f"{self._name(index)}'s next, " if index is not None else ""
        return f"Next opens once every sheet is read back: {who}{left} to go."

    def _name(self, index: int) -> str:
        people = self.context.custodians
        return people[index - 1].name if 1 <= index <= len(people) else f"share {index}"

    def _mismatch(self, index: int, found: str | None, printed: str | None) -> str:
        """Why a readable share is not the one printed today: name the old set when it is."""
        session = self.context.session
        old = session.state().set_id if session is not None else None
        if found is not None and found != printed:
            if self.context.kind == "reshare" and found == old:
                return (
                    f"This is share {index} of the OLD set {found}, which this ceremony replaces. "
                    f"Read back your NEW sheet, set {printed}, printed today."
                )
            return (
                f"This sheet is from another set ({found}), not from set {printed} printed "
                "today. Read back the sheet printed today."
            )
        return (
            f"This is share {index}, but it does not match the share printed for that "
            "custodian. Check the words against the sheet."
        )

    def _say(self, text: str, ok: bool) -> None:
        if not ok:
            self.entry.mark_refused()  # hidden again, like an accepted share
            QTimer.singleShot(0, lambda: scroll_into_view(self.result))  # after it is laid out
        self.result.setStyleSheet(f"color: {'#1b5e20' if ok else '#b3261e'}; font-weight: bold;")
        self.result.setText(text)

    def is_complete(self) -> bool:
        return self.current() is None

    def wipe(self) -> None:
        self.entry.clear_secret()
