"""The sealed, signed answer to the request: shown as a QR code and saved to a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton

from ceremony.files import create_private_file
from ui import dialogs, services
from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.services import BundleView
from ui.widgets.qr_view import QrView
from ui.workers import Task, run_task

__all__ = ["BundlePage"]


class BundlePage(Page):
    title = "Seal the answer for Vault"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.saved: Path | None = None
        self.status = message_label()
        self.status.setObjectName("bundleStatus")
        self.qr = QrView()
        self.save_button = QPushButton("&Save the bundle to a file (removable drive)…")
        self.save_button.clicked.connect(self._choose_file)
        self.save_button.setEnabled(False)
        self.leaves = message_label()
        self.leaves.setObjectName("bundleLeaves")
        self.export_check = message_label()
        self.export_check.setObjectName("exportKeyCheck")
        self.body.addWidget(self.leaves)
        self.body.addWidget(self.export_check)
        self.body.addWidget(self.status)
        self.body.addWidget(self.qr, 1)
        self.body.addWidget(self.save_button)

    def enter(self) -> None:
        self.leaves.setText(_what_leaves(self.context))
        if self.context.bundle is not None or self._task is not None:
            return
        context = self.context
        self.status.setText("Sealing…")
        self._task = run_task(lambda _p: services.seal_bundle(context), self._sealed, self._failed)
        self.completeChanged.emit()

    def _sealed(self, bundle: BundleView) -> None:
        self._task = None
        self.context.bundle = bundle
        if bundle.export_key_check:
            self.export_check.setText(
                "Export key check (it is on the ceremony record; the Vault operator types it "
                f"into `ceremony vault apply --expect-export-key`):\n{bundle.export_key_check}"
            )
        self.qr.set_text(bundle.qr_payload)
        self.save_button.setEnabled(True)
        self.status.setText(f"Sealed. Bundle digest (goes in the record): {bundle.digest[:16]}…")
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self._task = None
        self.status.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.status.setText(message)
        self.completeChanged.emit()

    def _choose_file(self) -> None:
        bundle = self.context.bundle
        if bundle is None:
            return
        path = dialogs.ask_save_path(self, "Save the bundle", bundle.filename, "Bundle (*.bundle)")
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        bundle = self.context.bundle
        if bundle is None:
            return
        try:
            create_private_file(path, bundle.data)
        except Exception as err:  # a CeremonyError with a custodian message
            self.status.setText(getattr(err, "message", "The file could not be written."))
            return
        self.saved = path
        self.status.setText(f"Saved to {path}. Take it to the Vault side.")

    def busy(self) -> bool:
        return self._task is not None

    def is_complete(self) -> bool:
        return self.context.bundle is not None


def _what_leaves(context: CeremonyContext) -> str:
    """What the sealed answer holds, truthfully, for the operation at hand."""
    request = context.request
    operation = request.operation if request is not None else ""
    holds = {
        "install": "the new vault component, for Vault to keep, with the fingerprints and the "
        "export key; never the custodian component or any share",
        "verify": "a signed statement that you rebuilt the registered key; no key material",
        "recover-escrow": "this one survey's key (the KEK) and nothing else: not the custodian "
        "component, not the platform key",
        "adopt": "the fingerprints and the export key, to register; no key material",
    }.get(operation, "only the approved result")
    return (
        f"The answer holds {holds}. It is sealed so that only the Vault side that made the "
        "request can open it, and signed with the key the shares rebuilt. Scan the QR code on "
        "the Vault side, or carry the file across on a removable drive."
    )
