"""Entering one share: a word grid like the paper, a line for legacy shares, or a QR picture.

What the widget says about the share (checksum, index, set, which word is
wrong) comes from the core (``ceremony.shares``); the widget only shows it.
Privacy mode hides the words from onlookers, with "show word N" to peek at
one, and then no message quotes a word. Nothing here can put a share on a
clipboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ceremony.errors import ShareError
from ceremony.shares import ShareInfo, detect_scheme, inspect, locate_wrong_word, slip39, words
from ui import dialogs
from ui.pages.base import message_label
from ui.qr_images import decode_qr_image
from ui.style import BAD, GOOD
from ui.widgets.secret_line import SecretLineEdit
from ui.widgets.share_grid import Locator, ShareGrid
from ui.widgets.status_line import status_label
from ui.workers import Task, run_task

__all__ = ["HIDE_RULE", "SHARE_WORDS", "ShareEntry", "core_locator", "safe_message"]

# One rule, real ceremony or rehearsal: the words start hidden, and a refused share is
# hidden again, like an accepted one (which is cleared).
HIDE_RULE = "The words are hidden: untick 'Hide the words' only if nobody else can see the screen."

SHARE_WORDS = slip39.words_for_length(64)
VALID_LENGTHS = (slip39.words_for_length(32), SHARE_WORDS)
# How a share came in. Never from the clipboard: a share must not pass through it.
TYPED, SCANNED = "typed words", "QR scanned"


def core_locator() -> Locator:
    """The core's single-wrong-word locator: the only one."""
    return locate_wrong_word


def safe_message(message: str, suggestions: Sequence[str], hidden: bool) -> str:
    """The message without any proposed word while the words are hidden."""
    if not hidden:
        return message
    cut = message.split(" Did you mean")[0]
    for word in suggestions:
        cut = cut.replace(word, "…")
    return cut


def _looks_legacy(text: str) -> bool:
    try:
        return detect_scheme(text) == "checktick"
    except ShareError:
        return False


class ShareEntry(QWidget):
    """One share in. ``changed`` on every edit; ``submitted`` on Enter."""

    changed = Signal()
    submitted = Signal()

    def __init__(
        self,
        *,
        camera: bool | None = None,
        word_count: int = SHARE_WORDS,
        locator: Locator | None = None,
    ) -> None:
        super().__init__()
        self._info: ShareInfo | None = None
        self._task: Task | None = None
        self._source = TYPED
        self.locator = locator if locator is not None else core_locator()
        self.proposal: tuple[int, str] | None = None

        self._build_inputs(word_count)
        self._build_tools(word_count, camera)
        self._lay_out()
        self._tab_anchor: QWidget | None = None
        self.grid.relaid.connect(self._order_tabs)
        self._order_tabs()
        self.privacy.setChecked(True)  # HIDE_RULE
        self._on_change()

    def _build_inputs(self, word_count: int) -> None:
        """The word grid and the one-line field for legacy shares."""
        self.grid = ShareGrid(word_count)
        self.grid.changed.connect(self._on_change)
        self.grid.edited.connect(self._typed)
        self.grid.submitted.connect(self.submitted.emit)

        self.field = SecretLineEdit()  # legacy shares: one line
        self.field.setPlaceholderText("Type the legacy share exactly as printed: 80<n>-<n>-<hex>")
        self.field.setAccessibleName("Legacy share")
        self.field.textChanged.connect(self._on_change)
        self.field.textEdited.connect(self._typed)
        self.field.returnPressed.connect(self.submitted.emit)
        self.field.setProperty("takesEnter", True)
        self.field.hide()

    def _build_tools(self, word_count: int, camera: bool | None) -> None:
        """Privacy, peek, clear, legacy and QR buttons."""
        self.privacy = QCheckBox("&Hide the words")
        self.privacy.toggled.connect(self._on_privacy)
        self.peek_number = QSpinBox()
        self.peek_number.setRange(1, word_count)
        self.peek_number.setPrefix("word ")
        self.peek_number.setAccessibleName("Word number to show")
        self.peek_button = QPushButton("Sho&w")
        self.peek_button.clicked.connect(self.show_word)
        self.clear_button = QPushButton("C&lear all words")
        self.clear_button.clicked.connect(self.clear_words)
        self.legacy = QCheckBox("Le&gacy share (one line)")
        self.legacy.toggled.connect(self._on_legacy)
        self.image_button = QPushButton("Read QR from a p&icture…")
        self.image_button.clicked.connect(self._choose_image)
        self.camera_button = QPushButton("Scan QR with ca&mera")
        self.camera_button.clicked.connect(self._scan_camera)
        self.has_camera = camera  # None: ask Qt when the button is first pressed
        if camera is False:
            self.camera_button.setEnabled(False)
            self.camera_button.setToolTip("No camera found: use a picture of the QR code")

    def _lay_out(self) -> None:
        """The hint and status lines, and the tools around the grid."""
        tools = QHBoxLayout()
        for w in (self.privacy, self.peek_number, self.peek_button, self.clear_button):
            tools.addWidget(w)
        tools.addStretch(1)
        more = QGridLayout()  # two by two: fits a laptop at 150 % without scrolling sideways
        more.addWidget(self.image_button, 0, 0)
        more.addWidget(self.camera_button, 0, 1)
        more.addWidget(self.legacy, 1, 0)
        more.setColumnStretch(2, 1)

        self.hint = message_label()
        self.hint.setObjectName("completionHint")
        self.status = status_label()  # never shows three share words in a row
        self.status.setObjectName("shareStatus")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tools)
        layout.addWidget(self.grid)
        layout.addWidget(self.field)
        layout.addWidget(self.hint)
        layout.addWidget(self.status)
        layout.addLayout(more)

    def follow_in_tab_order(self, before: QWidget) -> None:
        """Tab from ``before`` (the custodian's name) goes to word 1, not to the tools."""
        self._tab_anchor = before
        self._order_tabs()

    def _order_tabs(self) -> None:
        """The words first, in reading order, then the line, then the tools under them."""
        chain: list[QWidget] = [*self.grid.cells, self.field, self.privacy, self.peek_number,
                                self.peek_button, self.clear_button, self.image_button,
                                self.camera_button, self.legacy]  # fmt: skip
        if self._tab_anchor is not None:
            chain.insert(0, self._tab_anchor)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- reading ----------------------------------------------------------------------

    def is_legacy(self) -> bool:
        return self.legacy.isChecked()

    def text(self) -> str:
        if self.is_legacy():
            return self.field.text()
        return " ".join(words.resolve(t) or t for t in self.grid.tokens())

    def source(self) -> str:
        """How the current text came in: typed words or QR scanned."""
        return self._source

    def _typed(self) -> None:
        self._source = TYPED

    def info(self) -> ShareInfo | None:
        """What the core says about a complete, well-formed share; None otherwise."""
        return self._info

    def focus_target(self) -> QWidget:
        return self.field if self.is_legacy() else self.grid.cells[self.grid.first_empty()]

    def set_text(self, text: str, source: str = TYPED) -> None:
        text = text.strip()
        if _looks_legacy(text):
            self.legacy.setChecked(True)
            self.field.setText(text)
        else:
            self.legacy.setChecked(False)
            tokens = [t for t in text.replace(",", " ").split() if not t.rstrip(".").isdigit()]
            if len(tokens) in VALID_LENGTHS:
                self.grid.set_word_count(len(tokens))  # a 32-byte key's shares are shorter
                self.peek_number.setMaximum(len(tokens))
            self.grid.set_words(tokens)
        self._source = source

    def clear_words(self) -> None:
        self.clear_secret()
        self.focus_target().setFocus()

    def clear_secret(self) -> None:
        """Empty the grid and the line; their undo histories go with them."""
        self.grid.clear()
        self.field.setText("")  # not clear(): that one can be undone
        self.field.setModified(False)
        self._info = None
        self.proposal = None
        self._source = TYPED
        self._on_change()

    def show_word(self) -> None:
        """Privacy on: show one word (the one a custodian is checking) and keep the rest hidden."""
        self.grid.peek(self.peek_number.value() - 1)

    # -- QR ------------------------------------------------------------------------------

    def _choose_image(self) -> None:
        path = dialogs.ask_open_image(self)
        if path is not None:
            self.load_qr_image(path)

    def load_qr_image(self, path: object) -> None:
        from pathlib import Path

        self.status.setText("Reading the QR code…")
        self.image_button.setEnabled(False)
        self._task = run_task(
            lambda _progress: decode_qr_image(Path(str(path))),
            self._qr_read,
            self._qr_failed,
        )

    def reading(self) -> bool:
        return not self.image_button.isEnabled()

    def _qr_read(self, text: object) -> None:
        self.image_button.setEnabled(True)
        self._task = None
        self.set_text(str(text), SCANNED)

    def _qr_failed(self, message: str) -> None:
        self.image_button.setEnabled(True)
        self._task = None
        self._show_status(message, ok=False)

    def _scan_camera(self) -> None:
        if self.has_camera is None:
            self.has_camera = _camera_available()  # loads Qt Multimedia: only now
        if not self.has_camera:
            self.camera_button.setEnabled(False)
            self._show_status("No camera found: read the QR code from a picture.", ok=False)
            return
        from ui.widgets.camera_scanner import scan_qr

        text = scan_qr(self)
        if text:
            self.set_text(text, SCANNED)

    # -- display --------------------------------------------------------------------------

    def _on_privacy(self, hidden: bool) -> None:
        self.grid.set_hidden(hidden)
        self.field.setEchoMode(QLineEdit.EchoMode.Password if hidden else QLineEdit.EchoMode.Normal)
        self.peek_number.setVisible(hidden)
        self.peek_button.setVisible(hidden)
        self._on_change()

    def _on_legacy(self, legacy: bool) -> None:
        self.grid.setVisible(not legacy)
        self.clear_button.setVisible(not legacy)
        self.field.setVisible(legacy)
        self._on_change()

    def _on_change(self) -> None:
        self._info = None
        self.proposal = None
        if self.is_legacy():
            self.hint.setText("")
            self._render_legacy()
        else:
            self._render_hint()
            self._render_words()
        self.changed.emit()

    def _render_hint(self) -> None:
        focus = self.grid.focusWidget()
        cell = focus if focus in self.grid.cells else None
        typed = cell.text() if cell is not None else ""
        if self.grid.hidden or not typed or words.resolve(typed):
            self.hint.setText("")
            return
        options = words.complete(typed, 6)
        self.hint.setText(
            f"Words starting like this: {', '.join(options)}"
            if options
            else "No SLIP-39 word starts like this: check the word on the sheet."
        )

    def _render_legacy(self) -> None:
        text = self.field.text()
        if not text.strip():
            self.status.setText("")
            return
        try:
            self._info = inspect(text)
        except ShareError as err:
            self._show_status(safe_message(err.message, err.suggestions, self.grid.hidden), False)
            return
        self._show_status(f"Readable: {self._info.describe()}.", ok=True)

    def _render_words(self) -> None:
        tokens = self.grid.tokens()
        if not tokens:
            self.status.setText("")
            return
        unknown = self.grid.unknown()
        if unknown:
            self._show_status(
                f"Word {unknown[0] + 1} is not in the SLIP-39 word list: check it on the sheet.",
                ok=False,
            )
            return
        total = len(self.grid.cells)
        filled = sum(1 for t in tokens if t)
        if filled < total:
            self._show_status(f"{filled} of {total} words entered.", ok=None)
            return
        try:
            self._info = inspect(self.text())
        except ShareError as err:
            if err.code == "checksum":
                self._checksum_failed()
            else:
                self._show_status(safe_message(err.message, err.suggestions, True), ok=False)
            return
        self.grid.mark_suspect(None)
        self._show_status(f"Checksum correct: {self._info.describe()}.", ok=True)

    def _checksum_failed(self) -> None:
        found = self.locator(self.text().split()) if self.locator is not None else None
        if found is None:
            self.grid.mark_suspect(None)
            self._show_status(
                "The checksum does not match: at least one word is wrong. "
                "Check each word against the sheet.",
                ok=False,
            )
            return
        index, proposal = found
        self.proposal = found
        self.grid.mark_suspect(index)
        said = "" if self.grid.hidden else f" It may be '{proposal}'."
        self._show_status(
            f"The checksum points at word {index + 1}: check it on the sheet.{said}", ok=False
        )

    def mark_refused(self) -> None:
        """A refused share stays to be corrected, hidden (HIDE_RULE); its suspect word is marked."""
        self.privacy.setChecked(True)
        if not self.is_legacy() and self.proposal is not None:
            self.grid.mark_suspect(self.proposal[0])
            self.grid.focus_cell(self.proposal[0])

    def _show_status(self, message: str, ok: bool | None) -> None:
        colour = {True: GOOD, False: BAD, None: "#1a1a1a"}[ok]
        self.status.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.status.setText(message)


def _camera_available() -> bool:
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return False
    return bool(QMediaDevices.videoInputs())
