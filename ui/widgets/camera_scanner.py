"""Reading a QR code from the camera (QtMultimedia), for machines that have one.

Frames are shown as they come; one frame at a time is decoded in a worker, so
the window stays responsive. Without QtMultimedia or a camera the caller's
button is disabled and this module is never used.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.workers import Task, run_task

__all__ = ["scan_qr"]


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
        image = frame.toImage()
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
    dialog.exec()
    return dialog.result_text
