"""A ceremony wizard: a step rail, a title that says where the custodians are, one page, buttons.

Keys are safe for a room of tired people typing names: no page opens with the
focus on a button that destroys anything, Cancel takes no keyboard focus, and
wiping needs the word "wipe" typed in the confirmation field. Enter presses
the primary button wherever no field takes Enter itself. Cancel asks in place
(no modal dialog hides the page) and, once confirmed, wipes every secret of
the run: the context's and each page's widgets'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import CeremonyContext
from ui.pages.base import (
    Page,
    first_field,
    mark_destructive,
    message_label,
    takes_enter,
    wrap_forms,
)
from ui.style import heading_font
from ui.widgets.request_clock import RequestClock

__all__ = ["CONFIRM_WORD", "Wizard"]

CONFIRM_WORD = "wipe"
RAIL_MARKS = {"done": "✓", "current": "▶", "todo": "○"}


class Wizard(QWidget):
    finished = Signal(bool)  # True: completed; False: cancelled
    announced = Signal(str)  # what a screen reader is told as a step opens
    resumed = Signal()  # the cancel question was answered "No, go on"

    def __init__(self, context: CeremonyContext, pages: Sequence[Page]) -> None:
        super().__init__()
        self.context = context
        self.pages = list(pages)
        self.index = 0
        self.closed = False

        self._build_heading()
        self._build_stack()
        self.rail, self.rail_labels = self._build_rail()
        self.cancel_bar = self._build_cancel_bar()
        self._build_buttons()
        self._lay_out()
        self._show(0)

    def _build_heading(self) -> None:
        """The step title and the kind of ceremony above it."""
        self.heading = QLabel()
        self.heading.setObjectName("stepTitle")
        self.heading.setFont(heading_font(self.heading.font()))
        self.heading.setWordWrap(True)
        self.kind_label = message_label()
        self.kind_label.setObjectName("kindLabel")

    def _build_stack(self) -> None:
        """One scrolling slot per page; the pages' signals drive the buttons."""
        self.stack = QStackedWidget()
        for page in self.pages:
            scroller = QScrollArea()
            scroller.setWidgetResizable(True)
            scroller.setFrameShape(QFrame.Shape.NoFrame)
            scroller.setWidget(page)
            self.stack.addWidget(scroller)
            page.completeChanged.connect(self._update_buttons)
            page.backRequested.connect(self.back)
        self.stack.setMinimumHeight(120)  # the page scrolls; the buttons stay on screen

    def _build_buttons(self) -> None:
        """Back, Cancel and Next, and the reason Next is not available yet."""
        self.back_button = QPushButton("&Back")
        self.cancel_button = QPushButton("&Cancel ceremony…")
        mark_destructive(self.cancel_button)
        # Never in the tab chain: Space typed into a name can never reach it (Alt+C opens it).
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.next_button = QPushButton("&Next")
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        self.back_button.clicked.connect(self.back)
        self.cancel_button.clicked.connect(lambda: self.ask_cancel())
        self.next_button.clicked.connect(self.next)
        # Why Next is disabled, right beside it: never below the fold of a long page.
        self.waiting = message_label()
        self.waiting.setObjectName("nextReason")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.waiting.setAccessibleName("Why Next is not available yet")

    def _lay_out(self) -> None:
        """The rail on the left; heading, page, and the button row on the right."""
        row = QFrame()
        row.setObjectName("buttonRow")
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(0, 8, 0, 0)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.waiting, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        self.button_row = row

        column = QVBoxLayout()
        column.addWidget(self.kind_label)
        column.addWidget(self.heading)
        self.clock = RequestClock(self._request_expires)  # the request's time left, every step
        column.addWidget(self.clock)
        column.addWidget(self.stack, 1)
        column.addWidget(self.cancel_bar)
        column.addWidget(row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 12, 10)
        layout.addWidget(self.rail)
        layout.addLayout(column, 1)

    def _build_rail(self) -> tuple[QScrollArea, list[QLabel]]:
        box = QFrame()
        box.setObjectName("stepRail")
        rail = QVBoxLayout(box)
        rail.setContentsMargins(14, 14, 14, 14)
        rail.setSpacing(6)
        title = QLabel(self.context.title)
        title.setFont(heading_font(title.font(), 13))
        title.setWordWrap(True)
        rail.addWidget(title)
        labels = []
        for page in self.pages:
            label = message_label(page.title)
            label.setAccessibleName(f"step {page.title}")
            labels.append(label)
            rail.addWidget(label)
        rail.addStretch(1)
        scroller = QScrollArea()
        scroller.setWidget(box)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFixedWidth(190)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return scroller, labels

    # -- navigation --------------------------------------------------------------

    @property
    def page(self) -> Page:
        return self.pages[self.index]

    def step_title(self) -> str:
        return f"Step {self.index + 1} of {len(self.pages)}: {self.page.title}"

    def _show(self, index: int) -> None:
        self.index = index
        self.stack.setCurrentIndex(index)
        mode = "Rehearsal" if self.context.rehearsal else "Real ceremony"
        self.kind_label.setText(
            f"{self.context.title} · {mode} · ceremony {self.context.ceremony_id}"
        )
        self.heading.setText(self.step_title())
        self.context.log.at_step(index + 1)
        self._paint_rail()
        self.page.enter()
        wrap_forms(self.page)  # after enter(): some pages build their forms there
        self.cancel_button.setVisible(self.page.can_cancel)
        self._update_buttons()
        self._announce()
        self.focus_first_field()
        # Fields a page adds in enter() are shown by a queued event: try again after it.
        QTimer.singleShot(0, self._settle_focus)

    def _settle_focus(self) -> None:
        if self.closed:
            return
        focus = QApplication.focusWidget()
        if focus is None or focus is self.page or not self.isAncestorOf(focus):
            self.focus_first_field()

    def _announce(self) -> None:
        """Tell a screen reader the step changed, as a live region would."""
        text = self.step_title()
        self.heading.setAccessibleName(text)
        self.rail.setAccessibleDescription(f"Now at {text}")
        for target in (self.heading, self.rail):
            event = QAccessibleEvent(target, QAccessible.Event.NameChanged)
            QAccessible.updateAccessibility(event)
        QAccessible.updateAccessibility(QAccessibleEvent(self.heading, QAccessible.Event.Alert))
        self.announced.emit(text)

    def _paint_rail(self) -> None:
        for n, label in enumerate(self.rail_labels):
            state = "done" if n < self.index else "current" if n == self.index else "todo"
            label.setText(f"{RAIL_MARKS[state]}  {self.pages[n].title}")
            label.setProperty("step", state)
            label.style().unpolish(label)
            label.style().polish(label)

    def focus_first_field(self) -> None:
        """Put the keyboard in the page's first field, so a custodian can just type.

        A page with no field keeps the focus on itself: typing presses no button there,
        and Enter still reaches the wizard (Next).
        """
        target = self.page.focus_target() or first_field(self.page) or self.page
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _request_expires(self) -> datetime | None:
        request = self.context.request
        return request.expires_at if request is not None else None

    def _update_buttons(self) -> None:
        self.clock.refresh()
        page = self.page
        last = self.index == len(self.pages) - 1
        self.next_button.setText("&Finish" if last else f"&{page.next_text}")
        ready = page.is_complete() and not page.busy()
        self.next_button.setEnabled(ready)
        self.back_button.setEnabled(self.index > 0 and page.allow_back and not page.busy())
        reason = "" if ready else (page.busy_text() if page.busy() else page.waiting_for())
        self.waiting.setText(reason)
        self.next_button.setAccessibleDescription(reason)

    def next(self) -> None:
        if not self.next_button.isEnabled() or not self.page.leave():
            self._update_buttons()
            return
        self.context.log.step_done(self.index + 1)  # the run sheet's time for this step
        if self.index == len(self.pages) - 1:
            self._close(True)
        else:
            self._show(self.index + 1)

    def back(self) -> None:
        if self.back_button.isEnabled():
            self._show(self.index - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter presses the primary button, unless the focused field took it first."""
        if self.closed:  # e.g. the Enter that confirmed the wipe: it presses nothing else
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self.cancel_bar.isVisible():
            self.keep_going()
            return
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        focus = QApplication.focusWidget()
        if focus is not None and takes_enter(focus):
            event.accept()
            return
        if isinstance(focus, QAbstractButton) and not isinstance(focus, QCheckBox):
            if focus.isEnabled() and focus is not self.cancel_button:
                focus.click()  # a focused button is what Enter means
            event.accept()
            return
        if self.cancel_bar.isVisible():
            event.accept()  # a half-made cancel decision takes no Enter from elsewhere
            return
        event.accept()
        self.next()

    # -- cancel ----------------------------------------------------------------------

    def _build_cancel_bar(self) -> QWidget:
        bar = QFrame()
        bar.setObjectName("cancelBar")
        bar.setStyleSheet("#cancelBar { background: #fde2e1; border: 2px solid #b3261e; }")
        # The question across the whole width, the answer under it: beside the field it wrapped
        # into a tall, narrow column that pushed the page out of sight.
        column = QVBoxLayout(bar)
        self.cancel_question = message_label()
        self.cancel_question.setObjectName("cancelQuestion")
        column.addWidget(self.cancel_question)
        row = QHBoxLayout()
        column.addLayout(row)
        self.confirm_field = QLineEdit()
        self.confirm_field.setAccessibleName(f"Type {CONFIRM_WORD} to cancel the ceremony")
        self.confirm_field.setMaximumWidth(120)
        self.confirm_field.textChanged.connect(self._confirm_typed)
        self.confirm_field.returnPressed.connect(self._confirm_by_enter)
        self.confirm_field.setProperty("takesEnter", True)
        self.confirm_cancel_button = QPushButton("Cancel and wipe")
        mark_destructive(self.confirm_cancel_button)
        self.confirm_cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm_cancel_button.setEnabled(False)
        self.keep_going_button = QPushButton("No, &go on")
        self.confirm_cancel_button.clicked.connect(self._confirmed)
        self.keep_going_button.clicked.connect(self.keep_going)
        row.addWidget(self.confirm_field)
        row.addWidget(self.confirm_cancel_button)
        row.addWidget(self.keep_going_button)
        row.addStretch(1)
        bar.hide()
        return bar

    def _confirm_typed(self, text: str) -> None:
        self.confirm_cancel_button.setEnabled(text.strip().lower() == CONFIRM_WORD)

    def _confirm_by_enter(self) -> None:
        if self.confirm_cancel_button.isEnabled():
            self._confirmed()

    def _confirmed(self) -> None:
        if self.cancel_bar.isVisible() and self.confirm_cancel_button.isEnabled():
            self.cancel()

    def ask_cancel(self, why: str = "") -> None:
        """The one question every way out asks: Cancel, closing the window, logout, SIGTERM."""
        self.confirm_field.clear()
        self.cancel_question.setText(
            (f"{why} " if why else "")
            + "Cancel this ceremony? Everything entered is wiped from memory, and paper already "
            f"printed is worthless. To cancel, type the word “{CONFIRM_WORD}” below."
        )
        self.cancel_bar.show()
        self.confirm_field.setFocus()
        QAccessible.updateAccessibility(
            QAccessibleEvent(self.cancel_question, QAccessible.Event.Alert)
        )

    def needs_decision(self) -> bool:
        """Whether leaving now would throw work away: a ceremony still running, before Done."""
        return not self.closed and self.page.can_cancel

    def keep_going(self) -> None:
        self.confirm_field.clear()
        self.cancel_bar.hide()
        self.focus_first_field()
        self.resumed.emit()

    def cancel(self) -> None:
        self.context.log.deviation("cancelled", f"The ceremony was cancelled at: {self.page.title}")
        self._close(False)

    def _close(self, completed: bool) -> None:
        if self.closed:
            return
        self.closed = True
        for page in self.pages:
            page.wipe()
        self.context.wipe()
        self.finished.emit(completed)
