"""The sealed, signed answer to the request: a QR code and a file, and proof it got out.

Finish stays disabled until the answer is out of this computer and checked:
the file is saved and read back (its SHA-256 must equal the bundle digest),
or the Vault side scanned the QR code and the custodians type the first
characters of the digest it shows. The signed transcript, whose digest the
answer carries, must be saved too: beside the answer when the answer is saved
to a file, else on its own. A genesis answer is the only copy of the
vault component, so genesis also offers an export sheet: the bundle on paper.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ceremony.files import create_private_file
from ui import dialogs
from ui.context import CeremonyContext, Crossing, Details, Record, Run
from ui.pages.base import Page, message_label
from ui.style import BAD, GOOD
from ui.transcript_file import ask_transcript_path, transcript_filename, write_transcript
from ui.widgets.printer_choice import PrinterChoice
from ui.widgets.qr_view import QrView
from ui.widgets.status_line import status_label
from ui.workers import Progress, Task, run_task

if TYPE_CHECKING:
    from ceremony.gap import Bundle

__all__ = ["DIGEST_CHARS", "BundlePage", "read_back"]

DIGEST_CHARS = 8


def read_back(path: Path, digest: str) -> bool:
    """Whether the file at ``path`` is exactly the bundle with this digest."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


class BundlePage(Page):
    reads = (Run, Details)
    writes = (Crossing, Record)
    title = "Seal the answer for Vault"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.saved: Path | None = None
        self.transcript_saved: Path | None = None  # the signed transcript, written out
        self.verified: str | None = None  # how the answer was proved to be out
        self.digest = ""  # SHA-256 of the sealed answer, hex
        self.status = status_label()
        self.status.setObjectName("bundleStatus")
        self.proof = message_label()
        self.proof.setObjectName("bundleProof")
        self.qr = QrView(minimum=240)
        self.save_button = QPushButton("&Save the answer to a file (removable drive)…")
        self.save_button.clicked.connect(self._choose_file)
        self.save_button.setEnabled(False)
        self.transcript_button = QPushButton("Save the signed &transcript (no secret)…")
        self.transcript_button.clicked.connect(self._choose_transcript_file)
        self.transcript_button.setEnabled(False)
        self.leaves = message_label()
        self.leaves.setObjectName("bundleLeaves")
        self.export_check = message_label()
        self.export_check.setObjectName("exportKeyCheck")
        self.scanned = QLineEdit()
        self.scanned.setInputMask(">HHHHHHHH;_")
        self.scanned.setAccessibleName("First 8 characters of the digest the Vault side shows")
        self.scanned.setMaximumWidth(200)
        self.scanned.textChanged.connect(self._check_scanned)
        self.scanned.setEnabled(False)
        form = QFormLayout()
        form.addRow("Or, once the Vault side scanned the QR code: the first 8 characters of the "
                    "&digest it shows", self.scanned)  # fmt: skip
        self.body.addWidget(self.leaves)
        self.body.addWidget(self.export_check)
        self.body.addWidget(self.status)
        self.body.addWidget(self.qr, 1)
        self.body.addWidget(self.save_button)
        self.body.addLayout(form)
        self.body.addWidget(self.proof)
        self.body.addWidget(self.transcript_button)
        self.export = self._build_export() if context.kind == "genesis" else None
        if self.export is not None:
            self.body.addWidget(self.export)

    def _build_export(self) -> QWidget:
        box = QWidget()
        column = QFormLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.printer = PrinterChoice(self.context.rehearsal)
        self.printer.loaded.connect(self._render_export)
        self.printer.loaded.connect(self.notify)
        self.printer.combo.currentIndexChanged.connect(self._render_export)
        self.export_button = QPushButton("Print an &export sheet (a second copy on paper)")
        self.export_button.clicked.connect(self.print_export)
        self.export_save = QPushButton("Save the export sheet as a PDF…")
        self.export_save.clicked.connect(self._choose_export_file)
        self.export_status = status_label()
        self.export_status.setObjectName("exportStatus")
        row = QVBoxLayout()  # one above the other: side by side they scroll sideways at 150 %
        row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        row.addWidget(self.export_save, 0, Qt.AlignmentFlag.AlignLeft)
        column.addRow(
            message_label(
                "This answer is the only copy of Vault's half of the platform key. Print "
                "it as an export sheet too (QR code and text) and keep it with the record."
            )
        )
        column.addRow(self.printer)
        column.addRow(self.printer.note)
        column.addRow(row)
        column.addRow(self.export_status)
        return box

    def enter(self) -> None:
        from ui.sealing import what_leaves

        self.leaves.setText(what_leaves(self.context.request))
        if self.export is not None:
            self.printer.load()
        if self.context.bundle is not None or self._task is not None:
            return
        context = self.context
        self.status.setText("Sealing…")
        from ui.sealing import seal_answer

        self._task = run_task(lambda _p: seal_answer(context), self._sealed, self._failed)
        self.completeChanged.emit()

    def _sealed(self, bundle: Bundle) -> None:
        from ceremony.gap import bundle_digest
        from ui.sealing import export_key_check

        self._task = None
        self.context.bundle = bundle
        self.digest = bundle_digest(bundle)
        if check := export_key_check(bundle):
            self.export_check.setText(
                "Export key check (it is on the ceremony record; the Vault operator types it "
                f"into `ceremony vault apply --expect-export-key`):\n{check}"
            )
        self.qr.set_text(bundle.qr_payload())
        self.save_button.setEnabled(True)
        self.transcript_button.setEnabled(self.context.transcript is not None)
        self.scanned.setEnabled(True)
        self.status.setText(f"Sealed. Bundle digest: {self.digest[:16]}… (goes in the record)")
        self.proof.setText("Not yet out of this computer: save the file, or scan the QR code.")
        self._render_export()
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self._task = None
        self.status.setStyleSheet(f"color: {BAD}; font-weight: bold;")
        self.status.setText(message)
        self.completeChanged.emit()

    # -- proof that the answer is out -------------------------------------------------

    def _choose_file(self) -> None:
        bundle = self.context.bundle
        if bundle is None:
            return
        from ui.sealing import answer_filename

        name = answer_filename(self.context, bundle)
        path = dialogs.ask_save_path(self, "Save the answer", name, "Bundle (*.bundle)")
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        """Write the bundle, then read the file back: only an exact copy counts."""
        bundle = self.context.bundle
        if bundle is None:
            return
        try:
            create_private_file(path, bundle.to_bytes())
        except Exception as err:  # a CeremonyError with a custodian message
            self._say(getattr(err, "message", "The file could not be written."), ok=False)
            return
        if not read_back(path, self.digest):
            self._say(
                f"The file on {path.parent} does not read back the same. Use another drive and "
                "save again.",
                ok=False,
            )
            return
        self.saved = path
        where = self._save_transcript(path.parent)
        self._proved(
            "file read back",
            f"Saved to {path} and read back: it matches. Take it to Vault.{where}",
        )

    def _save_transcript(self, folder: Path) -> str:
        """The signed transcript goes beside the answer; its digest is on the record."""
        return self._write_transcript(folder / transcript_filename(self.context))

    def _write_transcript(self, path: Path) -> str:
        transcript = self.context.transcript
        if transcript is None:
            return ""
        refused = write_transcript(path, transcript)
        if refused:
            return f" {refused}"
        self.transcript_saved = path
        self.transcript_button.setEnabled(False)
        self.completeChanged.emit()
        return f" The signed transcript is beside it: {path.name}."

    def _choose_transcript_file(self) -> None:
        path = ask_transcript_path(self, self.context)
        if path is not None:
            self.save_transcript_to(path)

    def save_transcript_to(self, path: Path) -> None:
        """The transcript alone (the answer went by QR code); Finish waits for it."""
        said = self._write_transcript(path).strip()
        saved = self.transcript_saved is not None
        if said:
            self._say(f"✓ Saved: {path}." if saved else said, ok=saved)

    def _check_scanned(self) -> None:
        bundle = self.context.bundle
        if bundle is None or not self.scanned.hasAcceptableInput():
            return
        if self.scanned.text().lower() == self.digest[:DIGEST_CHARS]:
            more = "" if self.transcript_saved else " Now save the signed transcript (no secret)."
            self._proved("QR scanned by the Vault side", f"The Vault side read this answer.{more}")
        else:
            self._say(
                "That is not this answer's digest: the Vault side read something else. "
                "Scan the QR code again.",
                ok=False,
            )

    def _proved(self, how: str, message: str) -> None:
        if self.verified is None:
            self.context.note(
                "The answer left this computer", "passed", f"{how}; {self.digest[:16]}…"
            )
        self.verified = how
        self._say(f"✓ {message}", ok=True)
        self.completeChanged.emit()

    def _say(self, text: str, ok: bool) -> None:
        self.proof.setStyleSheet(f"color: {GOOD if ok else BAD}; font-weight: bold;")
        self.proof.setText(text)

    # -- the export sheet -----------------------------------------------------------------

    def _render_export(self) -> None:
        if self.export is None:
            return
        ready = self.context.bundle is not None and self._task is None
        self.export_button.setEnabled(ready and self.printer.refusal() is None)
        self.export_save.setEnabled(ready)

    def _export_pdf(self) -> bytes:
        from ceremony.paper.export_sheet import ExportSheet, render_export_sheet

        c = self.context
        bundle = c.bundle
        assert bundle is not None
        sheet = ExportSheet(
            ceremony_id=c.ceremony_id,
            organisation=c.organisation or "—",
            operation=bundle.operation,
            text_line=bundle.text_line(),
            digest=self.digest,
            rehearsal=c.rehearsal,
        )
        return render_export_sheet(sheet, c.paper)

    def print_export(self) -> None:
        queue = self.printer.current()
        if queue is None or self.printer.refusal() is not None or self._task is not None:
            return
        from ui import sheets

        pdf = self._export_pdf()

        def work(progress: Progress) -> str:
            sheets.print_pdf(pdf, queue.name, "export sheet", progress)
            return f"printed on {queue.name}"

        self._run_export(work)

    def _choose_export_file(self) -> None:
        name = f"ceremony-{self.context.ceremony_id}-export-sheet.pdf"
        path = dialogs.ask_save_path(self, "Save the export sheet", name, "PDF (*.pdf)")
        if path is not None:
            self.save_export(path)

    def save_export(self, path: Path) -> None:
        pdf = self._export_pdf()

        def work(_progress: Progress) -> str:
            create_private_file(path, pdf)
            return f"saved to {path.name}"

        self._run_export(work)

    def _run_export(self, work: object) -> None:
        self._task = run_task(work, self._exported, self._export_failed, self.export_status.setText)  # type: ignore[arg-type]
        self._render_export()
        self.completeChanged.emit()

    def _exported(self, where: str) -> None:
        self._task = None
        self.context.note("Export sheet (second copy of the answer)", "done", where)
        self.export_status.setText(f"Export sheet {where}.")
        self._render_export()
        self.completeChanged.emit()

    def _export_failed(self, message: str) -> None:
        self._task = None
        self.export_status.setText(message)
        self._render_export()
        self.completeChanged.emit()

    def busy(self) -> bool:
        printing = self.export is not None and self.printer.busy()
        return self._task is not None or printing

    def busy_text(self) -> str:
        if self.context.bundle is None:
            return "Sealing the answer… wait a moment."
        return "Printing the export sheet… wait a moment."

    def waiting_for(self) -> str:
        if self.context.bundle is None:
            return f"The answer could not be sealed: {self.status.text()}"
        if self.verified is not None:
            return (
                "Save the signed transcript too (it holds no secret): the answer names it, "
                "and the record prints its digest."
            )
        return (
            "Get the answer out first: save it to a file, or type the first 8 characters "
            "of the digest the Vault side shows after scanning."
        )

    def is_complete(self) -> bool:
        transcript = self.context.transcript is None or self.transcript_saved is not None
        return self.context.bundle is not None and self.verified is not None and transcript
