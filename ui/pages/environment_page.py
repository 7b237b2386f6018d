"""The environment check inside a ceremony: a real one stops here while a network is up."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from ceremony.errors import EnvironmentRefused
from ceremony.room.environment import EnvironmentReport, require_air_gap
from ui.context import CeremonyContext, Record, Run
from ui.environment_check import EnvironmentProvider, start_check
from ui.pages.base import Page, message_label
from ui.widgets.environment_panel import EnvironmentPanel
from ui.workers import Task

__all__ = ["EnvironmentPage"]


class EnvironmentPage(Page):
    reads = (Run,)
    writes = (Record,)
    title = "Check this computer"

    def __init__(self, context: CeremonyContext, provider: EnvironmentProvider | None) -> None:
        super().__init__(context)
        self.provider = provider
        self._task: Task | None = None
        self.refused = True
        self.failure = ""  # why the check itself could not run
        self.panel = EnvironmentPanel()
        self.verdict = message_label()
        self.verdict.setObjectName("verdict")
        self.again = QPushButton("Check &again")
        self.again.clicked.connect(self.run_check)
        self.body.addWidget(
            message_label(
                "Before any secret exists, the computer must be cut off from every network."
            )
        )
        self.body.addWidget(self.panel)
        self.body.addWidget(self.verdict)
        self.body.addWidget(self.again)
        self.body.addStretch(1)

    def enter(self) -> None:
        self.run_check()

    def run_check(self) -> None:
        self.refused = True
        self.failure = ""
        self.panel.show_pending()
        self.verdict.clear()
        self.again.setEnabled(False)
        self._task = start_check(self.provider, self.context.rehearsal, self._done, self._failed)
        self.completeChanged.emit()

    def busy(self) -> bool:
        return self._task is not None

    def _done(self, env: EnvironmentReport) -> None:
        self._task = None
        self.again.setEnabled(True)
        self.panel.show_report(env)
        self.context.environment = env
        try:
            warning = require_air_gap(env, self.context.rehearsal)
        except EnvironmentRefused as err:
            self.verdict.setStyleSheet("color: #b3261e; font-weight: bold;")
            self.verdict.setText(err.message)
        else:
            self.refused = False
            self.verdict.setStyleSheet("color: #1b5e20; font-weight: bold;")
            self.verdict.setText(warning or "This computer is ready.")
        self.completeChanged.emit()

    def _failed(self, message: str) -> None:
        self._task = None
        self.failure = f"The check could not run: {message}"
        self.again.setEnabled(True)
        self.panel.show_error(message)
        self.completeChanged.emit()

    def busy_text(self) -> str:
        return "Checking this computer… wait a moment."

    def waiting_for(self) -> str:
        said = self.verdict.text() or self.failure
        if said:
            return f"{said} Put it right, then press Check again."
        return "This computer has not passed its check yet: press Check again."

    def is_complete(self) -> bool:
        return not self.refused
