"""The request from the Vault side: typed code, a QR picture, the camera, or a request file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton

from ceremony.errors import CeremonyError
from ui import dialogs
from ui.context import CeremonyContext, Crossing, Details, Run, Secrets
from ui.glossary import meanings_in
from ui.pages.base import Page, message_label
from ui.qr_images import decode_qr_image
from ui.widgets.status_line import status_label
from ui.workers import Task, run_task

if TYPE_CHECKING:
    from ceremony.gap import Operation, Request

__all__ = ["RequestPage"]


class RequestPage(Page):
    reads = (Run, Details)
    writes = (Secrets, Crossing)
    title = "The request from the Vault side"

    def __init__(self, context: CeremonyContext, operations: tuple[Operation, ...]) -> None:
        super().__init__(context)
        self.operations = operations
        self._task: Task | None = None
        self._practice_text = ""
        self.code = QPlainTextEdit()
        self.code.setAccessibleName("Request code from the Vault side")
        self.code.setTabChangesFocus(True)
        self.code.setPlaceholderText("Type the request code exactly as shown on the Vault side")
        self.code.setFixedHeight(self.fontMetrics().lineSpacing() * 6)
        self.code.textChanged.connect(self._changed)
        self.image_button = QPushButton("Read the request QR from a p&icture…")
        self.image_button.clicked.connect(self._choose_image)
        self.practice_button = QPushButton("Use a p&ractice request (rehearsal)")
        self.practice_button.clicked.connect(self.use_practice_request)
        self.message = status_label()
        self.message.setObjectName("requestMessage")

        row = QHBoxLayout()
        row.addWidget(self.image_button)
        row.addWidget(self.practice_button)
        row.addStretch(1)
        from ceremony.operations.table import operation

        self.wanted = " or ".join(operation(o).title for o in operations)
        self.body.addWidget(
            message_label(
                "The Vault operator makes the request on the Vault side and shows a QR code and "
                f"a typed code. This ceremony accepts a request for {self.wanted}."
            )
        )
        self.body.addWidget(self.code)
        self.body.addLayout(row)
        self.body.addWidget(self.message)
        self.meanings = message_label()  # the glossary's words for what the request says
        self.body.addWidget(self.meanings)
        self.body.addStretch(1)
        # Only once it has a parent: shown before, it became a window and took the focus.
        self.practice_button.setVisible(context.rehearsal)

    def _changed(self) -> None:
        self.context.request = None
        self.meanings.clear()
        text = self.code.toPlainText().strip()
        if text != self._practice_text and self.context.practice is not None:
            self.context.practice.wipe()  # a real request replaced the practice one
            self.context.practice = None
        if not text:
            self.message.clear()
        else:
            try:
                from ceremony.gap import parse_request

                request = parse_request(text)
            except CeremonyError as err:
                self._say(err.message, ok=False)
            else:
                if (problem := self._refusal(request)) is not None:
                    self._say(problem, ok=False)
                else:
                    self.context.request = request
                    self._say(f"Request read: {request.describe()}.", ok=True)
                    self.meanings.setText(meanings_in(request.describe()))
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
        self._task = run_task(lambda _p: decode_qr_image(path), self._decoded, self._failed)
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

    def _refusal(self, request: Request) -> str | None:
        """The operation table's checks that need no secret: operation, mode (a rehearsal
        never answers a production Vault, a real room never a practice one), key version,
        expiry, session code and registration."""
        from dataclasses import replace

        from ceremony.operations.table import refusal
        from ui.sealing import room_of

        room = replace(room_of(self.context), answers=self.operations)
        refused = refusal(request, room)
        return refused.message if refused is not None else None

    def use_practice_request(self, operation: Operation | None = None) -> None:
        """Rehearsal: the Vault side is played in the room (see ceremony.operations.practice);
        by default it asks for the first operation this ceremony answers."""
        from ceremony import gap
        from ceremony.operations.practice import PracticeVault

        chosen = operation or self.operations[0]
        if self.context.practice is not None:
            self.context.practice.wipe()
        practice = PracticeVault(chosen, self.context.key_version or "v1")
        session = self.context.session_code if chosen in gap.SESSION_OPERATIONS else None
        self._practice_text = practice.placeholder(session).qr_payload()
        self.context.practice = practice
        self.code.setPlainText(self._practice_text)

    def enter(self) -> None:
        """Ask again: the custodians may have come back from a page that changed the room (the
        genesis details' key version)."""
        if self.code.toPlainText().strip():
            self._changed()

    def busy(self) -> bool:
        return self._task is not None

    def busy_text(self) -> str:
        return "Reading the request's QR code… wait a moment."

    def is_complete(self) -> bool:
        return self.context.request is not None

    def waiting_for(self) -> str:
        if self.code.toPlainText().strip() and self.message.text():
            return self.message.text()
        return "Type, scan or read the request from the Vault side first."

    def leave(self) -> bool:
        return self.context.request is not None
