"""Share sheets: one page per custodian, the thing they will keep for years.

Top to bottom, in the order the eye should meet it: SECRET, whose sheet it is
and which share of how many; the facts that identify the set; the share itself
(words in a numbered grid beside a QR code of the same text); how to recover
and the "verified by re-entry" box; and a cut-off envelope label with nothing
secret on it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Final

from reportlab.pdfgen.canvas import Canvas

from ceremony.errors import PaperError
from ceremony.paper.fonts import MONO, MONO_BOLD, SANS, SANS_BOLD, register_fonts
from ceremony.paper.layout import (
    INK,
    MUTED,
    REHEARSAL_TEXT,
    SECRET_RED,
    Page,
    dashed_cut_line,
    draw_watermark,
    draw_wrapped,
    mm,
    page_for,
)
from ceremony.paper.legacy_lines import LegacyLayout, layout_legacy
from ceremony.paper.model import Paper, SheetData
from ceremony.paper.no_secret import checked
from ceremony.paper.qr import QUIET_ZONE, draw_qr, qr_matrix, share_qr_text
from ceremony.passphrase import iteration_note
from ceremony.shares import slip39

__all__ = ["render_share_sheet", "render_share_sheets"]

# Quiet zone included. A SLIP-39 share's QR (version 9, 61 modules with the quiet zone) gets
# 1.38 mm modules: 4 pixels each in a 75 dpi webcam frame, which blur and tilt leave readable.
QR_SIZE: Final = 84 * mm
# A legacy share is ~520 characters: version 12 at L, 65 modules (73 with the quiet zone). At
# 60 mm zbar needed a 105 dpi frame; 90 mm gives 1.23 mm modules, 3.6 pixels at 75 dpi. The hex
# lines keep just their own width and the quiet zone may lie in the page margin (it is blank
# paper), so the dark modules end at the frame's right edge.
LEGACY_QR_SIZE: Final = 90 * mm
LEGACY_DIGITS_X: Final = 8 * mm  # the digits start here, after the line number
LEGACY_CHECK_GAP: Final = 3.5 * mm  # between the digits and the red check letters
QR_GAP: Final = 4 * mm
WORD_COLUMNS: Final = 4
WORD_SIZE: Final = 10
ROW_HEIGHT: Final = 4.9 * mm
PREFIX_LETTERS: Final = 4  # SLIP-39 words are unique in their first four letters


def render_share_sheet(data: SheetData, paper: Paper = "a4") -> bytes:
    """One share sheet as PDF bytes. The bytes hold the share: keep them in memory."""
    return render_share_sheets([data], paper)


def render_share_sheets(sheets: Sequence[SheetData], paper: Paper = "a4") -> bytes:
    """One PDF with one page per share, in the order given."""
    if not sheets:
        raise PaperError("There are no shares to print.")
    register_fonts()
    page = page_for(paper)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page.width, page.height), invariant=True, pageCompression=1)
    canvas.setTitle("Custodian share sheets" if len(sheets) > 1 else _title(sheets[0]))
    canvas.setAuthor(sheets[0].organisation)
    canvas.setSubject("SECRET key share. Do not copy.")
    for data in sheets:
        _draw_sheet(canvas, page, data)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _title(data: SheetData) -> str:
    return f"Custodian share {data.index} of {data.count} for {data.custodian}"


def _draw_sheet(canvas: Canvas, page: Page, data: SheetData) -> None:
    _check(data)
    if data.rehearsal:
        draw_watermark(canvas, page)
    y = page.top
    if data.rehearsal:
        y = _rehearsal_strip(canvas, page, y)
    y = _header(canvas, page, y, data)
    y = _facts(canvas, page, y - 3 * mm, data)
    if data.scheme == "slip39":
        y = _slip39_body(canvas, page, y - 4 * mm, data)
    else:
        y = _legacy_body(canvas, page, y - 4 * mm, data)
    y = _instructions_and_verification(canvas, page, y - 5 * mm, data)
    if y < _cut_line_y(page) + CUT_SPACE / 2:
        raise PaperError(
            f"The sheet for {data.custodian} does not fit on one {page.name} page; "
            "try the other paper size."
        )
    _envelope_label(canvas, page, data)
    _footer(canvas, page, data)


def _check(data: SheetData) -> None:
    if not 1 <= data.index <= data.count or not 1 <= data.threshold <= data.count:
        raise PaperError(
            f"Share {data.index} of {data.count} with threshold {data.threshold} does not add up."
        )
    if not data.share.strip():
        raise PaperError(f"The share for {data.custodian} is empty.")
    for text in (data.organisation, data.custodian, data.key_version, data.ceremony_id):
        checked(text, where="the envelope label")  # printed where no secret may be


def _fill(canvas: Canvas, rgb: tuple[float, float, float]) -> None:
    canvas.setFillColorRGB(*rgb)


def _rehearsal_strip(canvas: Canvas, page: Page, y: float) -> float:
    height = 6 * mm
    canvas.setFillColorRGB(0.99, 0.9, 0.9)
    canvas.rect(page.left, y - height, page.frame_width, height, stroke=0, fill=1)
    _fill(canvas, SECRET_RED)
    canvas.setFont(SANS_BOLD, 10)
    canvas.drawCentredString(
        page.width / 2, y - height + 1.9 * mm, f"{REHEARSAL_TEXT} · throwaway key, shred after use"
    )
    return y - height - 2.5 * mm


def _header(canvas: Canvas, page: Page, y: float, data: SheetData) -> float:
    """SECRET, the custodian's name and "share i of n" come first and biggest."""
    box_w, box_h = 54 * mm, 25 * mm
    box_x = page.right - box_w
    _fill(canvas, SECRET_RED)
    canvas.roundRect(box_x, y - box_h, box_w, box_h, 2 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(SANS_BOLD, 26)
    canvas.drawCentredString(box_x + box_w / 2, y - 12 * mm, "SECRET")
    canvas.setFont(SANS_BOLD, 8)
    enough = (
        f"Any {data.group_threshold} groups rebuild the key."
        if data.grouped and data.group_threshold > 1
        else f"Any {data.threshold} sheets rebuild the key."
        if not data.grouped
        else "Its group rebuilds the key."
    )
    canvas.drawCentredString(box_x + box_w / 2, y - 17.5 * mm, enough)
    canvas.setFont(SANS, 7.5)
    canvas.drawCentredString(box_x + box_w / 2, y - 21.3 * mm, "Never copy, photograph or scan.")

    text_w = page.frame_width - box_w - 6 * mm
    _fill(canvas, MUTED)
    canvas.setFont(SANS_BOLD, 9.5)
    canvas.drawString(
        page.left,
        y - 3.5 * mm,
        _fit(canvas, f"{data.organisation} · PLATFORM CUSTODIAN SHARE", SANS_BOLD, 9.5, text_w),
    )
    _fill(canvas, INK)
    name_size = _shrink_to_fit(canvas, data.custodian, SANS_BOLD, 26, text_w)
    canvas.setFont(SANS_BOLD, name_size)
    canvas.drawString(page.left, y - 13.5 * mm, data.custodian)
    if data.grouped:
        # the group and both thresholds in plain words, on two lines under the name
        canvas.setFont(SANS_BOLD, 12)
        canvas.drawString(
            page.left,
            y - 19 * mm,
            _fit(canvas, f"{data.group} share {data.index} of {data.count}", SANS_BOLD, 12, text_w),
        )
        canvas.setFont(SANS, 9)
        bottom_text = draw_wrapped(
            canvas, data.policy_text, page.left, y - 23.2 * mm, text_w, SANS, 9, 10.5
        )
        bottom = min(y - box_h, bottom_text + 1 * mm) - 2.5 * mm
    else:
        canvas.setFont(SANS_BOLD, 15)
        canvas.drawString(
            page.left,
            y - 21.5 * mm,
            f"Share {data.index} of {data.count} — any {data.threshold} rebuild the key",
        )
        bottom = y - box_h - 2.5 * mm
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(1.2)
    canvas.line(page.left, bottom, page.right, bottom)
    return bottom


def _facts(canvas: Canvas, page: Page, y: float, data: SheetData) -> float:
    scheme = "SLIP-39" if data.scheme == "slip39" else "Legacy"
    rows = (
        (("Key version", data.key_version), ("Ceremony", data.ceremony_id), ("Date", data.date)),
        (
            ("Set id", data.set_id or "none (legacy format)"),
            ("Custodian fingerprint", data.fingerprint),
            ("Format", f"{scheme}, {_share_length(data)}"),
        ),
    )
    col_w = page.frame_width / 3
    for row in rows:
        for col, (label, value) in enumerate(row):
            x = page.left + col * col_w
            _fill(canvas, MUTED)
            canvas.setFont(SANS, 7.5)
            canvas.drawString(x, y - 2.6 * mm, label.upper())
            _fill(canvas, INK)
            font = MONO_BOLD if label in ("Set id", "Custodian fingerprint") else SANS_BOLD
            canvas.setFont(font, 10.5)
            canvas.drawString(x, y - 7.2 * mm, _fit(canvas, value, font, 10.5, col_w - 3 * mm))
        y -= 10 * mm
    return y


def _share_length(data: SheetData) -> str:
    if data.scheme == "slip39":
        return f"{len(data.share.split())} words"
    layout = layout_legacy(data.share)
    return f"{len(layout.prefix) + sum(len(line.digits) for line in layout.lines)} characters"


def _section_title(canvas: Canvas, x: float, y: float, title: str, note: str = "") -> None:
    _fill(canvas, INK)
    canvas.setFont(SANS_BOLD, 11)
    canvas.drawString(x, y, title)
    if note:
        _fill(canvas, MUTED)
        canvas.setFont(SANS, 8)
        canvas.drawString(x + canvas.stringWidth(title, SANS_BOLD, 11) + 2.5 * mm, y, note)


def _qr_block(canvas: Canvas, page: Page, top: float, data: SheetData, caption: str) -> float:
    size = QR_SIZE
    x = page.right - size
    draw_qr(canvas, share_qr_text(data.share, data.scheme), x, top - size, size, level="L")
    if not caption:
        return top - size
    _fill(canvas, MUTED)
    y = draw_wrapped(canvas, caption, x + 3 * mm, top - size - 1 * mm, size - 6 * mm, SANS, 7.5)
    return y


def _slip39_body(canvas: Canvas, page: Page, y: float, data: SheetData) -> float:
    words = data.share.split()
    _section_title(
        canvas,
        page.left,
        y - 4 * mm,
        "Share words",
        "in this order; the bold first four letters are enough, and the QR code holds "
        "just those, in capitals",
    )
    top = y - 7 * mm
    rows = math.ceil(len(words) / WORD_COLUMNS)
    grid_w = page.frame_width - QR_SIZE - QR_GAP
    col_w = grid_w / WORD_COLUMNS
    grid_h = rows * ROW_HEIGHT
    canvas.setFillColorRGB(0.94, 0.94, 0.95)
    for r in range(0, rows, 2):
        canvas.rect(page.left, top - (r + 1) * ROW_HEIGHT, grid_w, ROW_HEIGHT, stroke=0, fill=1)
    canvas.setStrokeColorRGB(*MUTED)
    canvas.setLineWidth(0.5)
    canvas.rect(page.left, top - grid_h, grid_w, grid_h, stroke=1, fill=0)
    for c in range(1, WORD_COLUMNS):
        canvas.line(page.left + c * col_w, top, page.left + c * col_w, top - grid_h)
    for i, word in enumerate(words):
        col, row = divmod(i, rows)  # down the first column, then the next: how people copy
        x = page.left + col * col_w + 1.6 * mm
        baseline = top - (row + 1) * ROW_HEIGHT + 1.6 * mm
        _fill(canvas, MUTED)
        canvas.setFont(MONO, 8)
        canvas.drawRightString(x + canvas.stringWidth("00", MONO, 8), baseline, str(i + 1))
        text = canvas.beginText(x + canvas.stringWidth("00 ", MONO, 8), baseline)
        text.setFillColorRGB(*INK)
        text.setFont(MONO_BOLD, WORD_SIZE)
        text.textOut(word[:PREFIX_LETTERS])
        text.setFont(MONO, WORD_SIZE)
        text.textOut(word[PREFIX_LETTERS:])
        canvas.drawText(text)
    qr_bottom = _qr_block(canvas, page, top, data, "")
    return min(top - grid_h, qr_bottom)


def _legacy_body(canvas: Canvas, page: Page, y: float, data: SheetData) -> float:
    """Numbered hex lines on the left, as narrow as their text; the large QR on the right.

    The QR's top edge is the section's top: its quiet zone is white paper beside the title.
    Its dark modules end at the frame's right edge; the quiet zone lies in the page margin.
    """
    layout = layout_legacy(data.share)
    _section_title(
        canvas,
        page.left,
        y - 4 * mm,
        "Share text",
        "type it exactly; spaces and line breaks do not matter",
    )
    top = y - 7 * mm
    _fill(canvas, MUTED)
    canvas.setFont(SANS, 8)
    canvas.drawString(page.left, top - 4 * mm, "Begins with")
    _fill(canvas, INK)
    canvas.setFont(MONO_BOLD, 13)
    canvas.drawString(page.left + 20 * mm, top - 4.3 * mm, layout.prefix)
    line_top = top - 7 * mm
    grid_w = _legacy_grid_width(canvas, layout)
    for n, line in enumerate(layout.lines):
        baseline = line_top - (n + 1) * ROW_HEIGHT + 1.6 * mm
        if n % 2 == 0:
            canvas.setFillColorRGB(0.94, 0.94, 0.95)
            canvas.rect(
                page.left, line_top - (n + 1) * ROW_HEIGHT, grid_w, ROW_HEIGHT, stroke=0, fill=1
            )
        _fill(canvas, MUTED)
        canvas.setFont(MONO, 8)
        canvas.drawRightString(page.left + 6 * mm, baseline, f"{line.number}.")
        _fill(canvas, INK)
        canvas.setFont(MONO, WORD_SIZE)
        canvas.drawString(page.left + LEGACY_DIGITS_X, baseline, " ".join(line.groups))
        _fill(canvas, SECRET_RED)
        canvas.setFont(MONO_BOLD, 8)
        canvas.drawRightString(page.left + grid_w - 1.5 * mm, baseline, line.check)
    bottom = line_top - len(layout.lines) * ROW_HEIGHT
    text = share_qr_text(data.share, data.scheme)
    quiet = LEGACY_QR_SIZE * QUIET_ZONE / len(qr_matrix(text, "L"))
    qr_x, qr_y = page.right + quiet - LEGACY_QR_SIZE, y - LEGACY_QR_SIZE
    if qr_x + quiet < page.left + grid_w:
        raise PaperError(f"The share of {data.custodian} is too long for a legacy sheet.")
    draw_qr(canvas, text, qr_x, qr_y, LEGACY_QR_SIZE, level="L")
    _fill(canvas, MUTED)
    caption_bottom = draw_wrapped(
        canvas,
        "The same share as a QR code: the full text in capitals, prefix included.",
        qr_x + quiet,
        qr_y + quiet - 3.5 * mm,
        LEGACY_QR_SIZE - 2 * quiet,
        SANS,
        7.5,
    )
    return min(bottom, caption_bottom)


def _legacy_grid_width(canvas: Canvas, layout: LegacyLayout) -> float:
    """The hex lines' width: line number, the widest line of digits, the check letters."""
    widest = max((" ".join(line.groups) for line in layout.lines), key=len)  # monospaced
    digits: float = canvas.stringWidth(widest, MONO, WORD_SIZE)
    checks: float = canvas.stringWidth("MMM", MONO_BOLD, 8)
    return LEGACY_DIGITS_X + digits + LEGACY_CHECK_GAP + checks + 1.5 * mm


def _instructions(data: SheetData) -> list[str]:
    where = f"set {data.set_id}" if data.set_id else f"ceremony {data.ceremony_id}"
    together = (
        f"Bring any {data.threshold} of the {data.count} sheets of {where} together, "
        "with a witness, to a computer that is not and will not be online."
    )
    if data.grouped:
        together = (
            f"Bring enough sheets of {where} together (the groups are named at the top), "
            "with a witness, to a computer that is not and will not be online."
        )
    if data.scheme == "slip39":
        enter = (
            "Enter the words in the Custodian Ceremony app or any SLIP-39 tool "
            "(SLIP-0039). "
            + (
                "This set HAS a passphrase: tick that box and type it. "
                if data.has_passphrase
                else "This set has NO passphrase. "
            )
            + iteration_note(slip39.decode(data.share).iteration_exponent)
        )
    else:
        enter = (
            "CheckTick's legacy format, not SLIP-39, with no checksum of its own. In the "
            "Custodian Ceremony app, type each line with its red check letters, which name "
            "the line of any typo; for CheckTick's own commands, leave them out."
        )
    halves = (
        "Custodian half only; Vault holds the other: platform key = vault XOR custodian "
        f"component (see the record's appendix). Fingerprint {data.fingerprint}. "
        "Lost? Tell the others."
    )
    return [together, enter, halves]


VERIFY_BOX_HEIGHT: Final = 31 * mm
ENVELOPE_HEIGHT: Final = 36 * mm
CUT_SPACE: Final = 11 * mm  # between the cut line and the label, and above the line


def _instructions_and_verification(canvas: Canvas, page: Page, y: float, data: SheetData) -> float:
    box_w = 62 * mm
    text_w = page.frame_width - box_w - 6 * mm
    _section_title(canvas, page.left, y - 4 * mm, "How to recover the key")
    line_y = y - 9 * mm
    for n, step in enumerate(_instructions(data), start=1):
        _fill(canvas, INK)
        canvas.setFont(SANS_BOLD, 8.5)
        canvas.drawString(page.left, line_y, f"{n}.")
        line_y = draw_wrapped(
            canvas, step, page.left + 4.5 * mm, line_y, text_w - 4.5 * mm, SANS, 8.5, 10.4
        )
        line_y -= 1 * mm

    box_x, box_top = page.right - box_w, y - 1 * mm
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(1.1)
    canvas.rect(box_x, box_top - VERIFY_BOX_HEIGHT, box_w, VERIFY_BOX_HEIGHT, stroke=1, fill=0)
    _fill(canvas, INK)
    canvas.setFont(SANS_BOLD, 10.5)
    canvas.drawString(box_x + 3 * mm, box_top - 6 * mm, "Verified by re-entry")
    canvas.setFont(SANS, 8.5)
    canvas.setLineWidth(0.8)
    for n, label in enumerate(("Share typed back and accepted", "QR code scanned and accepted")):
        row_y = box_top - (12 + n * 5.5) * mm
        canvas.rect(box_x + 3 * mm, row_y - 0.6 * mm, 3.4 * mm, 3.4 * mm, stroke=1, fill=0)
        canvas.drawString(box_x + 8.5 * mm, row_y, label)
    canvas.setLineWidth(0.6)
    half = box_w / 2
    for n, label in enumerate(("Custodian initials", "Witness initials")):
        row_y = box_top - 26 * mm
        x = box_x + 3 * mm + n * (half - 1.5 * mm)
        canvas.line(x, row_y, x + half - 6 * mm, row_y)
        _fill(canvas, MUTED)
        canvas.setFont(SANS, 7)
        canvas.drawString(x, row_y - 3 * mm, label)
    return min(line_y, box_top - VERIFY_BOX_HEIGHT)


def _cut_line_y(page: Page) -> float:
    return page.bottom + ENVELOPE_HEIGHT + CUT_SPACE / 2


def _envelope_label(canvas: Canvas, page: Page, data: SheetData) -> None:
    """The bottom strip: cut off and stick on the envelope. Nothing secret on it."""
    cut_y = _cut_line_y(page)
    dashed_cut_line(canvas, page, cut_y, "✂  CUT HERE · envelope label below, nothing secret on it")
    top = cut_y - CUT_SPACE / 2
    height = ENVELOPE_HEIGHT
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(1)
    canvas.roundRect(page.left, top - height, page.frame_width, height, 2 * mm, stroke=1, fill=0)
    x = page.left + 5 * mm
    right = page.left + page.frame_width * 0.6
    _label_holder(canvas, data, x, top, right - x - 4 * mm)
    _label_sealing(canvas, page, right, top)


def _label_holder(canvas: Canvas, data: SheetData, x: float, top: float, width: float) -> None:
    """The label's left part: whose share it is, which of how many, and the set's facts."""
    _fill(canvas, MUTED)
    canvas.setFont(SANS_BOLD, 8)
    header = f"{data.organisation.upper()} · CUSTODIAN SHARE · SEALED"
    canvas.drawString(x, top - 5.5 * mm, _fit(canvas, header, SANS_BOLD, 8, width))
    _fill(canvas, INK)
    canvas.setFont(SANS_BOLD, 16)
    canvas.drawString(x, top - 12 * mm, _fit(canvas, data.custodian, SANS_BOLD, 16, width))
    canvas.setFont(SANS_BOLD, 11)
    share_of = f"Share {data.index} of {data.count} · any {data.threshold} rebuild the key"
    if data.grouped:
        share_of = _fit(
            canvas,
            f"{data.group} share {data.index} of {data.count} · "
            f"any {data.group_threshold} of {data.group_count} groups",
            SANS_BOLD,
            11,
            width,
        )
    canvas.drawString(x, top - 17.5 * mm, share_of)
    facts = (
        ("Set id", data.set_id or "none (legacy)"),
        ("Fingerprint", data.fingerprint),
        ("Key version", data.key_version),
        ("Ceremony", f"{data.ceremony_id} · {data.date}"),
    )
    for n, (label, value) in enumerate(facts):
        row_y = top - (22.5 + n * 3.7) * mm
        _fill(canvas, MUTED)
        canvas.setFont(SANS, 7.5)
        canvas.drawString(x, row_y, label)
        _fill(canvas, INK)
        canvas.setFont(MONO_BOLD if n < 2 else SANS, 8)
        canvas.drawString(x + 20 * mm, row_y, _fit(canvas, value, SANS, 8, width - 20 * mm))


def _label_sealing(canvas: Canvas, page: Page, right: float, top: float) -> None:
    """The label's right part: the warning, and lines for who sealed the envelope and when."""
    _fill(canvas, SECRET_RED)
    draw_wrapped(
        canvas,
        "Contains a secret key share. Open only for a key ceremony, with a witness.",
        right,
        top - 6 * mm,
        page.right - right - 5 * mm,
        SANS_BOLD,
        8.5,
    )
    canvas.setStrokeColorRGB(*MUTED)
    canvas.setLineWidth(0.6)
    for n, label in enumerate(("Sealed by (initials)", "Witness (initials)", "Date sealed")):
        row_y = top - (19 + n * 6) * mm
        canvas.line(right, row_y, page.right - 5 * mm, row_y)
        _fill(canvas, MUTED)
        canvas.setFont(SANS, 7)
        canvas.drawString(right, row_y - 2.8 * mm, label)


def _footer(canvas: Canvas, page: Page, data: SheetData) -> None:
    _fill(canvas, MUTED)
    canvas.setFont(SANS, 7)
    canvas.drawCentredString(
        page.width / 2,
        page.bottom - 6 * mm,
        f"Custodian Ceremony · {data.ceremony_id} · share {data.index} of {data.count}",
    )


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    """Shorten with an ellipsis rather than run into the next column."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _shrink_to_fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 12 and canvas.stringWidth(text, font, size) > width:
        size -= 1
    return size
