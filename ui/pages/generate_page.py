"""Making the key and the shares, in a worker, then showing the fingerprints."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPushButton

from ceremony import keys
from ceremony.secret import Secret
from ceremony.shares import split
from ui.context import CeremonyContext
from ui.pages.base import Page, message_label
from ui.workers import Progress, Task, run_task

__all__ = ["GeneratePage"]


@dataclass(repr=False)
class _Made:
    component: Secret
    vault: Secret | None
    shares: list[Secret]
    fingerprints: dict[str, str]


class GeneratePage(Page):
    title = "Make the key and the shares"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        reshare = context.kind == "reshare"
        self.title = "Make the new shares" if reshare else self.title
        self.generate_button = QPushButton(
            "&Make the new shares" if reshare else "&Make the key and the shares"
        )
        self.generate_button.clicked.connect(self.generate)
        self.result = message_label()
        self.fingerprint = message_label()
        font = QFont("monospace")
        font.setPointSizeF(self.font().pointSizeF() * 1.6)
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.body.addWidget(
            message_label(
                "The same key is split into shares from the old ones: its fingerprint must not "
                "change."
                if reshare
                else "This makes the vault half and the custodian half of the platform key, and "
                "splits the custodian half into one share per custodian."
            )
        )
        self.body.addWidget(self.generate_button)
        self.body.addWidget(self.result)
        self.body.addWidget(self.fingerprint)
        self.body.addStretch(1)

    def generate(self) -> None:
        c = self.context
        if self._task is not None or c.shares:
            return
        self.generate_button.setEnabled(False)
        self.result.setText("Working…")
        existing = c.component
        contributions = [s.reveal() for s in c.contributions]
        threshold, count, scheme = c.threshold, len(c.custodians), c.scheme

        def work(progress: Progress) -> _Made:
            vault = None
            if existing is None:
                progress("Making the key…")
                component = keys.new_component(contributions)
                vault = keys.new_component()
            else:
                component = existing
            progress("Splitting into shares…")
            texts = split(component, threshold, count, scheme)  # type: ignore[arg-type]
            shares = [Secret(t.encode(), "share") for t in texts]
            return _Made(component, vault, shares, keys.fingerprints(component, vault))

        self._task = run_task(work, self._made, self._failed, self.result.setText)
        self.completeChanged.emit()

    def _made(self, made: _Made) -> None:
        self._task = None
        c = self.context
        for contribution in c.contributions:
            contribution.wipe()
        c.contributions.clear()
        c.component, c.shares = made.component, made.shares
        if made.vault is not None:
            c.vault_component = made.vault
        if c.old_fingerprint and made.fingerprints["custodian"] != c.old_fingerprint:
            self.result.setText("The new shares do not match the old key. Cancel and start again.")
            c.shares.clear()
            return
        c.fingerprints.update(made.fingerprints)
        lines = [f"{label:<10} {fp}" for label, fp in made.fingerprints.items()]
        self.result.setText(
            f"{len(made.shares)} shares made; any {c.threshold} rebuild the key. "
            "Fingerprints (safe to show, they go on every sheet and the record):"
        )
        self.fingerprint.setText("\n".join(lines))
        c.log(
            "Shares made. Fingerprints: "
            + ", ".join(f"{k} {v}" for k, v in made.fingerprints.items())
        )
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self._task = None
        self.generate_button.setEnabled(True)
        self.result.setText(message)
        self.completeChanged.emit()

    def busy(self) -> bool:
        return self._task is not None

    def is_complete(self) -> bool:
        return bool(self.context.shares)
