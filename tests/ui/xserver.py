"""A private Xvfb with no window manager, as the live image runs, and Qt scripts run on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def xvfb(geometry: str = "1366x768x24") -> Iterator[str]:
    """A display name (":N"); the server stops on exit. Skips the test without Xvfb."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (scripts/setup.sh installs xvfb)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", geometry, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()  # Xvfb picks a free display and says which
    try:
        if not number:
            pytest.skip("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


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
