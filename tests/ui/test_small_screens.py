"""Every page fits common laptops: on a real X server at 1024x700, and at 1366x768 at 150 %,
each page's button row (Cancel, Back, Next) is on screen; the page above it scrolls."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.ui.test_real_window import REPO
from tests.xvfb import xvfb

SCREENS = {
    "1024x700": ("1024x700x24", "1"),
    "1366x768 at 150%": ("1366x768x24", "1.5"),
}


@pytest.mark.xvfb
@pytest.mark.parametrize("size", list(SCREENS))
def test_every_button_row_is_on_screen(size: str) -> None:
    geometry, scale = SCREENS[size]
    with xvfb(geometry) as display:
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env |= {
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "QT_SCALE_FACTOR": scale,
            "PYTHONPATH": str(REPO),
            "QT_LOGGING_RULES": "qt.qpa.*=false;qt.multimedia.*=false",
        }
        done = subprocess.run(
            [sys.executable, "-m", "tests.ui.fit_check"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            cwd=REPO,
        )
    lines = done.stdout.splitlines()
    assert len(lines) >= 40, done.stderr[-2000:]
    off = [line for line in lines if not line.startswith("OK ")]
    assert off == [], "\n".join(off)
    assert done.returncode == 0, done.stderr[-2000:]
