"""Running the environment check in a worker, with the cameras Qt can see."""

from __future__ import annotations

import sys
from collections.abc import Callable

from ui import services
from ui.services import EnvironmentView
from ui.workers import Task, run_task

__all__ = ["EnvironmentProvider", "start_check"]

EnvironmentProvider = Callable[[bool], EnvironmentView]
"""Given rehearsal or not, the environment. Tests inject one; the app reads the machine."""


def qt_cameras() -> list[str]:
    """What Qt sees, once Qt Multimedia is loaded (a camera scan loads it). Start-up does not
    load it for this: the core finds cameras in /sys by itself."""
    if "PySide6.QtMultimedia" not in sys.modules:
        return []
    from PySide6.QtMultimedia import QMediaDevices

    return [device.description() for device in QMediaDevices.videoInputs()]


def machine_provider() -> EnvironmentProvider:
    cameras = qt_cameras()  # Qt objects are read here, in the GUI thread
    return lambda rehearsal: services.check_environment(rehearsal, cameras)


def start_check(
    provider: EnvironmentProvider | None,
    rehearsal: bool,
    on_done: Callable[[EnvironmentView], None],
    on_failed: Callable[[str], None],
) -> Task:
    check = provider or machine_provider()
    return run_task(lambda _p: check(rehearsal), on_done, on_failed)  # type: ignore[arg-type]
