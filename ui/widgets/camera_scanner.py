"""Reading a QR code from the camera (QtMultimedia), for machines that have one.

Frames are shown as they come; one frame at a time is decoded in a worker, so
the window stays responsive. Without QtMultimedia or a camera the caller's
button is disabled and this module is never used.

A QR code needs only brightness, and webcams deliver YUV frames whose first plane
(or every other byte) is exactly that. Reading it directly keeps frames off the GPU:
Qt's own conversion (``QVideoFrame.toImage``) renders through OpenGL, which on a
machine with only a software renderer is slow and, under emulation, has crashed.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.workers import Task, run_task

__all__ = ["frame_image", "luma_image", "scan_qr"]


@functools.cache
def _luma_layouts() -> dict[Any, tuple[int, int]]:
    """Pixel formats whose brightness can be read straight from plane 0:
    format -> (byte offset of the sample's most significant byte, bytes per pixel)."""
    from PySide6.QtMultimedia import QVideoFrameFormat

    f = QVideoFrameFormat.PixelFormat
    planar8 = (
        "Format_NV12",
        "Format_NV21",
        "Format_YUV420P",
        "Format_YUV422P",
        "Format_YV12",
        "Format_IMC1",
        "Format_IMC2",
        "Format_IMC3",
        "Format_IMC4",
        "Format_Y8",
    )
    wide16 = ("Format_P010", "Format_P016", "Format_Y16")  # little-endian, value in the top bits
    layouts = {getattr(f, name): (0, 1) for name in planar8 if hasattr(f, name)}
    layouts |= {getattr(f, name): (1, 2) for name in wide16 if hasattr(f, name)}
    layouts[f.Format_YUYV] = (0, 2)  # Y U Y V
    layouts[f.Format_UYVY] = (1, 2)  # U Y V Y
    return layouts  # fmt: skip


def luma_image(frame: Any) -> QImage | None:
    """The frame's brightness as an 8-bit grey image, read on the CPU; None for a format
    without a luma plane (RGB frames), which the caller converts with ``toImage``."""
    layout = _luma_layouts().get(frame.pixelFormat())
    width, height = frame.width(), frame.height()
    if layout is None or width <= 0 or height <= 0:
        return None
    from PySide6.QtMultimedia import QVideoFrame

    if not frame.map(QVideoFrame.MapMode.ReadOnly):
        return None
    try:
        data = bytes(frame.bits(0))
        stride = frame.bytesPerLine(0)
    finally:
        frame.unmap()
    offset, step = layout
    if stride < width * step or len(data) < stride * (height - 1) + width * step:
        return None
    if step == 1 and len(data) >= stride * height:  # already a grey image, rows ``stride`` apart
        return QImage(data, width, height, stride, QImage.Format.Format_Grayscale8).copy()
    grey = b"".join(data[row * stride + offset : row * stride + width * step : step]
                    for row in range(height))  # fmt: skip
    return QImage(grey, width, height, width, QImage.Format.Format_Grayscale8).copy()


def frame_image(frame: Any) -> QImage:
    """What the dialog shows and decodes: the grey luma when the format has one."""
    grey = luma_image(frame)
    return grey if grey is not None else frame.toImage()


def _decode_frame(image: QImage) -> str | None:
    import zxingcpp
    from PIL import Image

    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    raw = bytes(gray.constBits())[: gray.bytesPerLine() * gray.height()]
    pil = Image.frombytes("L", (gray.width(), gray.height()), raw, "raw", "L", gray.bytesPerLine())
    found = zxingcpp.read_barcodes(pil)
    return str(found[0].text) if found else None


class CameraDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QVideoSink

        super().__init__(parent)
        self.setWindowTitle("Hold the QR code in front of the camera")
        self.result_text: str | None = None
        self._task: Task | None = None
        self.view = QLabel("Starting the camera…")
        self.view.setMinimumSize(480, 360)
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)

        self.camera = QCamera()
        self.sink = QVideoSink()
        self.session = QMediaCaptureSession()
        self.session.setCamera(self.camera)
        self.session.setVideoSink(self.sink)
        self.sink.videoFrameChanged.connect(self._frame)
        self.camera.errorOccurred.connect(lambda *_: self.view.setText("The camera failed."))
        self.camera.start()

    def _frame(self, frame: Any) -> None:
        image = frame_image(frame)
        if image.isNull():
            return
        self.view.setPixmap(
            QPixmap.fromImage(image).scaled(self.view.size(), Qt.AspectRatioMode.KeepAspectRatio)
        )
        if self._task is None:  # decode one frame at a time
            self._task = run_task(lambda _p: _decode_frame(image), self._decoded, self._failed)

    def _decoded(self, text: object) -> None:
        self._task = None
        if text:
            self.result_text = str(text)
            self.accept()

    def _failed(self, _message: str) -> None:
        self._task = None

    def done(self, code: int) -> None:
        self.camera.stop()
        super().done(code)


def scan_qr(parent: QWidget) -> str | None:
    try:
        dialog = CameraDialog(parent)
    except ImportError:
        return None
    from ui.dialogs import run_modal

    run_modal(dialog)  # the keyboard on the dialog, then back where it was
    return dialog.result_text
