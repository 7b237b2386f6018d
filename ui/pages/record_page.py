"""The ceremony record: printed for signatures and, if wanted, saved. It holds no secret."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton

from ceremony.files import create_private_file
from ui import dialogs, services
from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.workers import Progress, Task, run_task

__all__ = ["RecordPage"]


class RecordPage(Page):
    title = "Print the ceremony record"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.done = False
        self.queue = QComboBox()
        self.queue.setAccessibleName("Printer")
        self.print_button = QPushButton("&Print the record")
        self.print_button.clicked.connect(self.print_record)
        self.save_button = QPushButton("Save the record as a PDF &file…")
        self.save_button.clicked.connect(self._choose_file)
        self.status = message_label()
        self.status.setObjectName("recordStatus")
        row = QHBoxLayout()
        row.addWidget(message_label("Printer:", wrap=False))
        row.addWidget(self.queue, 1)
        self.body.addWidget(
            message_label(
                "The record lists who was here, the checks, the fingerprints and what was done. "
                "It holds no secret. Everyone present signs it; the witness keeps it."
            )
        )
        self.body.addLayout(row)
        self.body.addWidget(self.print_button)
        self.body.addWidget(self.save_button)
        self.body.addWidget(self.status)
        self.body.addStretch(1)

    def enter(self) -> None:
        self._task = run_task(lambda _p: services.list_queues(), self._queues, self._no_queue)

    def _queues(self, names: object) -> None:
        self._task = None
        self.queue.clear()
        for name in names if isinstance(names, list) else []:
            self.queue.addItem(str(name))
        self._refresh()

    def _no_queue(self, message: str) -> None:
        self._task = None
        self.status.setText(message)
        self._refresh()

    def _refresh(self) -> None:
        idle = self._task is None
        self.print_button.setEnabled(idle and self.queue.count() > 0)
        self.save_button.setEnabled(idle)
        self.completeChanged.emit()

    def print_record(self) -> None:
        queue = self.queue.currentText()
        if not queue or self._task is not None:
            return
        context = self.context

        def work(progress: Progress) -> str:
            progress("Preparing the record…")
            services.print_pdf(services.record_pdf(context), queue, "ceremony record", progress)
            return f"The record was printed on {queue}."

        self._start(work)

    def _choose_file(self) -> None:
        name = f"ceremony-{self.context.ceremony_id}-record.pdf"
        path = dialogs.ask_save_path(self, "Save the ceremony record", name, "PDF (*.pdf)")
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        context = self.context

        def work(_progress: Progress) -> str:
            create_private_file(path, services.record_pdf(context))
            return f"The record was saved to {path}."

        self._start(work)

    def _start(self, work: object) -> None:
        self._task = run_task(work, self._finished, self._failed, self.status.setText)  # type: ignore[arg-type]
        self._refresh()

    def _finished(self, message: object) -> None:
        self._task = None
        self.done = True
        self.status.setText(str(message))
        self._refresh()

    def _failed(self, message: str) -> None:
        self._task = None
        self.status.setText(message)
        self._refresh()

    def busy(self) -> bool:
        return self._task is not None

    def is_complete(self) -> bool:
        return self.done
