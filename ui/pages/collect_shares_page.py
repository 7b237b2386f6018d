"""Shares one custodian at a time into the core's RecoverySession; the page shows what it says.

A refused share is cleared from the field and explained right under it; the
shares already accepted stay in the session. The session's options (SLIP-39
passphrase, expected fingerprint, legacy threshold) are typed here too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ceremony.shares.session import RecoverySession, SessionState
from ceremony.shares.slip39 import MAX_SHARES
from ui.context import CeremonyContext, Crossing, Record, Run, Secrets
from ui.pages.base import Page, clear_layout, mark_destructive, message_label
from ui.pages.opened_bags import (
    SPARE_CHECKED,
    bag_refusal,
    opened_bag_ok,
    share_checked,
    spare_share_checked,
)
from ui.style import BAD, GOOD
from ui.widgets.name_guard import NameGuard, say_refusal
from ui.widgets.share_entry import HIDE_RULE, ShareEntry, safe_message
from ui.widgets.share_grid import scroll_into_view as _scroll_to
from ui.widgets.status_line import status_label

__all__ = ["CollectSharesPage"]

NO_SHARES = SessionState(None, None, None, (), None, False)
LEGACY_WARNING = (
    "These are CheckTick legacy shares. They have no checksum: a typo in the last digits of "
    "one share can rebuild a wrong key when exactly the threshold of shares is entered, and "
    "nothing else would notice. Type the custodian fingerprint from the last ceremony record "
    "above, so the app can tell the right key from a wrong one."
)


class CollectSharesPage(Page):
    reads = (Run, Crossing)
    writes = (Secrets, Record)
    title = "Each custodian enters a share"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        if context.kind == "reshare":
            self.title = "Each custodian enters an old share"
        self._build_progress()
        self._build_name_fields()
        self._build_share_controls()
        self.question = self._build_question()
        self._dropping: tuple[int, int] | None = None  # (group, member); None: every share
        self._build_messages()
        self.options = self._build_options()
        self._lay_out()

    def _build_progress(self) -> None:
        """The large count of shares so far and whose turn it is."""
        self.progress = status_label()
        self.progress.setObjectName("sessionProgress")
        font = QFont(self.progress.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.progress.setFont(font)
        self.turn = status_label()

    def _build_name_fields(self) -> None:
        """The custodian's name and the serial of the bag they opened."""
        self.holder = QLineEdit()
        self.holder.setAccessibleName("Your name")
        self.holder.setPlaceholderText("Your name, as on your envelope")
        self.holder.returnPressed.connect(self._to_words)
        self.holder.setProperty("takesEnter", True)
        self.bag = QLineEdit()
        self.bag.setObjectName("openedBag")
        self.bag.setAccessibleName("Serial of the bag you opened")
        self.bag.setPlaceholderText("Printed on your bag; check it before you open it")
        self.bag.returnPressed.connect(self._bag_to_words)
        self.bag.setProperty("takesEnter", True)  # Enter: on to the words

    def _build_share_controls(self) -> None:
        """The share entry, its buttons and the list of shares entered."""
        self.entry = ShareEntry()
        self.entry.submitted.connect(self.add_share)
        self.entry.changed.connect(self._show_options)
        self.add_button = QPushButton("&Add this share")
        self.add_button.clicked.connect(self.add_share)
        self.restart_button = QPushButton("Start again with no &shares…")
        mark_destructive(self.restart_button)
        self.restart_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Alt+S; never Tab, Enter
        self.restart_button.clicked.connect(self.ask_start_again)
        self.entered = status_label()
        self.entered.setObjectName("sharesEntered")
        self.entered_list = QVBoxLayout()
        self.entered_list.setContentsMargins(0, 0, 0, 0)

    def _build_messages(self) -> None:
        """Messages, refusals beside the fields they concern, and the legacy warning."""
        self.message = status_label()
        self.message.setObjectName("sessionMessage")
        self.name_problem = _problem_label("nameProblem")  # right under the name: seen there
        self.name_problem.hide()  # shown with a refusal: no empty gap under the name
        self.bag_problem = _problem_label("bagProblem")  # a swapped bag, beside its serial
        self.bag_problem.hide()
        self.holder_guard = NameGuard(self.holder, "Your name")
        self.holder_guard.refused.connect(self._name_refused)
        self.bag_guard = NameGuard(self.bag, "The bag serial")  # printed on the record too
        self.bag_guard.refused.connect(lambda s: say_refusal(self.name_problem, s, self.bag))
        self.legacy_note = message_label(LEGACY_WARNING)
        self.legacy_note.setObjectName("legacyWarning")
        self.legacy_note.setStyleSheet("color: #8a4b00; font-weight: bold;")

    def _lay_out(self) -> None:
        """Count and list of shares, then name, bag, words and Add."""
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        self.body.addWidget(self.progress)
        self.body.addWidget(self.entered)
        self.body.addLayout(self.entered_list)
        self.body.addWidget(self.restart_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.question)
        self.body.addWidget(self.options)
        self.body.addWidget(self.legacy_note)
        self.body.addWidget(self.turn)
        name_row = QFormLayout()
        name_row.addRow("Your &name", self.holder)
        name_row.addRow("Your &bag's serial", self.bag)
        self.name_row = name_row
        self.body.addLayout(name_row)
        self.body.addWidget(self.bag_problem)  # right under the serial (a form row is too tall)
        self.body.addWidget(self.name_problem)
        self.body.addWidget(self.entry)
        self.entry.follow_in_tab_order(self.holder)
        self.body.addLayout(buttons)
        self.body.addWidget(self.message)
        self.body.addStretch(1)

    def _build_question(self) -> QFrame:
        """Forgetting shares asks first, in place: no dialog hides the page."""
        bar = QFrame()
        bar.setObjectName("dropQuestion")
        bar.setStyleSheet("#dropQuestion { background: #fde2e1; border: 2px solid #b3261e; }")
        row = QHBoxLayout(bar)
        self.question_text = message_label()
        row.addWidget(self.question_text, 1)
        self.drop_button = QPushButton("&Forget")
        mark_destructive(self.drop_button)
        self.drop_button.clicked.connect(self._drop_confirmed)
        self.keep_button = QPushButton("&Keep (Esc)")
        self.keep_button.clicked.connect(self._drop_declined)
        row.addWidget(self.drop_button)
        row.addWidget(self.keep_button)
        bar.hide()
        return bar

    def _build_options(self) -> QWidget:
        self.has_passphrase = QCheckBox("This set has a &passphrase (the sheets say so)")
        self.has_passphrase.toggled.connect(self._on_has_passphrase)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("SLIP-39 passphrase")
        self.passphrase.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.passphrase.setDragEnabled(False)
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
        form.addRow(self.has_passphrase)
        label = QLabel("Pass&phrase")
        label.setBuddy(self.passphrase)
        form.addRow(label, self.passphrase)
        form.addRow("E&xpected custodian fingerprint (from the last record)", self.expected)
        form.addRow("&Legacy shares needed (threshold)", self.legacy_threshold)
        form.setRowVisible(self.passphrase, False)  # hidden unless the set has one
        self.form = form
        return box

    # -- options ------------------------------------------------------------------

    def expected_fingerprint(self) -> str | None:
        return self.expected.text() if self.expected.hasAcceptableInput() else None

    def _on_has_passphrase(self, ticked: bool) -> None:
        """Only a set with a passphrase shows the field: no share words typed there by mistake."""
        if not ticked:
            self.passphrase.setText("")  # setText, not clear(): nothing for Ctrl+Z
        self.form.setRowVisible(self.passphrase, ticked and not self._legacy())
        if ticked:
            self.passphrase.setFocus()

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
        self.form.setRowVisible(self.has_passphrase, not legacy)  # a passphrase is SLIP-39 only
        self.form.setRowVisible(self.passphrase, self.has_passphrase.isChecked() and not legacy)
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
            self.passphrase.setText("")  # setText, not clear(): nothing for Ctrl+Z
            self.passphrase.setPlaceholderText(
                "Passphrase given (start again to change it)" if given else "No passphrase"
            )
            self.context.note(
                "Passphrase",
                "given" if given else "none",
                "the set's passphrase was typed" if given else "recovered without a passphrase",
            )
        return self.context.session

    # -- forgetting shares: all, or one ----------------------------------------------------

    def ask_start_again(self) -> None:
        n = len(self.state().indices)
        self._ask(None, f"Forget all {n} share{'s' if n != 1 else ''} entered so far, and the "
                  "passphrase? Each custodian then enters their share again.",
                  "&Forget all shares")  # fmt: skip

    def ask_drop(self, group: int, member: int) -> None:
        """One share (e.g. from another set, entered first) goes; the others stay."""
        label = self._share_label(group, member)
        self._ask((group, member), f"Forget {label}? The other shares stay.", f"&Forget {label}")

    def _ask(self, what: tuple[int, int] | None, text: str, button: str) -> None:
        self._dropping = what
        self.question_text.setText(text)
        self.drop_button.setText(button)
        self.drop_button.setAccessibleName(button.replace("&", ""))
        self.question.show()
        self.keep_button.setFocus()  # Enter or Space keeps: forgetting needs a deliberate choice

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc answers the forget question "Keep", wherever the keyboard is on the page."""
        if event.key() == Qt.Key.Key_Escape and self.question.isVisible():
            event.accept()
            self._drop_declined()
            return
        super().keyPressEvent(event)

    def _drop_declined(self) -> None:
        self.question.hide()
        self._back_to_entry()

    def _drop_confirmed(self) -> None:
        self.question.hide()
        if self._dropping is None:
            self.start_again()
        else:
            self.drop_share(*self._dropping)
        self._back_to_entry()

    def _back_to_entry(self) -> None:
        target = self.focus_target()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            _scroll_to(target)

    def start_again(self) -> None:
        """Forget every share (and the passphrase), e.g. after a wrong passphrase."""
        if self.context.session is not None:
            self.context.session.wipe()
            self.context.session = None
        self.context.share_holders.clear()
        self.passphrase.setPlaceholderText("")
        self.message.setStyleSheet("")
        self.message.setText("All shares were forgotten. Enter the first share again.")
        self.context.note("Shares entered", "all forgotten", "started again with no shares")
        self._render()

    def drop_share(self, group: int, member: int) -> None:
        session = self.context.session
        if session is None:
            return
        label = self._share_label(group, member)
        number = self._sheet_of(group, member)
        session.remove_share(group, member)
        if number is not None:
            self.context.share_holders.pop(number, None)
        self.message.setStyleSheet("")
        self.message.setText(f"{label[0].upper()}{label[1:]} was forgotten; the others stay.")
        self.context.note(f"{label[0].upper()}{label[1:]}", "forgotten", "removed by the room")
        self._render()

    def _sheet_of(self, group: int, member: int) -> int | None:
        session = self.context.session
        return session.sheet_number(group, member) if session is not None else None

    def _share_label(self, group: int, member: int) -> str:
        st = self.state()
        number = self._sheet_of(group, member)
        what = f"group {group} share {member}" if st.grouped else f"share {member}"
        holder = self.context.share_holders.get(number) if number is not None else None
        return f"{what} ({holder})" if holder else what

    def _render_entered(self) -> None:
        """Which set the shares belong to, and each share with its own Forget button."""
        clear_layout(self.entered_list)
        st = self.state()
        self.entered.setVisible(bool(st.indices))
        if not st.indices:
            self.entered.setText("")
            return
        where = f"set {st.set_id}" if st.set_id else "one set"
        self.entered.setText(
            f"Shares entered so far, all from {where}. If a share of another set went in "
            "first, forget it alone: the right shares are then accepted."
        )
        before: QWidget = self.legacy_threshold  # the last field above the name on screen
        for group, member in st.shares:
            line = QHBoxLayout()
            label = self._share_label(group, member)
            line.addWidget(message_label(f"• {label[0].upper()}{label[1:]}"), 1)
            drop = QPushButton("Forget this share…")
            drop.setAccessibleName(f"Forget {label}")
            drop.clicked.connect(lambda _=False, g=group, m=member: self.ask_drop(g, m))
            line.addWidget(drop)
            holder = QWidget()
            holder.setLayout(line)
            line.setContentsMargins(0, 0, 0, 0)
            self.entered_list.addWidget(holder)
            # Just before the name, as on screen: Shift+Tab from the name reaches the last one;
            # Tab from the name still goes to word 1.
            QWidget.setTabOrder(before, drop)
            before = drop

    def enter(self) -> None:
        carried = self.context.request.custodian_fingerprint if self.context.request else None
        if carried and not self.expected.hasAcceptableInput():
            # Vault registered it and the request carries it: the shares must rebuild this key.
            self.expected.setText(carried)
            self.expected.setReadOnly(True)
            self.expected.setToolTip("Registered in Vault and carried by the request.")
        asked = bool(self.context.expected_bags)
        self.name_row.setRowVisible(self.bag, asked)
        if asked:  # Tab: name, then the bag's serial, then word 1
            QWidget.setTabOrder(self.holder, self.bag)
        self.entry.follow_in_tab_order(self.bag if asked else self.holder)
        self._render()

    def _render(self) -> None:
        session = self.context.session
        state = self.state()
        entered = len(state.indices)
        if state.grouped and session is not None:  # "Board: 2 of 2 ✓ · Legal: 0 of 1 · …"
            self.progress.setText(session.progress_text())
        elif state.threshold:
            self.progress.setText(f"{entered} of {state.threshold} shares entered")
        elif session is not None:
            self.progress.setText(session.progress_text())
        else:
            self.progress.setText("No shares entered yet.")
        drill = self.context.kind == "drill"  # a drill checks every share, needed or not
        if state.complete and drill:
            self.turn.setText(
                "Enough shares are in to rebuild the key. A drill checks every share: each "
                "custodian still waiting enters theirs too, then press Next."
            )
        elif state.complete:
            self.turn.setText("Enough shares are in. Press Next.")
        elif state.grouped and session is not None:
            self.turn.setText(
                f"{session.missing_text()} Next custodian: step up, type your name, then your "
                f"share. Others, look away. {HIDE_RULE}"
            )
        else:
            self.turn.setText(
                f"Next custodian ({_turn(entered, state.threshold)}): step up, "
                f"type your name, then your share. Others, look away. {HIDE_RULE}"
            )
        self._render_entered()
        self.passphrase.setEnabled(session is None)
        self.has_passphrase.setEnabled(session is None)
        forgettable = session is not None and bool(state.indices)
        self.restart_button.setEnabled(forgettable)
        self.restart_button.setVisible(forgettable)  # nothing to forget: no room taken
        open_for_more = not state.complete or drill
        self.entry.setEnabled(open_for_more)
        self.holder.setEnabled(open_for_more)
        self.add_button.setEnabled(open_for_more)
        self._show_options()
        self.completeChanged.emit()

    def _name_refused(self, sentence: str) -> None:
        say_refusal(self.name_problem, sentence, self.holder)

    def _to_words(self) -> None:
        """Enter in the name: on to the bag's serial when one is asked and still empty."""
        if self._bag_missing():
            self.bag.setFocus()
        else:
            self.entry.focus_target().setFocus()

    def _bag_to_words(self) -> None:
        self.entry.focus_target().setFocus()

    def _bag_missing(self) -> bool:
        return bool(self.context.expected_bags) and not self.bag.text().strip()

    def focus_target(self) -> QWidget | None:
        if self.state().complete:
            return None
        if not self.holder.text().strip():
            return self.holder
        return self.bag if self._bag_missing() else self.entry.focus_target()

    def add_share(self) -> None:
        text = self.entry.text()
        if not text.strip():
            return
        name = self.holder.text().strip()
        self.bag_problem.setText("")
        self.bag_problem.hide()
        if not opened_bag_ok(self.context, text, name, self.bag.text()):
            self._refuse_bag(bag_refusal(self.context, text, self.bag.text()))
            return
        outcome = self._session().add(text)
        if outcome.accepted:
            share_checked(self.context, text, name)
        elif spare_share_checked(self.context, outcome.code, text, name):
            self.entry.clear_secret()
            self.holder.setText("")
            self.bag.setText("")
            self.message.setStyleSheet(f"color: {GOOD}; font-weight: bold;")
            self.message.setText(f"{outcome.message} {SPARE_CHECKED}")
            self._render()
            return
        else:
            self.entry.mark_refused()  # hidden before anything is said about it
        hidden = self.entry.privacy.isChecked()
        message = safe_message(outcome.message, outcome.suggestions, hidden)
        colour = GOOD if outcome.accepted else BAD
        self.message.setStyleSheet(f"color: {colour}; font-weight: bold;")
        if outcome.accepted and outcome.index is not None:
            name = self.holder.text().strip()
            if name:
                self.context.share_holders[outcome.index] = name
                message = f"{name}: " + message
            self.entry.clear_secret()  # and its undo history: the next custodian gets nothing
            self.holder.setText("")
            self.bag.setText("")
        else:  # the words stay, hidden, the suspect word marked; the record gets the code only
            self.context.note("A share was refused", "refused", outcome.code)
            message += (
                " This share alone can be dropped with 'Clear all words'; the shares already "
                "entered stay."
            )
        self.message.setText(message)
        if outcome.accepted:
            self.name_problem.setText("")
            self.name_problem.hide()
        self._render()
        if outcome.accepted:  # the next custodian's name, on screen; once complete, Enter = Next
            target = self.focus_target()
            (target or self).setFocus(Qt.FocusReason.OtherFocusReason)
            _scroll_to(target or self.progress)

    def _refuse_bag(self, sentence: str) -> None:
        """The share from a suspect bag is not used; the reason stands beside the bag serial,
        on screen, where the custodian just typed it (not below the words, out of sight)."""
        self.entry.clear_secret()
        self.message.setText("")
        self.bag_problem.setText(sentence)
        self.bag_problem.show()
        self.holder.setText("")  # the next custodian's turn: no name carried over
        self.bag.setText("")
        self._render()
        self.holder.setFocus(Qt.FocusReason.OtherFocusReason)
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # its height, now
        _scroll_to(self.bag_problem)

    def waiting_for(self) -> str:
        st = self.state()
        if not st.indices:
            return "No share is in yet: the first custodian types their name, then their share."
        if st.needed and not st.grouped:
            return f"Next opens after {st.needed} more share{'s' if st.needed > 1 else ''}."
        session = self.context.session
        missing = session.missing_text() if session is not None else ""
        return f"Next opens once enough shares are in ({len(st.indices)} so far). {missing}"

    def is_complete(self) -> bool:
        return self.state().complete

    def wipe(self) -> None:
        self.entry.clear_secret()
        self.passphrase.setText("")  # setText, not clear(): nothing for Ctrl+Z
        self.holder.setText("")


def _turn(entered: int, threshold: int | None) -> str:
    return f"{entered + 1} of {threshold}" if threshold else f"share {entered + 1}"


def _problem_label(name: str) -> QLabel:
    label = status_label()
    label.setObjectName(name)
    label.setStyleSheet(f"color: {BAD}; font-weight: bold;")
    return label
