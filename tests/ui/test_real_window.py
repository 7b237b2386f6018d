"""The real window on a real X server (Xvfb): the screen shows it, not a blank."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]

SHOW_AND_GRAB = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from ui.main_window import MainWindow

app = QApplication(sys.argv[:1])
window = MainWindow(rehearsal=True)
window.resize(1000, 700)
window.show()

def grab():
    if window.env is None:
        QTimer.singleShot(100, grab)
        return
    QGuiApplication.primaryScreen().grabWindow(0).save(sys.argv[1])
    app.quit()

QTimer.singleShot(500, grab)
sys.exit(app.exec())
"""


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (scripts/setup.sh installs xvfb)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
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


@pytest.mark.xvfb
def test_the_main_window_paints_on_a_real_x_server(xvfb_display: str, tmp_path: Path) -> None:
    shot = tmp_path / "screen.png"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env |= {"DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", SHOW_AND_GRAB, str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, "the screen is blank"
    banner_yellow = (255, 210, 63)
    assert any(rgb == banner_yellow for _n, rgb in colours), "no rehearsal banner on screen"
