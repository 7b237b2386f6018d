"""The app's own icon, drawn at start-up: a key over a sheet of paper, in the accent colour."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from ui.style import ACCENT

__all__ = ["app_icon"]


def _draw(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64
    p.setPen(QPen(QColor("#1a1a1a"), 2 * s))
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(QRectF(10 * s, 4 * s, 40 * s, 54 * s), 4 * s, 4 * s)  # the sheet
    p.setPen(QPen(QColor("#9aa0a6"), 2 * s))
    for y in (14, 20, 26):
        p.drawLine(QPointF(16 * s, y * s), QPointF(44 * s, y * s))  # lines of words
    accent = QColor(ACCENT)
    p.setPen(QPen(accent, 5 * s))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(24 * s, 44 * s), 9 * s, 9 * s)  # the key's bow
    p.drawLine(QPointF(33 * s, 44 * s), QPointF(58 * s, 44 * s))  # its shank
    p.drawLine(QPointF(52 * s, 44 * s), QPointF(52 * s, 53 * s))  # and bit
    p.drawLine(QPointF(45 * s, 44 * s), QPointF(45 * s, 51 * s))
    p.end()
    return pixmap


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 64, 128):
        icon.addPixmap(_draw(size))
    return icon
