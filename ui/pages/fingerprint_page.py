"""The shares rebuild the key (in a worker); custodians type the fingerprint from their sheet.

The app does not show the fingerprint first, so nobody can agree with a
screen instead of reading the paper. A mismatch turns the page into one that
names the likely causes and leads back to the shares.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ceremony import keys
from ceremony.secret import Secret
from ui.context import CeremonyContext, Record, Run, Secrets
from ui.pages.base import Page, message_label
from ui.style import BAD, GOOD, heading_font
from ui.widgets.status_line import status_label
from ui.workers import Task, run_task

__all__ = ["MISMATCH_CAUSES", "FingerprintPage"]

MISMATCH_CAUSES = (
    "A passphrase: the set was made with one and it was not typed, or one letter of it differs.",
    "Another set: one of the shares comes from an older or a different set (compare the set id "
    "printed on each sheet).",
    "A legacy typo: CheckTick legacy shares carry no checksum, so a mistyped digit rebuilds a "
    "different key without any other warning.",
    "A misread fingerprint: check the 12 characters again (0 and D, 8 and B look alike).",
)


def _plain(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


class FingerprintPage(Page):
    reads = (Run,)
    writes = (Secrets, Record)
    title = "Check the key's fingerprint"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.matched = False
        self.status = status_label()
        self.status.setObjectName("fingerprintStatus")
        self.typed = QLineEdit()
        self.typed.setInputMask(">HHHH-HHHH-HHHH;_")
        self.typed.setAccessibleName("Custodian fingerprint from your sheet")
        self.typed.setFont(heading_font(self.typed.font(), 20))
        self.typed.setEnabled(False)
        self.typed.textChanged.connect(self._compare)
        self.verdict = status_label()
        self.verdict.setObjectName("fingerprintVerdict")
        self.fingerprint = message_label()  # shown once it matched
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setFont(heading_font(self.fingerprint.font(), 22))

        check = QWidget()
        column = QVBoxLayout(check)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.addRow("Custodian &fingerprint on your sheet", self.typed)
        column.addWidget(self.status)
        column.addLayout(form)
        column.addWidget(self.verdict)
        column.addWidget(self.fingerprint)
        column.addStretch(1)

        self.mismatch = self._build_mismatch()
        self.views = QStackedWidget()
        self.views.addWidget(check)
        self.views.addWidget(self.mismatch)
        self.body.addWidget(self.views)

    def _build_mismatch(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        heading = message_label("The fingerprint does not match your sheet")
        heading.setObjectName("mismatchHeading")
        heading.setFont(heading_font(heading.font()))
        heading.setStyleSheet(f"color: {BAD};")
        self.mismatch_detail = message_label()
        self.mismatch_detail.setObjectName("mismatchDetail")
        column.addWidget(heading)
        column.addWidget(self.mismatch_detail)
        column.addWidget(message_label("Do not go on with this key. The likely causes:"))
        for cause in MISMATCH_CAUSES:
            column.addWidget(message_label(f"•  {cause}"))
        self.retype_button = QPushButton("&Retype the fingerprint")
        self.retype_button.clicked.connect(self.retype)
        self.back_to_shares = QPushButton("&Back to the shares (the rebuilt key is wiped)")
        self.back_to_shares.clicked.connect(self.go_back_to_shares)
        column.addWidget(self.retype_button)
        column.addWidget(self.back_to_shares)
        column.addStretch(1)
        return box

    @property
    def allow_back(self) -> bool:  # type: ignore[override]
        return self.context.component is None  # back to add shares only while nothing is rebuilt

    def focus_target(self) -> QWidget | None:
        if self.views.currentWidget() is self.mismatch:
            return self  # no button under the keyboard: both choices are made on purpose
        return self.typed if self.typed.isEnabled() else None

    def enter(self) -> None:
        self.views.setCurrentIndex(0)
        if self.context.component is not None or self._task is not None:
            return
        session = self.context.session
        if session is None:
            return
        self.status.setText("Rebuilding the key from the shares…")
        self._task = run_task(lambda _p: session.recover(), self._rebuilt, self._failed)
        self.completeChanged.emit()

    def _rebuilt(self, component: Secret) -> None:
        self._task = None
        c = self.context
        if c.finished_at is not None:  # cancelled while the worker ran
            component.wipe()
            return
        c.component = component
        fingerprint = keys.fingerprint(component, "custodian")
        c.fingerprints["custodian"] = fingerprint
        c.used_indices = c.session.state().indices if c.session else ()
        names = ", ".join(self._holder(i) for i in c.used_indices)
        c.note(f"Shares of {names} rebuilt the component", "passed", f"fingerprint {fingerprint}")
        expected = c.session.expected_fingerprint if c.session else None
        if expected:
            c.note("Fingerprint from the last ceremony record", "matched", expected)
        self.status.setText(
            f"The shares of {names} rebuild a key. Type the custodian fingerprint printed on "
            "your sheet (12 characters); the app then says whether it is this key's."
        )
        self.typed.setEnabled(True)
        self.typed.setFocus(Qt.FocusReason.OtherFocusReason)
        self.completeChanged.emit()

    def _holder(self, index: int) -> str:
        return self.context.share_holders.get(index, f"share {index}")

    def _compare(self) -> None:
        self.matched = False
        self.fingerprint.clear()
        self.verdict.clear()
        actual = self.context.fingerprints.get("custodian", "")
        if self.typed.hasAcceptableInput() and actual:
            if _plain(self.typed.text()) == _plain(actual):
                self.matched = True
                self.verdict.setStyleSheet(f"color: {GOOD}; font-weight: bold;")
                self.verdict.setText("✓ It matches: this is the key on your sheets.")
                self.fingerprint.setText(actual)
            else:
                self.context.note("Fingerprint typed from a sheet", "mismatch", self.typed.text())
                self.mismatch_detail.setText(
                    f"You typed {self.typed.text()}; the shares entered rebuild a different key."
                )
                self.views.setCurrentWidget(self.mismatch)
                self.setFocus()
        self.completeChanged.emit()

    def retype(self) -> None:
        self.views.setCurrentIndex(0)  # first: clearing the field says why Next waits
        self.typed.clear()
        self.typed.setFocus()
        self.completeChanged.emit()

    def go_back_to_shares(self) -> None:
        c = self.context
        if c.component is not None:
            c.component.wipe()
        c.component = None
        c.fingerprints.pop("custodian", None)
        self.typed.clear()
        self.typed.setEnabled(False)
        self.views.setCurrentIndex(0)
        self.completeChanged.emit()
        self.backRequested.emit()

    def _failed(self, message: str) -> None:
        self._task = None
        self.context.note("Rebuilding the component from the shares", "refused", message)
        self.status.setStyleSheet(f"color: {BAD}; font-weight: bold;")
        self.status.setText(f"{message} Go back to add or correct shares.")
        self.completeChanged.emit()

    def busy(self) -> bool:
        return self._task is not None

    def busy_text(self) -> str:
        return "Rebuilding the key from the shares… wait a moment."

    def waiting_for(self) -> str:
        if self.views.currentWidget() is self.mismatch:
            return "The fingerprint does not match: retype it, or go back to the shares."
        if self.context.component is None:
            return "No key was rebuilt from these shares: go Back to add or correct shares."
        return "Type the 12-character custodian fingerprint printed on your sheet."

    def is_complete(self) -> bool:
        return self.context.component is not None and self.matched

    def leave(self) -> bool:
        fingerprint = self.context.fingerprints.get("custodian", "")
        what = "Custodians typed the fingerprint from their sheets"
        self.context.note(what, "matched", fingerprint)
        return True
