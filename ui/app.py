"""``ceremony`` with no arguments: the desktop app. ``--screenshot-tour DIR`` saves every page."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ceremony", description="Custodian Ceremony desktop app")
    parser.add_argument("--rehearsal", action="store_true", help="start in rehearsal mode")
    parser.add_argument(
        "--full-screen", action="store_true", help="fill the screen (the ceremony image's session)"
    )
    parser.add_argument(
        "--screenshot-tour",
        metavar="DIR",
        type=Path,
        help="walk every page of every wizard with rehearsal data and save one PNG per page",
    )
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    if args.screenshot_tour is not None:
        from testkit.tour import run_tour

        return run_tour(args.screenshot_tour)

    from ui.environment_check import harden

    harden()  # before any secret exists: memory lock, no core dumps
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Custodian Ceremony")
    window = MainWindow(rehearsal=args.rehearsal)
    from ui.leaving import install

    install(window, app)  # type: ignore[arg-type]  # close, logout, SIGTERM: the Cancel question
    small = window.screen().availableGeometry().height() < 820
    if args.full_screen:  # the ceremony image: nothing else on the screen
        # The image's X session has no window manager to honour the full-screen request,
        # so the window also takes the whole screen's geometry itself.
        screen = app.primaryScreen()  # type: ignore[union-attr,attr-defined]
        if screen is not None:
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    elif small:  # a laptop at 150 % needs every pixel
        window.showMaximized()
    else:
        window.show()
    code: int = app.exec()  # type: ignore[union-attr]
    return code
