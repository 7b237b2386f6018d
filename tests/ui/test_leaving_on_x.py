"""Closing the window and SIGTERM on a real X server, with no window manager (as the live image
runs) and with one (openbox: its Alt+F4), keys typed to whatever window has the input focus."""

from __future__ import annotations

import contextlib
import signal
from pathlib import Path

import pytest
from PIL import Image

from tests.ui.xserver import run, start, values, window_manager, xvfb

WAYS = {
    "closed, no window manager": ("close", False),
    "closed, openbox": ("close", True),
    "Alt+F4 to openbox": ("alt-f4", True),
}


@pytest.mark.xvfb
@pytest.mark.parametrize("way", list(WAYS))
def test_closing_the_window_asks_then_wipe_typed_closes_it(tmp_path: Path, way: str) -> None:
    mode, managed = WAYS[way]
    shot = tmp_path / "close-window-question.png"
    with xvfb("1366x768x24") as display:
        with window_manager(display) if managed else contextlib.nullcontext():
            done = run(display, "tests.ui.leave_check", [mode, str(shot)], scale="1.5")
    seen = values(done.stdout)
    assert done.returncode == 0, done.stderr[-2000:]
    if mode == "alt-f4":
        assert seen["window_manager"] == "True"  # a real key, and openbox closed the window
    assert seen["shares"] == "1"
    assert seen["asked"] == "True" and seen["window_visible"] == "True"
    assert seen["question"].startswith("Closing the window ends this ceremony.")
    assert seen["focus_on_confirm"] == "True"
    assert seen["wiped"] == "True" and seen["exit"] == "0"
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert any(rgb == (0xFD, 0xE2, 0xE1) for _n, rgb in colours), "no question on screen"


@pytest.mark.xvfb
def test_sigterm_asks_and_a_second_one_wipes_and_exits(tmp_path: Path) -> None:
    with xvfb("1366x768x24") as display:
        child = start(display, "tests.ui.leave_check", ["signal", str(tmp_path / "x.png")])
        try:
            assert child.stdout is not None
            lines: list[str] = []
            for line in child.stdout:
                lines.append(line.strip())
                if line.strip() == "ready":
                    child.send_signal(signal.SIGTERM)
                if line.strip() == "waiting":
                    child.send_signal(signal.SIGTERM)  # no one answered: asked again
                    break
            out, err = child.communicate(timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
    seen = values("\n".join(lines) + "\n" + out)
    assert seen.get("asked") == "True", err[-2000:]
    assert "asked this app to stop" in seen["question"]
    assert seen["wiped"] == "True"
    assert child.returncode == 128 + signal.SIGTERM
