"""The main window: the home screen or one running ceremony, under the rehearsal banner."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ceremony.errors import EnvironmentRefused
from ui import services, style
from ui.context import CeremonyContext, Kind
from ui.environment_check import EnvironmentProvider, start_check
from ui.home_page import HomePage
from ui.icon import app_icon
from ui.services import EnvironmentView
from ui.widgets.banner import RehearsalBanner
from ui.wizard import Wizard
from ui.workers import Task

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    environment_ready = Signal()

    def __init__(
        self, *, rehearsal: bool = False, environment: EnvironmentProvider | None = None
    ) -> None:
        super().__init__()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            style.apply(app)
        self.setWindowTitle("Custodian Ceremony")
        self.setWindowIcon(app_icon())
        self._fit_screen()
        self.provider = environment
        self.env: EnvironmentView | None = None
        self.wizard: Wizard | None = None
        self._task: Task | None = None

        self.banner = RehearsalBanner()
        self.home = HomePage()
        self.home.rehearsal.setChecked(rehearsal)
        self.home.rehearsal.toggled.connect(self._on_rehearsal)
        self.home.recheck.connect(self.check_environment)
        self.home.start.connect(self.start_ceremony)
        self.stack = QStackedWidget()
        home_scroller = QScrollArea()
        home_scroller.setWidgetResizable(True)
        home_scroller.setFrameShape(QFrame.Shape.NoFrame)
        home_scroller.setWidget(self.home)
        self.home_scroller = home_scroller
        self.stack.addWidget(home_scroller)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.banner.setVisible(rehearsal)
        self.check_environment()

    def _fit_screen(self) -> None:
        """As large as is comfortable, never larger than the screen (laptops at 150 %)."""
        screen = self.screen().availableGeometry()
        self.resize(min(1100, screen.width()), min(760, screen.height()))
        self.setMinimumSize(min(640, screen.width()), min(420, screen.height()))

    @property
    def rehearsal(self) -> bool:
        return self.home.rehearsal.isChecked()

    def _on_rehearsal(self, on: bool) -> None:
        self.banner.setVisible(on)
        self.home.refusal.clear()
        self.check_environment()

    # -- environment -----------------------------------------------------------------

    def check_environment(self) -> None:
        self.home.environment.show_pending()
        self.home.recheck_button.setEnabled(False)
        self._task = start_check(self.provider, self.rehearsal, self._env_done, self._env_failed)

    def _env_done(self, env: EnvironmentView) -> None:
        self.env = env
        self._task = None
        self.home.recheck_button.setEnabled(True)
        self.home.environment.show_view(env)
        self.environment_ready.emit()

    def _env_failed(self, message: str) -> None:
        self._task = None
        self.home.recheck_button.setEnabled(True)
        self.home.environment.show_error(message)

    # -- ceremonies ----------------------------------------------------------------------

    def start_ceremony(self, kind: str) -> Wizard | None:
        """Opens a wizard, or says in place why it may not start."""
        if self.wizard is not None:
            return None
        self.home.refusal.clear()
        if kind != "verify":  # checking one share needs no air gap
            if self.env is None:
                self.home.refusal.setText("The computer check has not finished yet; wait a moment.")
                return None
            try:
                services.require_air_gap(self.env, self.rehearsal)
            except EnvironmentRefused as err:
                self.home.refusal.setText(err.message)
                return None
        from ui.wizards.catalog import build_wizard

        context = CeremonyContext(kind=_kind(kind), rehearsal=self.rehearsal)
        context.environment = self.env
        self.wizard = build_wizard(context, self.provider)
        self.wizard.finished.connect(self._wizard_closed)
        self.stack.addWidget(self.wizard)
        self.stack.setCurrentWidget(self.wizard)
        self.home.rehearsal.setEnabled(False)  # the mode is fixed for a whole ceremony
        self.wizard.focus_first_field()  # only a visible page can take the focus
        return self.wizard

    def _wizard_closed(self, _completed: bool) -> None:
        wizard = self.wizard
        self.wizard = None
        self.stack.setCurrentWidget(self.home_scroller)
        self.home.rehearsal.setEnabled(True)
        if wizard is not None:
            self.stack.removeWidget(wizard)
            wizard.deleteLater()
        self.check_environment()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.wizard is not None:
            self.wizard.cancel()
        super().closeEvent(event)


def _kind(name: str) -> Kind:
    kinds: dict[str, Kind] = {
        "genesis": "genesis",
        "recovery": "recovery",
        "reshare": "reshare",
        "drill": "drill",
        "verify": "verify",
    }
    return kinds[name]
