"""Verify one share on its own: readable, intact, from which set, and from the expected key.

A single share cannot rebuild the key, so it cannot show a fingerprint; what
it can show is that its sheet names the expected custodian fingerprint (from
the last ceremony record or Vault) and that its words pass their checksum.
The result goes in a drill record. In a real ceremony this runs behind the
same air-gap check as every other ceremony.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from ui.context import CeremonyContext, Record, Secrets
from ui.pages.base import Page, message_label
from ui.style import BAD, GOOD
from ui.widgets.name_guard import NameGuard, say_refusal
from ui.widgets.share_entry import HIDE_RULE, ShareEntry, safe_message
from ui.widgets.status_line import status_label

__all__ = ["VerifySharePage"]


def _fingerprint_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setInputMask(">HHHH-HHHH-HHHH;_")
    return field


class VerifySharePage(Page):
    reads = ()
    writes = (Secrets, Record)
    title = "Check one share"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.holder = QLineEdit()
        self.holder.setAccessibleName("Your name")
        self.holder.setPlaceholderText("Your name, as on your envelope")
        self.holder.textChanged.connect(self._render)
        self.holder.returnPressed.connect(self._to_words)
        self.holder.setProperty("takesEnter", True)  # Enter: on to the words
        self.entry = ShareEntry()
        self.entry.changed.connect(self._render)
        self.sheet_fingerprint = _fingerprint_field("XXXX-XXXX-XXXX, printed on your sheet")
        self.sheet_fingerprint.textChanged.connect(self._render)
        self.expected = _fingerprint_field("XXXX-XXXX-XXXX, from the last record or Vault")
        self.expected.textChanged.connect(self._render)
        self.details = status_label()
        self.details.setObjectName("shareDetails")
        self.verdict = status_label()
        self.verdict.setObjectName("verifyVerdict")
        self.name_problem = status_label()  # right under the name: seen where one types
        self.name_problem.setObjectName("nameProblem")
        self.name_problem.setStyleSheet(f"color: {BAD}; font-weight: bold;")
        self.name_problem.hide()  # shown with a refusal: no empty gap under the name
        self.holder_guard = NameGuard(self.holder, "Your name")
        self.holder_guard.refused.connect(self._name_refused)
        names = QFormLayout()
        names.addRow("Your &name", self.holder)
        form = QFormLayout()
        form.addRow("Fingerprint printed on the &sheet", self.sheet_fingerprint)
        form.addRow("E&xpected custodian fingerprint", self.expected)
        self.body.addWidget(
            message_label(
                "Type your name and the share, or read its QR code from a picture. Nothing "
                "secret is kept: the record says only which share was checked, and how. "
                f"{HIDE_RULE}"
            )
        )
        self.body.addLayout(names)
        self.body.addWidget(self.name_problem)
        self.body.addWidget(self.entry)
        self.entry.follow_in_tab_order(self.holder)  # Tab from the name: word 1
        self.body.addLayout(form)
        self.body.addWidget(self.details)
        self.body.addWidget(self.verdict)
        self.body.addStretch(1)

    def _name_refused(self, sentence: str) -> None:
        say_refusal(self.name_problem, sentence, self.holder)

    def _to_words(self) -> None:
        self.entry.focus_target().setFocus()

    def focus_target(self) -> QWidget | None:
        return self.holder if not self.holder.text().strip() else self.entry.focus_target()

    def _check_value(self) -> str:
        from ceremony.evidence.check_value import check_value

        return check_value(self.entry.text())

    def fingerprints_agree(self) -> bool | None:
        """None until both are typed; then whether the sheet names the expected key."""
        if not (self.sheet_fingerprint.hasAcceptableInput() and self.expected.hasAcceptableInput()):
            return None
        return self.sheet_fingerprint.text() == self.expected.text()

    def _render(self) -> None:
        info = self.entry.info()
        if info is None:
            self.details.setText("")
        else:
            lines = [
                f"Format: {'SLIP-39' if info.scheme == 'slip39' else 'CheckTick legacy'}",
                f"Share number: {info.index}",
            ]
            if info.set_id:
                lines.append(f"Set id: {info.set_id} (must match the sheet and the envelope)")
            if info.threshold:
                lines.append(f"Any {info.threshold} shares of this set rebuild the key")
            lines.append(
                f"Check value: {self._check_value()} (the record prints it beside your name)"
            )
            if info.scheme == "slip39":
                lines.append(f"Words: {info.word_count}; checksum correct")
            else:
                lines.append("Legacy shares carry no checksum: only a recovery drill proves them")
            self.details.setText("\n".join(lines))
        agree = self.fingerprints_agree()
        if agree is None:
            self.verdict.setText("")
        elif agree:
            self.verdict.setStyleSheet(f"color: {GOOD}; font-weight: bold;")
            self.verdict.setText("✓ This sheet belongs to the expected key.")
        else:
            self.verdict.setStyleSheet(f"color: {BAD}; font-weight: bold;")
            self.verdict.setText(
                "✗ This sheet names another key: it is from an older or a different set. "
                "Do not rely on it; tell the witness."
            )
        self.completeChanged.emit()

    def waiting_for(self) -> str:
        if not self.holder.text().strip():
            return f"{self.name_problem.text()} Type your name first.".strip()
        if self.entry.info() is not None:
            return ""
        said = self.entry.status.text()  # never quotes the share (status_label)
        return f"Type your share, or read its QR code. {said}".strip()

    def is_complete(self) -> bool:
        return self.entry.info() is not None and bool(self.holder.text().strip())

    def leave(self) -> bool:
        """The share goes into a session of its own: the record then names its set."""
        from ceremony.shares.session import RecoverySession

        c = self.context
        info = self.entry.info()
        if info is None:
            return False
        if c.session is not None:
            c.session.wipe()
        c.session = RecoverySession()
        outcome = c.session.add(self.entry.text())
        if not outcome.accepted:
            self.entry.mark_refused()  # hidden again, like an accepted share
            self.verdict.setStyleSheet(f"color: {BAD}; font-weight: bold;")
            self.verdict.setText(safe_message(outcome.message, outcome.suggestions, True))
            return False
        name = self.holder.text().strip()
        c.used_indices = (info.index,)
        c.share_holders = {info.index: name}
        c.note(
            f"Share {info.index} of {name} read",
            "passed",
            f"{self.entry.source()}; check value {self._check_value()}",
        )
        agree = self.fingerprints_agree()
        if agree is not None:
            c.fingerprints["custodian"] = self.expected.text()
            c.note(
                "Fingerprint on the sheet against the expected one",
                "matched" if agree else "mismatch",
                self.sheet_fingerprint.text(),
            )
        self.entry.clear_secret()
        return True

    def wipe(self) -> None:
        self.entry.clear_secret()
