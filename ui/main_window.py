"""The main window: the home screen or one running ceremony, under the rehearsal banner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QMoveEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import style
from ui.home_page import HomePage
from ui.kinds import Kind
from ui.widgets.banner import RehearsalBanner

if TYPE_CHECKING:  # loaded when first needed: the first screen paints without them
    from ceremony.room.environment import EnvironmentReport
    from ui.environment_check import EnvironmentProvider
    from ui.help_window import HelpWindow
    from ui.wizard import Wizard
    from ui.workers import Task

__all__ = ["MainWindow"]

FIRST_PAINT_FALLBACK_MS = 400  # a window that is never painted still checks the machine


class MainWindow(QMainWindow):
    environment_ready = Signal()
    wizard_resumed = Signal()  # a way-out question was answered "No, go on"

    def __init__(
        self, *, rehearsal: bool = False, environment: EnvironmentProvider | None = None
    ) -> None:
        super().__init__()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            style.apply(app)
        self.setWindowTitle("Custodian Ceremony")
        self._fit_screen()
        self.provider = environment
        self.env: EnvironmentReport | None = None
        self.wizard: Wizard | None = None
        self._task: Task | None = None
        self.leaving = False  # a way out (close, logout, a signal) waits for the answer

        self.banner = RehearsalBanner()
        self.home = HomePage()
        self.home.rehearsal.setChecked(rehearsal)
        self.home.rehearsal.toggled.connect(self._on_rehearsal)
        self.home.recheck.connect(self.check_environment)
        self.home.start.connect(self.start_ceremony)
        self.home.help_button.clicked.connect(self.show_help)
        self.help_window: HelpWindow | None = None
        help_key = QShortcut(QKeySequence(Qt.Key.Key_F1), self)
        help_key.setContext(Qt.ShortcutContext.ApplicationShortcut)
        help_key.activated.connect(self.show_help)
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
        self.home.environment.show_pending()
        # After the first paint: the window shows at once, then checks the machine.
        self._started = False
        central.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self._after_first_paint)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._started:
            QTimer.singleShot(0, self._after_first_paint)
        return super().eventFilter(watched, event)

    def _after_first_paint(self) -> None:
        if self._started:
            return
        self._started = True
        central = self.centralWidget()
        if central is not None:
            central.removeEventFilter(self)
        from ui.icon import app_icon

        self.setWindowIcon(app_icon())
        self.check_environment()

    def _fit_screen(self) -> None:
        """As large as is comfortable, never larger than the screen (laptops at 150 %)."""
        screen = self.screen().availableGeometry()
        self.resize(min(1100, screen.width()), min(760, screen.height()))
        self.setMinimumSize(min(640, screen.width()), min(420, screen.height()))

    def moveEvent(self, event: QMoveEvent) -> None:
        """A window manager frames the window after it is shown (a move follows): then the
        frame, title bar and all, must fit the screen too, or the buttons go below its edge."""
        super().moveEvent(event)
        QTimer.singleShot(0, self, self._fit_frame)

    def _fit_frame(self) -> None:
        if self.isMaximized() or self.isFullScreen() or not self.isVisible():
            return
        area = self.screen().availableGeometry()
        frame, inner = self.frameGeometry(), self.geometry()
        if area.contains(frame):
            return
        width = min(inner.width(), area.width() - (frame.width() - inner.width()))
        height = min(inner.height(), area.height() - (frame.height() - inner.height()))
        if (width, height) != (inner.width(), inner.height()):
            self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
        frame = self.frameGeometry()
        left = max(area.left(), min(frame.left(), area.right() + 1 - frame.width()))
        top = max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height()))
        if (left, top) != (frame.left(), frame.top()):
            self.move(left, top)  # move() places the frame's top left corner

    def show_help(self) -> None:
        """The glossary beside the ceremony: not modal, so nothing waits for it. F1 toggles it."""
        from ui.help_window import HelpWindow

        if self.help_window is None:
            self.help_window = HelpWindow(self)
        if self.help_window.isVisible():
            self.help_window.close()
            return
        self.help_window.open_beside(self)

    @property
    def rehearsal(self) -> bool:
        return self.home.rehearsal.isChecked()

    def _on_rehearsal(self, on: bool) -> None:
        self.banner.setVisible(on)
        self.home.refusal.clear()
        self.check_environment()

    # -- environment -----------------------------------------------------------------

    def check_environment(self) -> None:
        from ui.environment_check import start_check

        self.home.environment.show_pending()
        self.home.recheck_button.setEnabled(False)
        self._task = start_check(self.provider, self.rehearsal, self._env_done, self._env_failed)

    def _env_done(self, env: EnvironmentReport) -> None:
        self.env = env
        self._task = None
        self.home.recheck_button.setEnabled(True)
        self.home.environment.show_report(env)
        self.environment_ready.emit()

    def _env_failed(self, message: str) -> None:
        self._task = None
        self.home.recheck_button.setEnabled(True)
        self.home.environment.show_error(message)

    # -- ceremonies ----------------------------------------------------------------------

    def start_ceremony(self, kind: str) -> Wizard | None:
        """Opens a wizard, or says in place why it may not start."""
        from ceremony.errors import EnvironmentRefused
        from ceremony.room.environment import require_air_gap
        from ui.context import CeremonyContext

        if self.wizard is not None:
            return None
        self.home.refusal.clear()
        if self.env is None:  # every ceremony, checking one share too, needs the air gap
            self.home.refusal.setText("The computer check has not finished yet; wait a moment.")
            return None
        try:
            require_air_gap(self.env, self.rehearsal)
        except EnvironmentRefused as err:
            self.home.refusal.setText(err.message)
            return None
        from ui.wizards.catalog import build_wizard

        context = CeremonyContext(kind=_kind(kind), rehearsal=self.rehearsal)
        context.environment = self.env
        self.wizard = build_wizard(context, self.provider)
        self.wizard.finished.connect(self._wizard_closed)
        self.wizard.resumed.connect(self._stay)
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
        if self.leaving:  # the answer to "close the window?" was yes: now it closes
            QTimer.singleShot(0, self.close)
            return
        self.check_environment()

    # -- leaving ---------------------------------------------------------------------------

    def needs_decision(self) -> bool:
        return self.wizard is not None and self.wizard.needs_decision()

    def ask_to_leave(self, why: str) -> None:
        """A way out other than Cancel: the same question, in place; yes also closes the app."""
        wizard = self.wizard
        if wizard is None:
            return
        self.leaving = True
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()
        wizard.ask_cancel(why)

    def _stay(self) -> None:
        self.leaving = False
        self.wizard_resumed.emit()

    def wipe_now(self) -> None:
        """No one can answer (the session ends, the process must stop): wipe, ask nothing."""
        if self.wizard is not None:
            self.wizard.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.needs_decision():  # the title-bar button, Alt+F4: a decision, not an accident
            event.ignore()
            self.ask_to_leave("Closing the window ends this ceremony.")
            return
        self.wipe_now()  # Done: nothing left to lose; Finish would wipe the same way
        if self.help_window is not None:
            self.help_window.close()
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
