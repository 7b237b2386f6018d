"""Share sheets and record: our layout against the floor, and reading a page back.

The floor draws the same text (every line our page carries, extracted from our
PDF) and the same QR codes (reportlab's own QR widget) with the same embedded
fonts, one plain ``drawString`` per line: what any PDF of that content costs.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from functools import partial
from typing import Any

import pypdfium2 as pdfium
import qrcode
import zxingcpp
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bench.timing import median_seconds
from ceremony import keys
from ceremony.paper import (
    Attendee,
    RecordData,
    ShareAssignment,
    SheetData,
    render_record,
    render_share_sheets,
)
from ceremony.paper.fonts import SANS, register_fonts
from ceremony.paper.layout import mm
from ceremony.secret import Secret
from ceremony.shares import inspect, split


def _inputs(count: int) -> tuple[list[SheetData], RecordData]:
    rng = random.Random(count)
    component = Secret(rng.randbytes(64))
    fp = keys.fingerprint(component, "custodian")
    shares = split(component, min(3, count), count, random_bytes=rng.randbytes)
    set_id = inspect(shares[0]).set_id
    names = [f"Custodian {i}" for i in range(1, count + 1)]
    sheets = [
        SheetData(
            "Bench Ltd", n, i, count, min(3, count), set_id, "v1", "BENCH-1", "2025-03-14", fp, s
        )
        for i, (n, s) in enumerate(zip(names, shares, strict=True), start=1)
    ]
    record = RecordData(
        "Bench Ltd",
        "BENCH-1",
        "genesis",
        "2025-03-14 09:00 UTC",
        "2025-03-14 11:00 UTC",
        "v1",
        "slip39",
        min(3, count),
        count,
        set_id,
        (*(Attendee(n, "custodian") for n in names), Attendee("Witness", "witness")),
        (("custodian", fp),),
        tuple(ShareAssignment(i, n) for i, n in enumerate(names, start=1)),
    )
    return sheets, record


def _ours(sheets: list[SheetData], record: RecordData) -> None:
    render_share_sheets(sheets)
    render_record(record)


def _page_lines(pdf: bytes) -> list[list[str]]:
    doc = pdfium.PdfDocument(pdf)
    return [doc[i].get_textpage().get_text_range().splitlines() for i in range(len(doc))]


Pages = list[tuple[list[str], str | None]]


def _qr_widget(canvas: Canvas, text: str) -> None:
    """reportlab's own QR widget, scaled to 60 mm."""
    widget = QrCodeWidget(text, barLevel="M")
    drawing = Drawing(60 * mm, 60 * mm)
    drawing.add(widget)
    left, bottom, right, top = widget.getBounds()
    drawing.transform = [60 * mm / (right - left), 0, 0, 60 * mm / (top - bottom), 0, 0]
    renderPDF.draw(drawing, canvas, A4[0] - 80 * mm, A4[1] - 100 * mm)


def _qr_matrix(canvas: Canvas, text: str) -> None:
    """The qrcode library's matrix (the encoder ours uses), one rect per dark module."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    matrix = code.get_matrix()
    cell = 60 * mm / len(matrix)
    left, top = A4[0] - 80 * mm, A4[1] - 40 * mm
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(left + c * cell, top - (r + 1) * cell, cell, cell, 0, 1)


def _floor(pages: Pages, draw_qr: Callable[[Canvas, str], None]) -> None:
    """Same text and QR codes, drawn with no layout: a line after a line, QR in a corner."""
    canvas = Canvas(io.BytesIO(), pagesize=A4, pageCompression=1)
    for lines, qr_text in pages:
        y = A4[1] - 40
        canvas.setFont(SANS, 9)
        for line in lines:
            canvas.drawString(40, y, line)
            y -= 11
        if qr_text is not None:
            draw_qr(canvas, qr_text)
        canvas.showPage()
    canvas.save()


def _decode_page(pdf: bytes, dpi: int) -> None:
    image = pdfium.PdfDocument(pdf)[0].render(scale=dpi / 72).to_pil().convert("L")
    assert zxingcpp.read_barcodes(image)


def run() -> list[dict[str, Any]]:
    register_fonts()
    rows: list[dict[str, Any]] = []
    for count in (4, 16):
        sheets, record = _inputs(count)
        sheet_lines = _page_lines(render_share_sheets(sheets))
        record_lines = _page_lines(render_record(record))
        floor_pages: Pages = [
            (lines, s.share) for lines, s in zip(sheet_lines, sheets, strict=True)
        ]
        floor_pages += [(lines, None) for lines in record_lines]
        ours = median_seconds(partial(_ours, sheets, record), repeat=5)
        floor = median_seconds(partial(_floor, floor_pages, _qr_widget), repeat=5)
        floor_qrcode = median_seconds(partial(_floor, floor_pages, _qr_matrix), repeat=5)
        pages = len(floor_pages)
        rows.append(
            {
                "name": f"{count} sheets + record, ours",
                "value": ours * 1000,
                "unit": "ms",
                "note": f"{pages} pages",
            }
        )
        rows.append(
            {
                "name": f"{count} sheets + record, floor",
                "value": floor * 1000,
                "unit": "ms",
                "note": "reportlab QR widget, one drawString per line",
            }
        )
        rows.append(
            {
                "name": f"{count} sheets + record, floor (qrcode matrix)",
                "value": floor_qrcode * 1000,
                "unit": "ms",
                "note": "same QR encoder as ours, one rect per dark module",
            }
        )
        rows.append(
            {
                "name": f"{count} sheets + record, ours/floor",
                "value": ours / min(floor, floor_qrcode),
                "unit": "x",
                "note": "against the faster of the two floors",
            }
        )
    one = render_share_sheets(_inputs(4)[0][:1])
    for dpi in (150, 300):
        seconds = median_seconds(partial(_decode_page, one, dpi), repeat=5)
        rows.append(
            {
                "name": f"render + decode one page at {dpi} dpi",
                "value": seconds * 1000,
                "unit": "ms",
                "note": "pypdfium2 + zxing-cpp",
            }
        )
    return rows
