"""Each custodian's sheet in turn: "Ann Lee, step up to the printer", then "is it complete?".

After every job the custodian holding the sheet answers Yes or Reprint; only
Yes moves on. The record gets one row per sheet: printed or saved, where,
and how many reprints it took.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ceremony.files import create_private_file
from ui import dialogs
from ui.context import CeremonyContext, Details, Record, Run
from ui.pages.base import Page, message_label
from ui.style import heading_font
from ui.widgets.printer_choice import PrinterChoice
from ui.widgets.status_line import status_label
from ui.workers import Progress, Task, run_task

__all__ = ["PrintSheetsPage"]


class PrintSheetsPage(Page):
    reads = (Run, Details)
    writes = (Record,)
    title = "Print each custodian's share sheet"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.awaiting: int | None = None  # a sheet came out: is it complete and legible?
        self.reprints: dict[int, int] = {}
        self.where: dict[int, str] = {}
        self.who = status_label()
        self.who.setFont(heading_font(self.who.font(), 16))
        self.who.setObjectName("printWho")
        self.printer = PrinterChoice(context.rehearsal)
        self.printer.loaded.connect(self._render)
        self.printer.combo.currentIndexChanged.connect(self._render)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_current)
        self.save_button = QPushButton("Save this sheet as a PDF &file instead…")
        self.save_button.clicked.connect(self._save_current)
        self.status = status_label()
        self.status.setObjectName("printStatus")
        self.done_list = status_label()
        self.confirm_box = self._build_confirm()
        self.body.addWidget(self.who)
        self.body.addWidget(
            message_label(
                "Only this custodian looks at the printer. Take your sheet, check it, fold it, "
                "and put it in your envelope. The next custodian then steps up."
            )
        )
        self.body.addWidget(self.printer)
        self.body.addWidget(self.printer.note)
        self.body.addWidget(self.print_button)
        self.body.addWidget(self.save_button)
        self.body.addWidget(self.status)
        self.body.addWidget(self.confirm_box)
        self.body.addWidget(self.done_list)
        self.body.addStretch(1)

    def _build_confirm(self) -> QWidget:
        box = QFrame()
        box.setObjectName("printConfirm")
        box.setStyleSheet("#printConfirm { border: 2px solid #0b57d0; border-radius: 6px; }")
        column = QVBoxLayout(box)
        self.question = message_label()
        self.question.setObjectName("printQuestion")
        self.question.setFont(heading_font(self.question.font(), 15))
        column.addWidget(self.question)
        column.addWidget(
            message_label(
                "Check every word and the QR code: nothing cut off, faint or smudged. "
                "If in doubt, reprint, and shred the bad sheet before anyone leaves."
            )
        )
        row = QHBoxLayout()
        self.yes_button = QPushButton("&Yes, complete and legible")
        self.yes_button.clicked.connect(self.sheet_good)
        self.reprint_button = QPushButton("&Reprint")
        self.reprint_button.clicked.connect(self.reprint)
        row.addWidget(self.yes_button)
        row.addWidget(self.reprint_button)
        row.addStretch(1)
        column.addLayout(row)
        box.hide()
        return box

    def enter(self) -> None:
        self.printer.load()
        self._render()

    def current(self) -> int | None:
        left = [
            i for i in range(1, len(self.context.custodians) + 1) if i not in self.context.printed
        ]
        return left[0] if left else None

    def _name(self, index: int) -> str:
        return self.context.custodians[index - 1].name

    def _render(self) -> None:
        c = self.context
        index = self.current()
        n = len(c.custodians)
        idle = self._task is None and not self.printer.busy()
        self.confirm_box.setVisible(self.awaiting is not None)
        if index is None:
            self.who.setText(f"All {n} sheets are done.")
            self.print_button.setText("&Print")
            self.print_button.setEnabled(False)
            self.save_button.setEnabled(False)
        else:
            name = self._name(index)
            self.who.setText(f"{name} ({index} of {n}), step up to the printer.")
            self.print_button.setText(f"&Print {name}'s sheet")
            free = idle and self.awaiting is None
            self.print_button.setEnabled(free and self.printer.refusal() is None)
            self.save_button.setEnabled(free)
        if self.awaiting is not None:
            self.question.setText(f"Is {self._name(self.awaiting)}'s sheet complete and legible?")
        done = [f"{self._name(i)} ({self.where[i]})" for i in sorted(c.printed)]
        self.done_list.setText(f"Done: {', '.join(done)}." if done else "")
        self.completeChanged.emit()

    def print_current(self) -> None:
        index = self.current()
        queue = self.printer.current()
        if index is None or queue is None or self._task is not None:
            return
        refusal = self.printer.refusal()
        if refusal:
            self.status.setText(refusal)
            return
        name = self._name(index)
        from ui import sheets  # reportlab loads with the first sheet

        context = self.context

        def work(progress: Progress) -> tuple[int, str]:
            progress(f"Preparing {name}'s sheet…")
            data = sheets.share_sheet_pdf(context, index)
            sheets.print_pdf(data, queue.name, f"share {index}", progress)
            return index, queue.name

        self._start(work)

    def _save_current(self) -> None:
        index = self.current()
        if index is None:
            return
        name = self._name(index)
        path = dialogs.ask_save_path(
            self, f"Save {name}'s share sheet", f"share-{index}-{name}.pdf", "PDF (*.pdf)"
        )
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        """A custodian asked for the file: written privately, recorded as saved, not printed."""
        index = self.current()
        if index is None:
            return
        from ui import sheets

        context = self.context

        def work(progress: Progress) -> tuple[int, str]:
            create_private_file(path, sheets.share_sheet_pdf(context, index))
            return index, ""

        self._start(work)

    def _start(self, work: object) -> None:
        self._task = run_task(work, self._job_done, self._failed, self.status.setText)  # type: ignore[arg-type]
        self._render()

    def _job_done(self, result: tuple[int, str]) -> None:
        self._task = None
        index, queue = result
        if not queue:  # saved to a file
            self.where[index] = "saved to a file"
            self._record(index, "saved", "saved as a PDF file at a custodian's request")
            self.context.printed.add(index)
            self.status.setText(f"{self._name(index)}'s sheet is saved.")
        else:
            self.where[index] = f"printed on {queue}"
            self.awaiting = index
            self.status.setText(f"{self._name(index)}'s sheet was sent to {queue}.")
        self._render()

    def sheet_good(self) -> None:
        index = self.awaiting
        if index is None:
            return
        self.awaiting = None
        count = self.reprints.get(index, 0)
        self._record(index, "printed", f"{self.where[index]}; {_reprints(count)}")
        self.context.printed.add(index)
        self.status.setText(f"{self._name(index)}'s sheet is done.")
        self._render()

    def reprint(self) -> None:
        index = self.awaiting
        if index is None:
            return
        self.awaiting = None
        self.reprints[index] = self.reprints.get(index, 0) + 1
        self.status.setText(f"Reprinting {self._name(index)}'s sheet. Shred the bad one.")
        self._render()
        self.print_current()

    def _record(self, index: int, outcome: str, detail: str) -> None:
        self.context.note(f"Sheet of {self._name(index)} (share {index})", outcome, detail)

    def _failed(self, message: str) -> None:
        self._task = None
        self.status.setText(message)
        self._render()

    def busy(self) -> bool:
        return self._task is not None or self.printer.busy()

    def busy_text(self) -> str:
        if self._task is None:
            return "Looking for printers… wait a moment."
        index = self.current()
        name = self._name(index) if index is not None else "the"
        return f"Printing {name}'s sheet… wait for the printer."

    def waiting_for(self) -> str:
        if self.awaiting is not None:
            return f"Answer above: is {self._name(self.awaiting)}'s sheet complete and legible?"
        index = self.current()
        if index is None:
            return "Every sheet is done."
        left = len(self.context.custodians) - len(self.context.printed)
        said = f"Print {self._name(index)}'s sheet ({left} still to print)."
        refusal = self.printer.refusal()
        return f"{said} {refusal}" if refusal else said

    def is_complete(self) -> bool:
        return self.current() is None and self.awaiting is None


def _reprints(count: int) -> str:
    return "no reprint" if count == 0 else f"{count} reprint" + ("s" if count > 1 else "")
