"""The ceremony record: printed for signatures and, if wanted, saved. It holds no secret.

A re-share has no answer for Vault to carry its signed transcript, so the
transcript is signed as this page opens and saved from here: beside the record
when the record is saved, else on its own. Finish waits for it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton

from ceremony.files import create_private_file
from ui import dialogs
from ui.context import CeremonyContext, Record, Run, Secrets
from ui.pages.base import Page, message_label
from ui.transcript_file import ask_transcript_path, transcript_filename, write_transcript
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
        self.transcript_saved: Path | None = None
        self.transcript_button = QPushButton("Save the signed &transcript (no secret)…")
        self.transcript_button.clicked.connect(self._choose_transcript_file)
        self.transcript_button.setVisible(context.kind == "reshare")
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
        self.body.addWidget(self.transcript_button)
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
        waiting = self.context.transcript is not None and self.transcript_saved is None
        self.transcript_button.setEnabled(idle and waiting)
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
            return f"The record was saved to {path}." + self._transcript_beside(path.parent)

        self._start(work)

    def _transcript_beside(self, folder: Path) -> str:
        if self.context.kind != "reshare" or self.context.transcript is None:
            return ""
        return self._write_transcript(folder / transcript_filename(self.context))

    def _write_transcript(self, path: Path) -> str:
        """A re-share's signed transcript (others' go beside the answer)."""
        transcript = self.context.transcript
        if transcript is None:
            return ""
        refused = write_transcript(path, transcript)
        if refused:
            return f" {refused}"
        self.transcript_saved = path
        return f" The signed transcript is beside it: {path.name}."

    def _choose_transcript_file(self) -> None:
        path = ask_transcript_path(self, self.context)
        if path is not None:
            self.save_transcript_to(path)

    def save_transcript_to(self, path: Path) -> None:
        said = self._write_transcript(path).strip()
        self.status.setText(
            f"The signed transcript was saved to {path}." if self.transcript_saved else said
        )
        self._refresh()

    def _start(self, work: object) -> None:
        self._task = run_task(work, self._finished, self._failed, self.status.setText)  # type: ignore[arg-type]
        self._refresh()

    def _finished(self, message: object) -> None:
        self._task = None
        self.done = True
        more = " Now save the signed transcript." if self._transcript_missing() else ""
        self.status.setText(f"{message}{more}")
        self._refresh()

    def _transcript_missing(self) -> bool:
        c = self.context
        return c.kind == "reshare" and c.transcript is not None and self.transcript_saved is None

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
        if self.done:
            return (
                "Save the signed transcript too (it holds no secret): the record prints its digest."
            )
        return "Print the record, or save it as a PDF file, first."

    def is_complete(self) -> bool:
        return self.done and not self._transcript_missing()
