"""The request from the Vault side: typed code, a QR picture, the camera, or a request file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton

from ceremony.errors import CeremonyError
from ui import dialogs, services
from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.workers import Task, run_task

__all__ = ["RequestPage"]


class RequestPage(Page):
    title = "The request from the Vault side"

    def __init__(self, context: CeremonyContext, operations: tuple[str, ...]) -> None:
        super().__init__(context)
        self.operations = operations
        self._task: Task | None = None
        self.code = QPlainTextEdit()
        self.code.setTabChangesFocus(True)
        self.code.setPlaceholderText("Type the request code exactly as shown on the Vault side")
        self.code.setFixedHeight(self.fontMetrics().lineSpacing() * 6)
        self.code.textChanged.connect(self._changed)
        self.image_button = QPushButton("Read the request QR from a p&icture…")
        self.image_button.clicked.connect(self._choose_image)
        self.practice_button = QPushButton("Use a p&ractice request (rehearsal)")
        self.practice_button.clicked.connect(self.use_practice_request)
        self.message = message_label()
        self.message.setObjectName("requestMessage")

        row = QHBoxLayout()
        row.addWidget(self.image_button)
        row.addWidget(self.practice_button)
        row.addStretch(1)
        wanted = " or ".join(operations)
        self.body.addWidget(
            message_label(
                f"The Vault operator runs 'ceremony vault request {operations[0]}' and shows a QR "
                f"code and a typed code. This ceremony accepts a request for: {wanted}."
            )
        )
        self.body.addWidget(self.code)
        self.body.addLayout(row)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        # Only once it has a parent: shown before, it became a window and took the focus.
        self.practice_button.setVisible(context.rehearsal)

    def _changed(self) -> None:
        self.context.request = None
        text = self.code.toPlainText().strip()
        if not text:
            self.message.clear()
        else:
            try:
                request = services.read_request(text)
            except CeremonyError as err:
                self._say(err.message, ok=False)
            else:
                if request.operation not in self.operations:
                    self._say(
                        f"This request is for '{request.operation}', but this ceremony "
                        f"answers {' or '.join(self.operations)}. Ask for the right request.",
                        ok=False,
                    )
                else:
                    self.context.request = request
                    self._say(f"Request read: {request.describe()}.", ok=True)
        self.completeChanged.emit()

    def _say(self, text: str, ok: bool) -> None:
        self.message.setStyleSheet(f"color: {'#1b5e20' if ok else '#b3261e'}; font-weight: bold;")
        self.message.setText(text)

    def _choose_image(self) -> None:
        path = dialogs.ask_open_image(self)
        if path is not None:
            self.load_image(path)

    def load_image(self, path: Path) -> None:
        self.image_button.setEnabled(False)
        self._say("Reading the QR code…", ok=True)
        self._task = run_task(
            lambda _p: services.decode_qr_image(path), self._decoded, self._failed
        )
        self.completeChanged.emit()

    def _decoded(self, text: object) -> None:
        self._task = None
        self.image_button.setEnabled(True)
        self.code.setPlainText(str(text))

    def _failed(self, message: str) -> None:
        self._task = None
        self.image_button.setEnabled(True)
        self._say(message, ok=False)
        self.completeChanged.emit()

    def use_practice_request(self) -> None:
        version = self.context.key_version or "rehearsal"
        self.code.setPlainText(services.practice_request(self.operations[0], version))

    def busy(self) -> bool:
        return self._task is not None

    def is_complete(self) -> bool:
        return self.context.request is not None

    def leave(self) -> bool:
        return self.context.request is not None
