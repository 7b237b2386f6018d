"""The shares rebuild the key (in a worker); its fingerprint is compared with the paper."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox

from ceremony import keys
from ceremony.secret import Secret
from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.workers import Task, run_task

__all__ = ["FingerprintPage"]


class FingerprintPage(Page):
    title = "Check the key's fingerprint"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.status = message_label()
        self.status.setObjectName("fingerprintStatus")
        self.fingerprint = message_label()
        self.fingerprint.setObjectName("fingerprint")
        font = QFont("monospace")
        font.setPointSizeF(self.font().pointSizeF() * 2.2)
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.match = QCheckBox("This is the &fingerprint printed on our sheets and in the record")
        self.match.toggled.connect(self.notify)
        self.match.setEnabled(False)
        self.body.addWidget(self.status)
        self.body.addWidget(self.fingerprint)
        self.body.addWidget(self.match)
        self.body.addStretch(1)

    @property
    def allow_back(self) -> bool:  # type: ignore[override]
        return self.context.component is None  # back to add shares only while nothing is rebuilt

    def enter(self) -> None:
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
        used = ", ".join(map(str, c.used_indices))
        c.note(f"Shares {used} rebuilt the component", "passed", f"fingerprint {fingerprint}")
        expected = c.session.expected_fingerprint if c.session else None
        if expected:
            c.note("Fingerprint from the last ceremony record", "matched", expected)
        self.status.setText(
            f"The shares {', '.join(map(str, c.used_indices))} rebuild a key. Its fingerprint:"
        )
        self.fingerprint.setText(fingerprint)
        self.match.setEnabled(True)
        self.match.setFocus()
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self._task = None
        self.context.note("Rebuilding the component from the shares", "refused", message)
        self.status.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.status.setText(f"{message} Go back to add or correct shares.")
        self.completeChanged.emit()

    def busy(self) -> bool:
        return self._task is not None

    def is_complete(self) -> bool:
        return self.context.component is not None and self.match.isChecked()

    def leave(self) -> bool:
        fingerprint = self.context.fingerprints.get("custodian", "")
        what = "Custodians compared the fingerprint with their sheets"
        self.context.note(what, "matched", fingerprint)
        return True
