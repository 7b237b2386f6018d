"""QR codes drawn as vector squares, so they stay sharp at any printer resolution."""

from __future__ import annotations

from typing import Final

import qrcode
import qrcode.constants
from reportlab.pdfgen.canvas import Canvas

__all__ = ["QUIET_ZONE", "draw_qr", "qr_matrix"]

QUIET_ZONE: Final = 4  # modules of white around the code, as the standard asks


def qr_matrix(text: str) -> list[list[bool]]:
    """Module matrix (quiet zone included) at error correction level M."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw a ``size`` square (quiet zone included) with its lower-left corner at (x, y).

    The white square is painted too, so nothing behind it (a watermark) reaches the code.
    Each run of dark modules in a row is one rectangle: fewer objects, no hairline gaps.
    """
    matrix = qr_matrix(text)
    modules = len(matrix)
    step = size / modules
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * step
        col = 0
        while col < modules:
            if not row[col]:
                col += 1
                continue
            start = col
            while col < modules and row[col]:
                col += 1
            # a hair of overlap with the row below hides anti-aliasing seams
            path.rect(x + start * step, top - step * 0.02, (col - start) * step, step * 1.02)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
