"""A ceremony wizard: a title that says where the custodians are, one page, and the buttons.

Cancel asks in place (no modal dialog hides the page) and, once confirmed,
wipes every secret of the run: the context's and each page's widgets'.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import CeremonyContext
from ui.pages.base import Page, message_label

__all__ = ["Wizard"]


class Wizard(QWidget):
    finished = Signal(bool)  # True: completed; False: cancelled

    def __init__(self, context: CeremonyContext, pages: Sequence[Page]) -> None:
        super().__init__()
        self.context = context
        self.pages = list(pages)
        self.index = 0
        self.closed = False

        self.heading = QLabel()
        self.heading.setObjectName("stepTitle")
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.kind_label = message_label()

        self.stack = QStackedWidget()
        for page in self.pages:
            scroller = QScrollArea()
            scroller.setWidgetResizable(True)
            scroller.setFrameShape(QFrame.Shape.NoFrame)
            scroller.setWidget(page)
            self.stack.addWidget(scroller)
            page.completeChanged.connect(self._update_buttons)

        self.cancel_bar = self._build_cancel_bar()
        self.back_button = QPushButton("&Back")
        self.cancel_button = QPushButton("&Cancel ceremony")
        self.next_button = QPushButton("&Next")
        self.next_button.setDefault(True)
        self.back_button.clicked.connect(self.back)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.next_button.clicked.connect(self.next)

        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.kind_label)
        layout.addWidget(self.heading)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.cancel_bar)
        layout.addLayout(buttons)
        self._show(0)

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
        self.page.enter()
        self._update_buttons()
        self.focus_first_field()

    def focus_first_field(self) -> None:
        """Put the keyboard in the page's first field, so a custodian can just type."""
        self.page.setFocus(Qt.FocusReason.OtherFocusReason)
        self.page.focusNextChild()

    def _update_buttons(self) -> None:
        page = self.page
        last = self.index == len(self.pages) - 1
        self.next_button.setText("&Finish" if last else f"&{page.next_text}")
        self.next_button.setEnabled(page.is_complete() and not page.busy())
        self.back_button.setEnabled(self.index > 0 and page.allow_back and not page.busy())

    def next(self) -> None:
        if not self.next_button.isEnabled() or not self.page.leave():
            self._update_buttons()
            return
        if self.index == len(self.pages) - 1:
            self._close(True)
        else:
            self._show(self.index + 1)

    def back(self) -> None:
        if self.back_button.isEnabled():
            self._show(self.index - 1)

    # -- cancel ----------------------------------------------------------------------

    def _build_cancel_bar(self) -> QWidget:
        bar = QFrame()
        bar.setObjectName("cancelBar")
        bar.setStyleSheet("#cancelBar { background: #fde2e1; border: 2px solid #b3261e; }")
        row = QHBoxLayout(bar)
        row.addWidget(
            message_label(
                "Cancel this ceremony? Everything entered will be wiped from memory. "
                "Paper already printed stays valid only if the ceremony is finished."
            ),
            1,
        )
        self.confirm_cancel_button = QPushButton("&Yes, cancel and wipe")
        self.keep_going_button = QPushButton("No, &go on")
        self.confirm_cancel_button.clicked.connect(self.cancel)
        self.keep_going_button.clicked.connect(lambda: self.cancel_bar.hide())
        row.addWidget(self.keep_going_button)
        row.addWidget(self.confirm_cancel_button)
        bar.hide()
        return bar

    def ask_cancel(self) -> None:
        self.cancel_bar.show()
        self.keep_going_button.setFocus()

    def cancel(self) -> None:
        self._close(False)

    def _close(self, completed: bool) -> None:
        if self.closed:
            return
        self.closed = True
        for page in self.pages:
            page.wipe()
        self.context.wipe()
        self.finished.emit(completed)
