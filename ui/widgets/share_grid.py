"""The words of one share in a grid laid out like the paper: 4 columns, numbered, read down.

Each cell takes one word. Four letters name a SLIP-39 word, so the cell
completes it and the focus moves on by itself: no space is needed. Any cell
can be clicked and retyped; the first letter typed replaces the old word.
Nothing here can reach a clipboard or the X11 selection. When the core can
locate a wrong word (``Locator``), the grid marks that cell and shows the
proposed word (only while the words are visible).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QScrollArea, QWidget

from ceremony.shares import words
from ui.pages.base import message_label
from ui.widgets.secret_line import NO_CLIPBOARD_KEYS

__all__ = ["COLUMNS", "Locator", "ShareGrid", "WordCell", "scroll_into_view"]

COLUMNS = 4
Locator = Callable[[Sequence[str]], "tuple[int, str] | None"]
"""Given the words of a share whose checksum fails: (0-based index, proposed word) or None."""


class WordCell(QLineEdit):
    """One word. Typing and moving on; nothing out: no copy, cut, drag, menu or selection."""

    advance = Signal()
    retreat = Signal()
    enter = Signal()

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self._fresh = False  # the next letter replaces the word (after a click or a move)
        self._before = ""
        self.setDragEnabled(False)
        self.setAcceptDrops(False)  # a share is typed or scanned, never dropped in
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAccessibleName(f"word {number}")
        self.setMaxLength(12)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("academic") + 16)
        self.setProperty("takesEnter", True)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
            | Qt.InputMethodHint.ImhLatinOnly
        )
        self.selectionChanged.connect(self._drop_selection)
        self.textEdited.connect(self._edited)

    def _drop_selection(self) -> None:
        if self.hasSelectedText():
            self.deselect()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.ignore()

    def arm(self) -> None:
        """Arrived at this word (click, move, Tab): the next letter starts it afresh."""
        self._fresh = bool(self.text())
        self.deselect()
        self.end(False)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.arm()
        scroll_into_view(self)  # on a small screen the page scrolls with the word being typed

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        self.arm()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:  # X11 pastes the selection here
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if any(event.matches(k) for k in NO_CLIPBOARD_KEYS):  # nothing out, nothing in
            event.accept()
            return
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._complete()
            self.enter.emit()
            event.accept()
            return
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Down):
            self._complete()
            self.advance.emit()
            event.accept()
            return
        if key == Qt.Key.Key_Up or (key == Qt.Key.Key_Backspace and not self.text()):
            self.retreat.emit()
            event.accept()
            return
        if self._fresh and event.text().isalpha():
            self.setText("")  # retyping a word: no Backspaces needed
        self._fresh = False
        self._before = self.text()
        super().keyPressEvent(event)

    def _edited(self, text: str) -> None:
        grew = len(text) > len(self._before)
        self._before = text
        if grew and len(text) >= words.UNIQUE_PREFIX:
            word = words.resolve(text)
            if word is not None:
                self.setText(word)
                self.advance.emit()

    def _complete(self) -> None:
        word = words.resolve(self.text())
        if word is not None and word != self.text():
            self.setText(word)

    def word(self) -> str | None:
        return words.resolve(self.text())


class ShareGrid(QWidget):
    """``changed`` on every edit; ``submitted`` on Enter in any cell."""

    changed = Signal()
    edited = Signal()  # typed by a person (not set from a paste or a QR code)
    submitted = Signal()
    relaid = Signal()  # new cells: the tab order around them is made again

    def __init__(self, word_count: int) -> None:
        super().__init__()
        self.cells: list[WordCell] = []
        self._hidden = False
        self._peek: int | None = None
        self._suspect: int | None = None
        self.layout_grid = QGridLayout(self)
        self.layout_grid.setContentsMargins(0, 0, 0, 0)
        self.layout_grid.setHorizontalSpacing(18)
        self.layout_grid.setVerticalSpacing(4)
        self.set_word_count(word_count)

    # -- layout -------------------------------------------------------------------

    def set_word_count(self, count: int) -> None:
        """Lay out ``count`` cells as the sheet does: down the first column, then the next."""
        if count == len(self.cells):
            return
        kept = [c.text() for c in self.cells]
        while self.layout_grid.count():
            item = self.layout_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.cells = []
        rows = math.ceil(count / COLUMNS)
        for n in range(count):
            cell = WordCell(n + 1)
            cell.textChanged.connect(self._cell_changed)
            cell.textEdited.connect(lambda _text: self.edited.emit())
            cell.advance.connect(lambda n=n: self._move(n + 1))
            cell.retreat.connect(lambda n=n: self._move(n - 1))
            cell.enter.connect(self.submitted.emit)
            cell.setEchoMode(self._echo(n))
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            number = message_label(f"{n + 1}.", wrap=False)
            number.setMinimumWidth(number.fontMetrics().horizontalAdvance("60.") + 4)
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.addWidget(number)
            row.addWidget(cell, 1)
            column, line = divmod(n, rows)
            self.layout_grid.addWidget(holder, line, column)
            self.cells.append(cell)
        for cell, text in zip(self.cells, kept, strict=False):
            cell.setText(text)
        # Tab goes down a column like reading the paper, not across.
        for a, b in zip(self.cells, self.cells[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self.relaid.emit()

    # -- reading and writing ----------------------------------------------------------

    def tokens(self) -> list[str]:
        """The filled cells' text in reading order, up to the last filled cell."""
        texts = [c.text().strip().lower() for c in self.cells]
        while texts and not texts[-1]:
            texts.pop()
        return texts

    def set_words(self, share_words: Sequence[str]) -> None:
        if len(share_words) > len(self.cells):
            self.set_word_count(len(share_words))
        self._fill([share_words[n] if n < len(share_words) else "" for n in range(len(self.cells))])

    def clear(self) -> None:
        """Empty every cell. ``setText`` drops each cell's undo history: Ctrl+Z brings nothing."""
        self._fill([""] * len(self.cells))

    def _fill(self, texts: Sequence[str]) -> None:
        """Set every cell at once: the entry hears one change, not one per cell."""
        self._suspect = None
        for cell, text in zip(self.cells, texts, strict=True):
            cell.blockSignals(True)
            try:
                cell.setText(text)
                cell.setModified(False)
            finally:
                cell.blockSignals(False)
        self._changed()

    def focus_cell(self, index: int) -> None:
        if 0 <= index < len(self.cells):
            self.cells[index].setFocus(Qt.FocusReason.TabFocusReason)
            self.cells[index].arm()

    def _move(self, index: int) -> None:
        self.focus_cell(index)
        self._changed()  # the word left behind is finished now: mark it

    def first_empty(self) -> int:
        for n, cell in enumerate(self.cells):
            if not cell.text():
                return n
        return len(self.cells) - 1

    # -- privacy ------------------------------------------------------------------------

    def _echo(self, index: int) -> QLineEdit.EchoMode:
        shown = not self._hidden or index == self._peek
        return QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password

    def set_hidden(self, hidden: bool) -> None:
        self._hidden = hidden
        self._peek = None
        self._apply_echo()

    def peek(self, index: int | None) -> None:
        """Show word ``index`` (0-based) alone while the others stay hidden; None hides it again."""
        self._peek = index
        self._apply_echo()
        if index is not None:
            self.focus_cell(index)

    def _apply_echo(self) -> None:
        for n, cell in enumerate(self.cells):
            cell.setEchoMode(self._echo(n))

    @property
    def hidden(self) -> bool:
        return self._hidden

    # -- marks --------------------------------------------------------------------------

    def mark_suspect(self, index: int | None) -> None:
        self._suspect = index
        for n, cell in enumerate(self.cells):
            cell.setProperty("suspect", n == index or (bool(cell.text()) and not cell.word()))
            _repolish(cell)

    def suspect(self) -> int | None:
        return self._suspect

    def unknown(self) -> list[int]:
        """0-based positions of finished cells whose text names no list word."""
        focus = self.focusWidget()
        return [
            n
            for n, cell in enumerate(self.cells)
            if cell.text() and cell.word() is None and cell is not focus
        ]

    def _cell_changed(self) -> None:
        self._suspect = None  # any edit may have fixed it
        self._changed()

    def _changed(self) -> None:
        for cell in self.cells:
            bad = bool(cell.text()) and cell.word() is None and cell is not self.focusWidget()
            if bool(cell.property("suspect")) != bad:
                cell.setProperty("suspect", bad)
                _repolish(cell)
        self.changed.emit()


def scroll_into_view(widget: QWidget) -> None:
    """Scroll the nearest scroll area around ``widget`` so that it is on screen."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        parent.ensureWidgetVisible(widget, 20, 40)


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)
