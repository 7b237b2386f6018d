"""The camera path without a camera: video frames pushed into the scanner's sink are decoded."""

from __future__ import annotations

import io
from typing import Any

import pytest
import qrcode
from PIL import Image, ImageFilter
from PySide6 import QtMultimedia as multimedia
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from tests.sharesets import make_set
from ui.widgets.camera_scanner import _decode_frame


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


# --- frames as webcams deliver them: YUV, brightness read on the CPU ---------------------

FORMATS = {  # name -> (offset of the brightness byte, bytes per pixel)
    "Format_NV12": (0, 1), "Format_YUV420P": (0, 1), "Format_Y8": (0, 1),
    "Format_YUYV": (0, 2), "Format_UYVY": (1, 2), "Format_P016": (1, 2),
}  # fmt: skip


def grey_of(image: QImage) -> tuple[int, int, bytes]:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h, bpl = grey.width(), grey.height(), grey.bytesPerLine()
    raw = bytes(grey.constBits())
    return w, h, b"".join(raw[r * bpl : r * bpl + w] for r in range(h))


def yuv_frame(name: str, image: QImage) -> Any:
    """A video frame of pixel format ``name`` whose brightness is ``image``; colour neutral."""
    w, h, grey = grey_of(image)
    kind = getattr(multimedia.QVideoFrameFormat.PixelFormat, name)
    frame = multimedia.QVideoFrame(multimedia.QVideoFrameFormat(QSize(w, h), kind))
    assert frame.map(multimedia.QVideoFrame.MapMode.WriteOnly)
    for plane in range(frame.planeCount()):
        plane_bits = memoryview(frame.bits(plane))
        plane_bits[:] = b"\x80" * len(plane_bits)  # chroma (and padding) mid-grey
    offset, step = FORMATS[name]
    bits, stride = memoryview(frame.bits(0)), frame.bytesPerLine(0)
    for row in range(h):
        line = bytearray(bits[row * stride : row * stride + w * step])
        if step == 2 and offset == 1 and name == "Format_P016":
            line[0::2] = bytes(w)  # the low byte of each 16-bit sample
        line[offset::step] = grey[row * w : (row + 1) * w]
        bits[row * stride : row * stride + w * step] = bytes(line)
    frame.unmap()
    return frame


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_the_brightness_of_a_yuv_frame_is_read_exactly_and_decodes(name: str) -> None:
    from ui.widgets.camera_scanner import frame_image, luma_image

    _, shares = make_set(3, 4, seed=5)
    picture = camera_like_frame(shares[2])
    grey = luma_image(yuv_frame(name, picture))
    assert grey is not None and grey.format() == QImage.Format.Format_Grayscale8
    assert grey_of(grey) == grey_of(picture)  # every pixel, the odd width's padding skipped
    assert _decode_frame(frame_image(yuv_frame(name, picture))) == shares[2]


def test_a_frame_without_brightness_plane_goes_through_qt() -> None:
    from ui.widgets.camera_scanner import frame_image, luma_image

    rgb = multimedia.QVideoFrame(camera_like_frame("not a share"))
    assert luma_image(rgb) is None
    assert not frame_image(rgb).isNull()
    assert luma_image(multimedia.QVideoFrame()) is None  # an empty frame: nothing to read


def test_the_dialog_reads_a_webcam_style_frame(qtbot: Any) -> None:
    from ui.widgets.camera_scanner import CameraDialog

    _, shares = make_set(2, 3, seed=6)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = CameraDialog(parent)
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.sink.setVideoFrame(yuv_frame("Format_NV12", camera_like_frame(shares[0])))
    assert dialog.result_text == shares[0]
