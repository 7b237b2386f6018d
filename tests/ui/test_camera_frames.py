"""The camera path without a camera: video frames pushed into the scanner's sink are decoded."""

from __future__ import annotations

import io
from typing import Any

import pytest
import qrcode
from PIL import Image, ImageFilter
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from tests.sharesets import make_set
from ui.widgets.camera_scanner import _decode_frame

multimedia = pytest.importorskip("PySide6.QtMultimedia")


def camera_like_frame(text: str, width: int = 641, height: int = 481) -> QImage:
    """A QR held up at an angle in a grey room, with an odd frame width (stride padding)."""
    code = qrcode.make(text, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=3)
    qr = code.get_image().convert("L").rotate(4, expand=True, fillcolor=255)
    frame = Image.new("L", (width, height), 150)
    frame.paste(qr, ((width - qr.width) // 2, (height - qr.height) // 2))
    frame = frame.filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")
    buffer = io.BytesIO()
    frame.save(buffer, "PNG")
    image = QImage()
    assert image.loadFromData(buffer.getvalue())
    return image.convertToFormat(QImage.Format.Format_RGB32)


def test_a_frame_is_decoded_to_the_share() -> None:
    _, shares = make_set(3, 4, seed=3)
    assert _decode_frame(camera_like_frame(shares[0])) == shares[0]
    blank = QImage(640, 480, QImage.Format.Format_RGB32)
    blank.fill(0x808080)
    assert _decode_frame(blank) is None


def test_frames_through_the_scanner_dialog(qtbot: Any) -> None:
    from ui.widgets.camera_scanner import CameraDialog

    _, shares = make_set(2, 3, seed=4)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = CameraDialog(parent)  # no camera here: it says so and waits for frames
    empty = QImage(640, 480, QImage.Format.Format_RGB32)
    empty.fill(0x909090)
    dialog.sink.setVideoFrame(multimedia.QVideoFrame(empty))
    qtbot.wait(200)
    assert dialog.result_text is None  # nothing to read yet: the dialog stays open
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.sink.setVideoFrame(multimedia.QVideoFrame(camera_like_frame(shares[1])))
    assert dialog.result_text == shares[1]
