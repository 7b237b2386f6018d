"""The window as the app opens it fits the screen, frame and all, with no window manager and
under openbox (whose title bar and borders come on top of the window's own size): Next stays
on screen at 1366x768 at 150 % and at 1024x700."""

from __future__ import annotations

import contextlib

import pytest

from tests.ui.xserver import run, values, window_manager, xvfb

SCREENS = {"1366x768 at 150%": ("1366x768x24", "1.5"), "1024x700": ("1024x700x24", "1")}


@pytest.mark.xvfb
@pytest.mark.parametrize("managed", [False, True], ids=["no window manager", "openbox"])
@pytest.mark.parametrize("size", list(SCREENS))
def test_the_window_and_its_frame_fit_the_screen(size: str, managed: bool) -> None:
    geometry, scale = SCREENS[size]
    with xvfb(geometry) as display:
        with window_manager(display) if managed else contextlib.nullcontext():
            done = run(display, "tests.ui.frame_check", [], scale=scale)
    seen = values(done.stdout)
    assert done.returncode == 0, done.stderr[-2000:]
    assert seen["window_manager"] == str(managed), done.stdout
    assert seen["frame_fits"] == "True", done.stdout
    assert seen["next_on_screen"] == "True", done.stdout
