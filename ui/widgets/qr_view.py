"""A QR code drawn crisply at any size (for sealed bundles: nothing secret is shown here)."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["QrView"]

QUIET = 4


class QrView(QWidget):
    def __init__(self, minimum: int = 320) -> None:
        super().__init__()
        self._matrix: list[list[bool]] = []
        self.setMinimumSize(QSize(minimum, minimum))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("QR code")

    def set_text(self, text: str) -> None:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET)
        code.add_data(text)
        code.make(fit=True)
        self._matrix = [list(map(bool, row)) for row in code.get_matrix()]
        self.update()

    def clear(self) -> None:
        self._matrix = []
        self.update()

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        side = min(self.width(), self.height())
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        if not self._matrix:
            return
        n = len(self._matrix)
        cell = side / n
        x0 = (self.width() - side) / 2
        y0 = (self.height() - side) / 2
        black = QColor("black")
        for r, row in enumerate(self._matrix):
            for c, dark in enumerate(row):
                if dark:
                    painter.fillRect(
                        QRectF(x0 + c * cell, y0 + r * cell, cell + 0.5, cell + 0.5), black
                    )
        painter.end()
