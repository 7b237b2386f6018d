"""Qt scripts run on a private Xvfb with no window manager, as the live image runs them.

The server itself comes from ``tests.xvfb``: it fails the test, never skips, when Xvfb
is missing or does not start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.xvfb import xvfb

__all__ = ["run", "start", "values", "x_env", "xvfb"]

REPO = Path(__file__).resolve().parents[2]


def x_env(display: str, scale: str = "1") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    return env | {
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QT_SCALE_FACTOR": scale,
        "PYTHONPATH": str(REPO),
        "QT_LOGGING_RULES": "qt.qpa.*=false;qt.multimedia.*=false",
    }


def start(
    display: str, module: str, args: Sequence[str], scale: str = "1"
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        env=x_env(display, scale),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def run(display: str, module: str, args: Sequence[str], scale: str = "1",
        timeout: int = 300) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env=x_env(display, scale),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


def values(output: str) -> dict[str, str]:
    """The ``key=value`` lines a check script printed."""
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
