"""Making the key and the shares (genesis) or the new shares (re-share) in the core, in a worker.

The page then shows the fingerprints the core computed.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPushButton

from ceremony.operations.genesis import GenesisKeys, generate
from ceremony.operations.reshare import reshare
from ui.context import CeremonyContext, Details, Record, Run, Secrets
from ui.pages.base import Page, message_label
from ui.widgets.status_line import status_label
from ui.workers import Progress, Task, run_task

__all__ = ["GeneratePage", "old_sheets_text"]


def old_sheets_text(c: CeremonyContext) -> str:
    """Which old sheets must now be destroyed: they still rebuild the same key."""
    state = c.session.state() if c.session is not None else None
    set_id = state.set_id if state is not None else None
    names = [c.share_holders.get(i, f"share {i}") for i in c.used_indices]
    which = f"every sheet of old set {set_id}" if set_id else "every old sheet"
    entered = f" (entered today: {', '.join(names)})" if names else ""
    return f"Destroy {which}{entered}, including sheets not brought today."


class GeneratePage(Page):
    reads = (Run, Details)
    writes = (Secrets, Record)
    title = "Make the key and the shares"
    allow_back = False

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self.failed = ""  # why the last try made nothing
        reshare = context.kind == "reshare"
        self.title = "Make the new shares" if reshare else self.title
        self.generate_button = QPushButton(
            "&Make the new shares" if reshare else "&Make the key and the shares"
        )
        self.generate_button.clicked.connect(self.generate)
        self.result = status_label()
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

    def enter(self) -> None:
        """The summary page's button said "Make the key": start at once."""
        self.generate()

    def generate(self) -> None:
        c = self.context
        if self._task is not None or c.genesis is not None:
            return
        self.generate_button.setEnabled(False)
        self.failed = ""
        self.result.setText("Working…")
        plan, ceremony_id, existing = c.plan(), c.ceremony_id, c.component
        contributions = [s.reveal() for s in c.contributions]

        def work(progress: Progress) -> tuple[GenesisKeys, tuple[tuple[int, ...], ...]]:
            if existing is None:
                progress("Making the key and the shares…")
                made = generate(plan, contributions, ceremony_id=ceremony_id)
            else:
                progress("Splitting the key into new shares…")
                made = reshare(plan, existing, ceremony_id)
            try:
                progress("Checking that the shares rebuild the key…")
                return made, made.check_rebuild()
            except BaseException:
                made.wipe()
                raise

        self._task = run_task(work, self._made, self._failed, self.result.setText)
        self.completeChanged.emit()

    def _made(self, result: tuple[GenesisKeys, tuple[tuple[int, ...], ...]]) -> None:
        self._task = None
        c = self.context
        made, checked = result
        if c.finished_at is not None:  # cancelled while the worker ran
            made.wipe()
            return
        for contribution in c.contributions:
            contribution.wipe()
        c.contributions.clear()
        c.genesis = made
        c.fingerprints.update(made.fingerprints)
        if c.kind == "reshare":
            c.note("Old share sheets", "revoked", old_sheets_text(c))
        for subset in checked:
            c.note(
                f"Shares {', '.join(map(str, subset))} rebuilt in memory",
                "passed",
                f"custodian fingerprint {made.fingerprints['custodian']}",
            )
        lines = [f"{label:<10} {fp}" for label, fp in made.fingerprints.items()]
        self.result.setText(
            f"{len(made.shares)} shares made; any {made.plan.threshold} rebuild the key. "
            "Fingerprints (safe to show, they go on every sheet and the record):"
        )
        self.fingerprint.setText("\n".join(lines))
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self._task = None
        self.failed = message
        self.generate_button.setEnabled(True)
        self.result.setText(message)
        self.completeChanged.emit()

    def busy(self) -> bool:
        return self._task is not None

    def busy_text(self) -> str:
        made = "the new shares" if self.context.kind == "reshare" else "the key and the shares"
        return f"Making {made}… wait a moment."

    def waiting_for(self) -> str:
        button = self.generate_button.text().replace("&", "")
        if self.failed:
            return f"Nothing was made: {self.failed} Press '{button}' to try again."
        return f"Press '{button}' first."

    def is_complete(self) -> bool:
        return self.context.genesis is not None
