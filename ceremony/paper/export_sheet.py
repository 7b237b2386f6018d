"""The export sheet: a sealed bundle on paper (QR code and its text), a second copy of the answer.

A genesis bundle is the only copy of the vault component on its way to
Vault; the sheet lets the room keep one more copy that survives a lost or
unreadable drive. The bundle is sealed to the requesting Vault side, so the
sheet holds nothing a finder can open.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from ceremony.paper.fonts import MONO, SANS, SANS_BOLD, register_fonts
from ceremony.paper.layout import INK, MUTED, draw_watermark, draw_wrapped, mm, page_for
from ceremony.paper.model import Paper
from ceremony.paper.qr import draw_qr

__all__ = ["ExportSheet", "render_export_sheet"]

TEXT_COLUMNS = 64  # characters a line of the bundle text, in groups a person can retype


@dataclass(frozen=True)
class ExportSheet:
    ceremony_id: str
    organisation: str
    operation: str
    text_line: str  # the bundle as one line: also the QR payload
    digest: str  # SHA-256 of the bundle file
    rehearsal: bool = False


def render_export_sheet(sheet: ExportSheet, paper: Paper = "a4") -> bytes:
    register_fonts()
    page = page_for(paper)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page.width, page.height), invariant=True, pageCompression=1)
    canvas.setTitle(f"Export sheet: sealed {sheet.operation} answer, ceremony {sheet.ceremony_id}")
    canvas.setAuthor(sheet.organisation)
    if sheet.rehearsal:
        draw_watermark(canvas, page)
    canvas.setFillColorRGB(*INK)
    y = page.top - 8 * mm
    canvas.setFont(SANS_BOLD, 18)
    canvas.drawString(page.left, y, "Export sheet: the sealed answer for Vault")
    y -= 9 * mm
    y = draw_wrapped(
        canvas,
        f"{sheet.organisation} · ceremony {sheet.ceremony_id} · operation {sheet.operation}. "
        "A second copy of the bundle saved to the drive. It is sealed to the Vault side that "
        "made the request and holds no share. Scan the QR code on the Vault side, or type the "
        "text below. Keep this sheet with the ceremony record.",
        page.left,
        y,
        page.frame_width,
        SANS,
        10.5,
    )
    size = min(page.frame_width, 120 * mm)
    y -= size + 2 * mm
    draw_qr(canvas, sheet.text_line, page.left + (page.frame_width - size) / 2, y, size)
    y -= 8 * mm
    canvas.setFont(SANS_BOLD, 10.5)
    canvas.drawString(page.left, y, f"Bundle digest (SHA-256): {sheet.digest}")
    y -= 7 * mm
    canvas.setFillColorRGB(*MUTED)
    lines = textwrap.wrap(sheet.text_line, TEXT_COLUMNS, break_on_hyphens=False)
    for number, line in enumerate(lines, 1):
        if y < page.bottom + 4 * mm:
            canvas.showPage()
            if sheet.rehearsal:
                draw_watermark(canvas, page)
            canvas.setFillColorRGB(*MUTED)
            y = page.top - 8 * mm
        canvas.setFont(MONO, 9)
        canvas.drawString(page.left, y, f"{number:>3}  {line}")
        y -= 4.4 * mm
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
