"""Entering one share: typed words with completion and marks, paste, or a QR picture.

What the widget says about the share (word marks, checksum, index, set) comes
from the core (``ceremony.shares``); the widget only shows it. Privacy mode
hides the words from onlookers. Nothing here can put a share on a clipboard.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ceremony.errors import ShareError
from ceremony.shares import ShareInfo, detect_scheme, inspect, slip39, words
from ui import dialogs, services
from ui.pages.base import clear_layout, message_label
from ui.widgets.secret_line import SecretLineEdit
from ui.workers import Task, run_task

__all__ = ["ShareEntry"]

COLUMNS = 5
SHARE_WORDS = slip39.words_for_length(64)
GOOD, BAD, PENDING = "✓", "✗", "…"
TYPED, PASTED, SCANNED = "typed words", "pasted", "QR scanned"  # how a share came in


def _looks_legacy(text: str) -> bool:
    try:
        return detect_scheme(text) == "checktick"
    except ShareError:
        return False


class ShareEntry(QWidget):
    """One share in. ``changed`` on every edit; ``submitted`` on Enter."""

    changed = Signal()
    submitted = Signal()

    def __init__(self, *, camera: bool | None = None) -> None:
        super().__init__()
        self._info: ShareInfo | None = None
        self._task: Task | None = None
        self._source = TYPED

        self.field = SecretLineEdit()
        self.field.setPlaceholderText(
            "Type the words of the share (4 letters each are enough), or paste it"
        )
        self.field.setAccessibleName("Share words")
        self.field.textChanged.connect(self._on_text)
        self.field.textEdited.connect(self._typed)
        self.field.returnPressed.connect(self.submitted.emit)

        self.privacy = QCheckBox("&Hide what I type")
        self.privacy.toggled.connect(self._on_privacy)
        self.paste_button = QPushButton("&Paste a whole share")
        self.paste_button.clicked.connect(self.paste)
        self.image_button = QPushButton("Read QR from a p&icture…")
        self.image_button.clicked.connect(self._choose_image)
        self.camera_button = QPushButton("Scan QR with ca&mera")
        self.camera_button.clicked.connect(self._scan_camera)
        has_camera = _camera_available() if camera is None else camera
        self.camera_button.setEnabled(has_camera)
        if not has_camera:
            self.camera_button.setToolTip("No camera found: use a picture of the QR code")

        tools = QHBoxLayout()
        for w in (self.privacy, self.paste_button, self.image_button, self.camera_button):
            tools.addWidget(w)
        tools.addStretch(1)

        self.hint = message_label()
        self.hint.setObjectName("completionHint")
        self.grid_box = QWidget()
        self.grid = QGridLayout(self.grid_box)
        self.grid.setHorizontalSpacing(18)
        self.status = message_label()
        self.status.setObjectName("shareStatus")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addLayout(tools)
        layout.addWidget(self.hint)
        layout.addWidget(self.grid_box)
        layout.addWidget(self.status)
        self._on_text("")

    # -- reading ----------------------------------------------------------------------

    def text(self) -> str:
        return self.field.text()

    def source(self) -> str:
        """How the current text came in: typed words, pasted, or QR scanned."""
        return self._source

    def _typed(self) -> None:
        self._source = TYPED

    def info(self) -> ShareInfo | None:
        """What the core says about a complete, well-formed share; None otherwise."""
        return self._info

    def set_text(self, text: str, source: str = TYPED) -> None:
        self.field.setText(text.strip())
        self._source = source

    def clear_secret(self) -> None:
        self.field.clear()
        self.field.setModified(False)
        self._info = None
        self._source = TYPED
        self._on_text("")

    def paste(self) -> None:
        """Take a whole share from the clipboard, then empty the clipboard so it lingers nowhere."""
        clipboard = QGuiApplication.clipboard()
        clip = clipboard.text()
        if clip.strip():
            self.set_text(" ".join(clip.split()), PASTED)
            clipboard.clear()
        self.field.setFocus()

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
            lambda _progress: services.decode_qr_image(Path(str(path))),
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
        from ui.widgets.camera_scanner import scan_qr

        text = scan_qr(self)
        if text:
            self.set_text(text, SCANNED)

    # -- display --------------------------------------------------------------------------

    def _on_privacy(self, hidden: bool) -> None:
        self.field.setEchoMode(QLineEdit.EchoMode.Password if hidden else QLineEdit.EchoMode.Normal)
        self._on_text(self.field.text())

    def _on_text(self, text: str) -> None:
        self._info = None
        legacy = _looks_legacy(text)
        tokens = [] if legacy else [t for t in text.replace(",", " ").split() if not t.isdigit()]
        self._render_grid(tokens, typing=bool(text) and not text.endswith(" "))
        self._render_hint(text, tokens, legacy)
        self._render_status(text, tokens, legacy)
        self.changed.emit()

    def _render_grid(self, tokens: list[str], typing: bool) -> None:
        clear_layout(self.grid)
        hidden = self.privacy.isChecked()
        for n, token in enumerate(tokens):
            word = words.resolve(token)
            last = typing and n == len(tokens) - 1
            mark = GOOD if word else (PENDING if last else BAD)
            shown = "•" * 5 if hidden else (word or token.lower())
            cell = message_label(f"{n + 1:>2}. {shown} {mark}", wrap=False)
            cell.setObjectName("wordGood" if word else "wordBad")
            colour = "#1b5e20" if word else ("#555" if last else "#b3261e")
            cell.setStyleSheet(f"color: {colour}; font-family: monospace;")
            cell.setAccessibleName(f"word {n + 1} {'known' if word else 'not in the list'}")
            self.grid.addWidget(cell, n // COLUMNS, n % COLUMNS)
        self.grid_box.setVisible(bool(tokens))

    def _render_hint(self, text: str, tokens: list[str], legacy: bool) -> None:
        if legacy or not tokens or text.endswith(" ") or self.privacy.isChecked():
            self.hint.setText("")
            return
        current = tokens[-1]
        if words.resolve(current):
            self.hint.setText(f"Word {len(tokens)}: {words.resolve(current)} (press space)")
            return
        options = words.complete(current, 6)
        self.hint.setText(
            f"Word {len(tokens)}: {', '.join(options)}"
            if options
            else f"Word {len(tokens)}: no SLIP-39 word starts like this."
        )

    def _render_status(self, text: str, tokens: list[str], legacy: bool) -> None:
        if not text.strip():
            self.status.setText("")
            return
        finished = tokens if text.endswith(" ") else tokens[:-1]  # the last may be half typed
        unknown = [n + 1 for n, t in enumerate(finished) if words.resolve(t) is None]
        if unknown:
            self._show_status(
                f"Word {unknown[0]} is not in the SLIP-39 word list: check it on the sheet.",
                ok=False,
            )
            return
        if not legacy and len(tokens) < SHARE_WORDS:
            self._show_status(f"{len(tokens)} of {SHARE_WORDS} words entered.", ok=None)
            return
        try:
            self._info = inspect(text)
        except ShareError as err:
            self._show_status(err.message, ok=False)
            return
        check = "Checksum correct" if self._info.scheme == "slip39" else "Readable"
        self._show_status(f"{check}: {self._info.describe()}.", ok=True)

    def _show_status(self, message: str, ok: bool | None) -> None:
        colour = {True: "#1b5e20", False: "#b3261e", None: "#333"}[ok]
        self.status.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.status.setText(message)


def _camera_available() -> bool:
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return False
    return bool(QMediaDevices.videoInputs())
