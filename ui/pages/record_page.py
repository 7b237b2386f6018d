"""The ceremony record: printed for signatures and, if wanted, saved. It holds no secret."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton

from ceremony.files import create_private_file
from ui import dialogs
from ui.context import CeremonyContext, Record, Run, Secrets
from ui.pages.base import Page, message_label
from ui.widgets.printer_choice import PrinterChoice
from ui.widgets.status_line import status_label
from ui.workers import Progress, Task, run_task

__all__ = ["RecordPage"]


class RecordPage(Page):
    reads = (Run, Secrets, Record)
    writes = ()
    title = "Print the ceremony record"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.done = False
        self.printer = PrinterChoice(context.rehearsal)
        self.printer.loaded.connect(self._refresh)
        self.printer.combo.currentIndexChanged.connect(self._refresh)
        self.print_button = QPushButton("&Print the record")
        self.print_button.clicked.connect(self.print_record)
        self.save_button = QPushButton("Save the record as a PDF &file…")
        self.save_button.clicked.connect(self._choose_file)
        self.status = status_label()
        self.status.setObjectName("recordStatus")
        self.body.addWidget(
            message_label(
                "The record lists who was here, the checks, the fingerprints and what was done. "
                "It holds no secret. Everyone present signs it; the witness keeps it."
            )
        )
        self.body.addWidget(self.printer)
        self.body.addWidget(self.printer.note)
        self.body.addWidget(self.print_button)
        self.body.addWidget(self.save_button)
        self.body.addWidget(self.status)
        self.body.addStretch(1)

    def enter(self) -> None:
        c = self.context
        if c.kind == "reshare" and c.transcript is None and c.genesis is not None and c.shares:
            from ui.sealing import sign_transcript  # a re-share has no answer to carry it

            sign_transcript(c, c.genesis.custodian)  # the same key: the same export key
        self.printer.load()
        self._refresh()

    def _refresh(self) -> None:
        idle = self._task is None and not self.printer.busy()
        self.print_button.setEnabled(idle and self.printer.refusal() is None)
        self.save_button.setEnabled(idle)
        self.completeChanged.emit()

    def print_record(self) -> None:
        chosen = self.printer.current()
        if chosen is None or self.printer.refusal() is not None or self._task is not None:
            return
        from ui import sheets  # reportlab loads with the first record

        queue = chosen.name
        context = self.context

        def work(progress: Progress) -> str:
            progress("Preparing the record…")
            sheets.print_pdf(sheets.record_pdf(context), queue, "ceremony record", progress)
            return f"The record was printed on {queue}."

        self._start(work)

    def _choose_file(self) -> None:
        name = f"ceremony-{self.context.ceremony_id}-record.pdf"
        path = dialogs.ask_save_path(self, "Save the ceremony record", name, "PDF (*.pdf)")
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        from ui import sheets

        context = self.context

        def work(_progress: Progress) -> str:
            create_private_file(path, sheets.record_pdf(context))
            return f"The record was saved to {path}." + _save_transcript(context, path.parent)

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
        return self._task is not None or self.printer.busy()

    def busy_text(self) -> str:
        if self._task is None:
            return "Looking for printers… wait a moment."
        return "Printing the record… wait a moment."

    def waiting_for(self) -> str:
        return "Print the record, or save it as a PDF file, first."

    def is_complete(self) -> bool:
        return self.done


def _save_transcript(context: CeremonyContext, folder: Path) -> str:
    """A re-share's signed transcript goes beside its record (others' go beside the answer)."""
    from ui.sealing import transcript_filename

    path = folder / transcript_filename(context)
    if context.kind != "reshare" or context.transcript is None or path.exists():
        return ""
    create_private_file(path, context.transcript)
    return f" The signed transcript is beside it: {path.name}."
