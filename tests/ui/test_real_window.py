"""The real window on a real X server (Xvfb): the screen shows it, not a blank."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.xvfb import xvfb

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
    with xvfb("1280x800x24") as display:
        yield display


def _run_on_x(display: str, script: str, shot: Path) -> subprocess.CompletedProcess[str]:
    """Run a Qt script on the X server ``display`` (xcb, not offscreen); it saves ``shot``."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env |= {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", script, str(shot)], env=env,
                          capture_output=True, text=True, timeout=120, cwd=REPO)  # fmt: skip


@pytest.mark.xvfb
def test_the_main_window_paints_on_a_real_x_server(xvfb_display: str, tmp_path: Path) -> None:
    shot = tmp_path / "screen.png"
    done = _run_on_x(xvfb_display, SHOW_AND_GRAB, shot)
    assert done.returncode == 0, done.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, "the screen is blank"
    banner_yellow = (255, 210, 63)
    assert any(rgb == banner_yellow for _n, rgb in colours), "no rehearsal banner on screen"


FOCUS_AND_GRAB = """
import sys
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QScrollArea
from ui.main_window import MainWindow

app = QApplication(sys.argv[:1])
window = MainWindow(rehearsal=True)
window.resize(1000, 700)
window.show()
window.activateWindow()

def grab():
    button = window.home.recheck_button
    if window.env is None or not button.isEnabled():
        QTimer.singleShot(100, grab)
        return
    button.setFocus(Qt.FocusReason.TabFocusReason)  # as the Tab key gives it
    area = button.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    if area is not None:  # the home page scrolls; bring the button on screen as Tab would
        area.ensureWidgetVisible(button)
    app.processEvents()
    corner = button.mapToGlobal(QPoint(0, 0))
    scale = QGuiApplication.primaryScreen().devicePixelRatio()
    print(int(corner.x() * scale), int(corner.y() * scale),
          int(button.width() * scale), int(button.height() * scale), button.hasFocus())
    QGuiApplication.primaryScreen().grabWindow(0).save(sys.argv[1])
    app.quit()

QTimer.singleShot(500, grab)
sys.exit(app.exec())
"""


@pytest.mark.xvfb
def test_the_focus_ring_shows_on_a_real_screen(xvfb_display: str, tmp_path: Path) -> None:
    """A secondary button with the keyboard focus: its ring is the accent, 3:1 on the page."""
    from tests.ui.test_look import contrast
    from ui.style import ACCENT

    shot = tmp_path / "focus.png"
    done = _run_on_x(xvfb_display, FOCUS_AND_GRAB, shot)
    assert done.returncode == 0, done.stderr[-2000:]
    x, y, w, h, focused = done.stdout.split()[-5:]
    assert focused == "True"
    left, top, width, height = int(x), int(y), int(w), int(h)
    image = Image.open(shot).convert("RGB")
    ring = tuple(int(ACCENT[i : i + 2], 16) for i in (1, 3, 5))

    def near(rgb: tuple[int, ...]) -> bool:
        return all(abs(a - b) <= 24 for a, b in zip(rgb, ring, strict=True))

    # The ring: the 3 px band inside the button's edge, all four sides (corners are rounded).
    band = (
        [(left + dx, top + d) for dx in range(8, width - 8) for d in (0, 1, 2)]
        + [(left + dx, top + height - 1 - d) for dx in range(8, width - 8) for d in (0, 1, 2)]
        + [(left + d, top + dy) for dy in range(8, height - 8) for d in (0, 1, 2)]
        + [(left + width - 1 - d, top + dy) for dy in range(8, height - 8) for d in (0, 1, 2)]
    )
    share = sum(near(image.getpixel(p)) for p in band) / len(band)  # type: ignore[arg-type]
    assert share > 0.6, f"only {share:.0%} of the ring's pixels are the ring colour"
    outside = image.getpixel((left - 4, top + height // 2))
    page = "#{:02x}{:02x}{:02x}".format(*outside)  # type: ignore[misc]
    ring_seen = "#{:02x}{:02x}{:02x}".format(*image.getpixel((left + width // 2, top + 1)))  # type: ignore[misc]
    assert contrast(ring_seen, page) >= 3.0, (ring_seen, page)
