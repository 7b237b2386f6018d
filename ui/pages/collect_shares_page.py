"""Shares one custodian at a time into the core's RecoverySession; the page shows what it says.

A refused share is cleared from the field and explained right under it; the
shares already accepted stay in the session. The session's options (SLIP-39
passphrase, expected fingerprint, legacy threshold) are typed here too.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ceremony.session import RecoverySession, SessionState
from ceremony.shares.slip39 import MAX_SHARES
from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.widgets.share_entry import ShareEntry

__all__ = ["CollectSharesPage"]

NO_SHARES = SessionState(None, None, None, (), None, False)
LEGACY_WARNING = (
    "These are CheckTick legacy shares. They have no checksum: a typo in the last digits of "
    "one share can rebuild a wrong key when exactly the threshold of shares is entered, and "
    "nothing else would notice. Type the custodian fingerprint from the last ceremony record "
    "above, so the app can tell the right key from a wrong one."
)


class CollectSharesPage(Page):
    title = "Each custodian enters a share"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        if context.kind == "reshare":
            self.title = "Each custodian enters an old share"
        self.progress = message_label()
        self.progress.setObjectName("sessionProgress")
        font = QFont(self.progress.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.progress.setFont(font)
        self.turn = message_label()
        self.entry = ShareEntry()
        self.entry.privacy.setChecked(True)
        self.entry.submitted.connect(self.add_share)
        self.entry.changed.connect(self._show_options)
        self.add_button = QPushButton("&Add this share")
        self.add_button.clicked.connect(self.add_share)
        self.restart_button = QPushButton("Start again with no &shares")
        self.restart_button.clicked.connect(self.start_again)
        self.message = message_label()
        self.message.setObjectName("sessionMessage")
        self.legacy_note = message_label(LEGACY_WARNING)
        self.legacy_note.setObjectName("legacyWarning")
        self.legacy_note.setStyleSheet("color: #8a4b00; font-weight: bold;")

        self.options = self._build_options()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restart_button)
        self.body.addWidget(self.progress)
        self.body.addWidget(self.options)
        self.body.addWidget(self.legacy_note)
        self.body.addWidget(self.turn)
        self.body.addWidget(self.entry)
        self.body.addLayout(buttons)
        self.body.addWidget(self.message)
        self.body.addStretch(1)

    def _build_options(self) -> QWidget:
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Leave empty if the shares were made without one")
        self.passphrase.setAccessibleName("SLIP-39 passphrase")
        self.show_passphrase = QCheckBox("S&how")
        self.show_passphrase.toggled.connect(self._on_show_passphrase)
        self.expected = QLineEdit()
        self.expected.setInputMask(">HHHH-HHHH-HHHH;_")
        self.expected.setAccessibleName("Expected custodian fingerprint")
        self.expected.textChanged.connect(self._options_changed)
        self.legacy_threshold = QSpinBox()
        self.legacy_threshold.setRange(0, MAX_SHARES)
        self.legacy_threshold.setSpecialValueText("not known")
        self.legacy_threshold.valueChanged.connect(self._options_changed)

        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.passphrase, 1)
        secret_row.addWidget(self.show_passphrase)
        label = QLabel("SLIP-39 &passphrase (optional)")
        label.setBuddy(self.passphrase)  # a row of two widgets gets no buddy by itself
        form.addRow(label, secret_row)
        form.addRow("E&xpected custodian fingerprint (from the last record)", self.expected)
        form.addRow("&Legacy shares needed (threshold)", self.legacy_threshold)
        self.form = form
        return box

    # -- options ------------------------------------------------------------------

    def expected_fingerprint(self) -> str | None:
        return self.expected.text() if self.expected.hasAcceptableInput() else None

    def _on_show_passphrase(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)

    def _options_changed(self) -> None:
        session = self.context.session
        if session is not None:
            session.expected_fingerprint = self.expected_fingerprint()
            session.legacy_threshold = self.legacy_threshold.value() or None
        self._render()

    def _legacy(self) -> bool:
        if self.state().scheme is not None:
            return self.state().scheme == "checktick"
        info = self.entry.info()
        return info is not None and info.scheme == "checktick"

    def _show_options(self) -> None:
        legacy = self._legacy()
        self.form.setRowVisible(0, not legacy)  # a passphrase is SLIP-39 only
        self.form.setRowVisible(self.legacy_threshold, legacy)
        self.legacy_note.setVisible(legacy)

    # -- the session ----------------------------------------------------------------

    def state(self) -> SessionState:
        session = self.context.session
        return session.state() if session is not None else NO_SHARES

    def _session(self) -> RecoverySession:
        """Made with the first share: the passphrase goes in with it and stays in the core."""
        if self.context.session is None:
            self.context.session = RecoverySession(
                passphrase=self.passphrase.text().encode("utf-8"),
                expected_fingerprint=self.expected_fingerprint(),
                legacy_threshold=self.legacy_threshold.value() or None,
            )
            given = bool(self.passphrase.text())
            self.passphrase.clear()
            self.passphrase.setPlaceholderText(
                "Passphrase given (start again to change it)" if given else "No passphrase"
            )
        return self.context.session

    def start_again(self) -> None:
        """Forget every share (and the passphrase), e.g. after a wrong passphrase."""
        if self.context.session is not None:
            self.context.session.wipe()
            self.context.session = None
        self.passphrase.setPlaceholderText("Leave empty if the shares were made without one")
        self.message.setText("All shares were forgotten. Start again with the first share.")
        self._render()

    def enter(self) -> None:
        carried = getattr(self.context.request, "expected_fingerprint", None)
        if carried and not self.expected.hasAcceptableInput():
            # Vault registered it and the request carries it: the shares must rebuild this key.
            self.expected.setText(carried)
            self.expected.setReadOnly(True)
            self.expected.setToolTip("Registered in Vault and carried by the request.")
        self._render()

    def _render(self) -> None:
        session = self.context.session
        state = self.state()
        entered = len(state.indices)
        if state.threshold:
            self.progress.setText(f"{entered} of {state.threshold} shares entered")
        elif session is not None:
            self.progress.setText(session.progress_text())
        else:
            self.progress.setText("No shares entered yet.")
        if state.complete:
            self.turn.setText("Enough shares are in. Press Next.")
        else:
            self.turn.setText(
                f"Custodian {entered + 1}: step up and enter your share. Others, look away. "
                "Tick 'Hide what I type' off only if nobody else can see the screen."
            )
        self.passphrase.setEnabled(session is None)
        self.show_passphrase.setEnabled(session is None)
        self.restart_button.setEnabled(session is not None and bool(state.indices))
        self.entry.setEnabled(not state.complete)
        self.add_button.setEnabled(not state.complete)
        self._show_options()
        self.completeChanged.emit()

    def add_share(self) -> None:
        text = self.entry.text()
        if not text.strip():
            return
        outcome = self._session().add(text)
        self.entry.clear_secret()
        colour = "#1b5e20" if outcome.accepted else "#b3261e"
        self.message.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.message.setText(outcome.message)  # the core's words, closest words included
        if not outcome.accepted:  # the code only: the message may quote the words typed
            self.context.note("A share was refused", "refused", outcome.code)
        self._render()
        self.entry.field.setFocus()

    def is_complete(self) -> bool:
        return self.state().complete

    def wipe(self) -> None:
        self.entry.clear_secret()
        self.passphrase.clear()
