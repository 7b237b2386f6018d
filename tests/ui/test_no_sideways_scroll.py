"""Fits, really: with the window sized to the whole screen (no window manager, as the live image
runs), no page of any wizard scrolls sideways at 1366x768 at 150 % (910x512) or at 1024x700,
and a disabled Next always shows its reason beside it, on screen."""

from __future__ import annotations

import pytest

from tests.ui.xserver import run, xvfb

SCREENS = {"1366x768 at 150%": ("1366x768x24", "1.5"), "1024x700": ("1024x700x24", "1")}


@pytest.mark.xvfb
@pytest.mark.parametrize("size", list(SCREENS))
def test_no_page_scrolls_sideways_and_next_says_why(size: str) -> None:
    geometry, scale = SCREENS[size]
    with xvfb(geometry) as display:
        done = run(display, "tests.ui.sideways_check", [], scale=scale, timeout=900)
    lines = done.stdout.splitlines()
    bad = [line for line in lines if not line.startswith("OK ")]
    assert bad == [], "\n".join(bad) + done.stderr[-2000:]
    assert len(lines) >= 120, done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
