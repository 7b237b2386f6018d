"""Running the core's environment check in a worker, with the cameras Qt can see.

The process is hardened once at start-up (memory lock, no core dumps) by
:func:`harden`; every later check reports that result.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ui.workers import Task, run_task

if TYPE_CHECKING:
    from ceremony.room.environment import EnvironmentReport
    from ceremony.room.hardening import HardeningResult

__all__ = ["EnvironmentProvider", "harden", "start_check"]

EnvironmentProvider = Callable[[bool], "EnvironmentReport"]
"""Given rehearsal or not, the environment. Tests inject one; the app reads the machine."""

_hardening: HardeningResult | None = None


def harden() -> HardeningResult:
    """Lock memory and forbid core dumps, before any secret exists."""
    from ceremony.room.hardening import harden_process

    global _hardening
    _hardening = harden_process()
    return _hardening


def qt_cameras() -> list[str]:
    """What Qt sees, once Qt Multimedia is loaded (a camera scan loads it). Start-up does not
    load it for this: the core finds cameras in /sys by itself."""
    if "PySide6.QtMultimedia" not in sys.modules:
        return []
    from PySide6.QtMultimedia import QMediaDevices

    return [device.description() for device in QMediaDevices.videoInputs()]


def machine_provider() -> EnvironmentProvider:
    from ceremony.room.environment import check_environment

    cameras = tuple(qt_cameras())  # Qt objects are read here, in the GUI thread
    return lambda rehearsal: check_environment(
        rehearsal, hardening=_hardening, extra_cameras=cameras
    )


def start_check(
    provider: EnvironmentProvider | None,
    rehearsal: bool,
    on_done: Callable[[EnvironmentReport], None],
    on_failed: Callable[[str], None],
) -> Task:
    check = provider or machine_provider()
    return run_task(lambda _p: check(rehearsal), on_done, on_failed)  # type: ignore[arg-type]
