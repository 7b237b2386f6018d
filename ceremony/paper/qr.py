"""QR codes drawn as vector squares, so they stay sharp at any printer resolution.

A share's QR holds upper-case text, so the code uses QR's alphanumeric mode
(5.5 bits a character instead of 8) at error correction L: SLIP-39 shares as
each word's first four letters (unique in the word list), legacy shares as
their text in capitals. Fewer, larger modules are what a webcam at arm's
length needs; the printed size leaves room for L's smaller correction margin.
"""

from __future__ import annotations

from typing import Final, Literal

import qrcode
import qrcode.constants
from reportlab.pdfgen.canvas import Canvas

__all__ = ["QUIET_ZONE", "draw_qr", "qr_matrix", "share_qr_text"]

QUIET_ZONE: Final = 4  # modules of white around the code, as the standard asks
PREFIX_LETTERS: Final = 4  # SLIP-39 words are unique in their first four letters
_LEVELS: Final = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M}


def share_qr_text(share: str, scheme: Literal["slip39", "checktick"]) -> str:
    """What a share's QR holds: "ACAD ACID ..." for SLIP-39, "801-1-3F0A..." for legacy.

    Readers here accept both (prefixes expand to the words, case is ignored).
    """
    if scheme == "slip39":
        return " ".join(w[:PREFIX_LETTERS] for w in share.split()).upper()
    return "".join(share.split()).upper()


def qr_matrix(text: str, level: Literal["L", "M"] = "M") -> list[list[bool]]:
    """Module matrix (quiet zone included). Upper-case text is encoded in alphanumeric mode."""
    code = qrcode.QRCode(error_correction=_LEVELS[level], border=QUIET_ZONE)
    code.add_data(text.encode("utf-8"))  # the encoder picks alphanumeric mode where it can
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def draw_qr(
    canvas: Canvas, text: str, x: float, y: float, size: float, level: Literal["L", "M"] = "M"
) -> None:
    """Draw a ``size`` square (quiet zone included) with its lower-left corner at (x, y).

    The white square is painted too, so nothing behind it (a watermark) reaches the code.
    Each run of dark modules in a row is one rectangle: fewer objects, no hairline gaps.
    """
    matrix = qr_matrix(text, level)
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
