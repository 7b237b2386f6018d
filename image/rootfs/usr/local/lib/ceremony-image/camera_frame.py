"""Take one frame from the first camera through Qt's multimedia stack, the way the app's QR
scanner does (QCamera -> QMediaCaptureSession -> QVideoSink -> the scanner's frame_image),
and save it as a PNG.

The image self-test loads the kernel's V4L2 test driver (vivid) as a stand-in webcam, so
this shows the path a USB webcam takes: kernel V4L2 -> the video group -> Qt -> a frame.
Usage: camera_frame.py OUT.png. Prints "camera: NAME", then "frame: WIDTHxHEIGHT".
"""

import sys

DEADLINE_MS = 120_000


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices, QVideoSink

    from ui.widgets.camera_scanner import frame_image

    app = QGuiApplication(["camera-frame"])
    inputs = QMediaDevices.videoInputs()
    if not inputs:
        print("no camera seen by Qt", file=sys.stderr)
        return 1
    print(f"camera: {inputs[0].description()}")
    camera = QCamera(inputs[0])
    sink = QVideoSink()
    session = QMediaCaptureSession()
    session.setCamera(camera)
    session.setVideoSink(sink)
    saved: list[str] = []

    def frame(video_frame: object) -> None:
        image = frame_image(video_frame)
        if saved or image.isNull():
            return
        if image.save(sys.argv[1], "PNG"):
            saved.append(f"{image.width()}x{image.height()} {video_frame.pixelFormat().name}")  # type: ignore[attr-defined]
            app.quit()

    def failed(*args: object) -> None:
        print(f"camera error: {args}", file=sys.stderr)
        app.quit()

    sink.videoFrameChanged.connect(frame)
    camera.errorOccurred.connect(failed)
    QTimer.singleShot(DEADLINE_MS, app.quit)
    camera.start()
    app.exec()
    camera.stop()
    if not saved:
        print("no frame arrived", file=sys.stderr)
        return 1
    print(f"frame: {saved[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
