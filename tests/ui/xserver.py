"""Qt scripts run on a private Xvfb with no window manager, as the live image runs them, or
with one (openbox), as on the ordinary desktops where rehearsals happen.

The server itself comes from ``tests.xvfb``: it fails the test, never skips, when Xvfb
is missing or does not start; ``window_manager`` fails the same way without openbox.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.xvfb import xvfb

__all__ = ["run", "start", "values", "window_manager", "x_env", "xvfb"]

REPO = Path(__file__).resolve().parents[2]
OPENBOX_RC = Path("/etc/xdg/openbox/rc.xml")  # Debian's defaults: Alt+F4 closes a window


@contextmanager
def window_manager(display: str) -> Iterator[None]:
    """Openbox on ``display`` with Debian's default settings, managing windows until the end."""
    if shutil.which("openbox") is None or not OPENBOX_RC.is_file():
        pytest.fail("openbox is not installed (scripts/setup.sh installs openbox)")
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile() as log:
        ready = Path(scratch) / "ready"
        env = {**os.environ, "DISPLAY": display, "HOME": scratch, "XDG_CONFIG_HOME": scratch}
        wm = subprocess.Popen(
            ["openbox", "--sm-disable", "--config-file", str(OPENBOX_RC),
             "--startup", f"touch {ready}"],
            env=env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while not ready.exists() and wm.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)  # openbox runs --startup once it manages the screen
            if not ready.exists():
                log.seek(0)
                said = log.read().decode(errors="replace")[-1500:]
                pytest.fail(f"openbox did not start (exit {wm.poll()}): {said}")
            yield
        finally:
            if wm.poll() is None:
                wm.terminate()
                wm.wait(timeout=10)


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
