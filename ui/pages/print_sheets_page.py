"""Each custodian's sheet in turn: "custodian 2 of 4: Ben, step up to the printer"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton

from ceremony.files import create_private_file
from ui import dialogs, services
from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.workers import Progress, Task, run_task

__all__ = ["PrintSheetsPage"]


class PrintSheetsPage(Page):
    title = "Print each custodian's share sheet"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.who = message_label()
        font = QFont(self.who.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.who.setFont(font)
        self.who.setObjectName("printWho")
        self.queue = QComboBox()
        self.queue.setAccessibleName("Printer")
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_current)
        self.save_button = QPushButton("Save this sheet as a PDF &file instead…")
        self.save_button.clicked.connect(self._save_current)
        self.status = message_label()
        self.status.setObjectName("printStatus")
        self.done_list = message_label()
        row = QHBoxLayout()
        row.addWidget(message_label("Printer:", wrap=False))
        row.addWidget(self.queue, 1)
        self.body.addWidget(self.who)
        self.body.addWidget(
            message_label(
                "Only this custodian looks at the printer. Take your sheet, fold it, and put it in "
                "your envelope. The next custodian then steps up."
            )
        )
        self.body.addLayout(row)
        self.body.addWidget(self.print_button)
        self.body.addWidget(self.save_button)
        self.body.addWidget(self.status)
        self.body.addWidget(self.done_list)
        self.body.addStretch(1)

    def enter(self) -> None:
        self._load_queues()
        self._render()

    def _load_queues(self) -> None:
        self._task = run_task(lambda _p: services.list_queues(), self._queues, self._no_queues)

    def _queues(self, names: object) -> None:
        self._task = None
        self.queue.clear()
        for name in names if isinstance(names, list) else []:
            self.queue.addItem(str(name))
        if not self.queue.count():
            self.status.setText("No printer found. Connect one, or save the sheets as files.")
        self._render()

    def _no_queues(self, message: str) -> None:
        self._task = None
        self.status.setText(message)
        self._render()

    def current(self) -> int | None:
        left = [
            i for i in range(1, len(self.context.custodians) + 1) if i not in self.context.printed
        ]
        return left[0] if left else None

    def _render(self) -> None:
        c = self.context
        index = self.current()
        n = len(c.custodians)
        if index is None:
            self.who.setText(f"All {n} sheets are printed.")
            self.print_button.setText("&Print")
            self.print_button.setEnabled(False)
            self.save_button.setEnabled(False)
        else:
            name = c.custodians[index - 1].name
            self.who.setText(f"Custodian {index} of {n}: {name}, step up to the printer.")
            self.print_button.setText(f"&Print {name}'s sheet")
            idle = self._task is None
            self.print_button.setEnabled(idle and self.queue.count() > 0)
            self.save_button.setEnabled(idle)
        done = [c.custodians[i - 1].name for i in sorted(c.printed)]
        self.done_list.setText(f"Printed: {', '.join(done)}." if done else "")
        self.completeChanged.emit()

    def print_current(self) -> None:
        index = self.current()
        queue = self.queue.currentText()
        if index is None or not queue or self._task is not None:
            return
        name = self.context.custodians[index - 1].name
        pdf = services.share_sheet_pdf  # bound here, called in the worker
        context = self.context

        def work(progress: Progress) -> int:
            progress(f"Preparing {name}'s sheet…")
            data = pdf(context, index)
            services.print_pdf(data, queue, f"share {index}", progress)
            return index

        self._start(work)

    def _save_current(self) -> None:
        index = self.current()
        if index is None:
            return
        name = self.context.custodians[index - 1].name
        path = dialogs.ask_save_path(
            self, f"Save {name}'s share sheet", f"share-{index}-{name}.pdf", "PDF (*.pdf)"
        )
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        index = self.current()
        if index is None:
            return
        context = self.context

        def work(progress: Progress) -> int:
            create_private_file(path, services.share_sheet_pdf(context, index))
            return index

        self._start(work)

    def _start(self, work: object) -> None:
        self._task = run_task(work, self._printed, self._failed, self.status.setText)  # type: ignore[arg-type]
        self._render()

    def _printed(self, index: object) -> None:
        self._task = None
        assert isinstance(index, int)
        self.context.printed.add(index)
        name = self.context.custodians[index - 1].name
        self.status.setText(f"{name}'s sheet is done.")
        self._render()

    def _failed(self, message: str) -> None:
        self._task = None
        self.status.setText(message)
        self._render()

    def busy(self) -> bool:
        return self._task is not None

    def is_complete(self) -> bool:
        return self.current() is None
