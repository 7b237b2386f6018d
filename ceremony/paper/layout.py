"""Page geometry and the drawing helpers every page shares (watermark, boxes, wrapped text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from reportlab.lib import units
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from ceremony.errors import PaperError
from ceremony.paper.fonts import SANS_BOLD
from ceremony.paper.model import Paper

__all__ = [
    "INK",
    "MUTED",
    "REHEARSAL_TEXT",
    "SECRET_RED",
    "Page",
    "dashed_cut_line",
    "draw_watermark",
    "draw_wrapped",
    "mm",
    "page_for",
]

mm: Final[float] = float(units.mm)  # typed: reportlab's own is untyped
REHEARSAL_TEXT: Final = "REHEARSAL — NOT A REAL KEY"
INK: Final = (0.08, 0.08, 0.1)
MUTED: Final = (0.38, 0.38, 0.42)
SECRET_RED: Final = (0.72, 0.07, 0.07)
_SIZES: Final = {"a4": (A4, "A4"), "letter": (LETTER, "US Letter")}


@dataclass(frozen=True)
class Page:
    """A page and its printable frame. Margins suit both A4 and US Letter printers."""

    width: float
    height: float
    name: str = "A4"
    margin: float = 12 * mm

    @property
    def left(self) -> float:
        return self.margin

    @property
    def right(self) -> float:
        return self.width - self.margin

    @property
    def top(self) -> float:
        return self.height - self.margin

    @property
    def bottom(self) -> float:
        return self.margin

    @property
    def frame_width(self) -> float:
        return self.right - self.left


def page_for(paper: Paper) -> Page:
    try:
        (width, height), name = _SIZES[paper]
    except KeyError:
        raise PaperError(f"Unknown paper size {paper!r}; choose a4 or letter.") from None
    return Page(width, height, name)


def draw_watermark(canvas: Canvas, page: Page) -> None:
    """The diagonal rehearsal mark. Drawn first, so text and QR codes sit on top of it."""
    canvas.saveState()
    canvas.setFillColorRGB(0.93, 0.74, 0.74)
    canvas.translate(page.width / 2, page.height / 2)
    canvas.rotate(54)
    size = 44.0
    canvas.setFont(SANS_BOLD, size)
    canvas.drawCentredString(0, -size / 3, REHEARSAL_TEXT)
    canvas.restoreState()


def draw_wrapped(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    width: float,
    font: str,
    size: float,
    leading: float | None = None,
) -> float:
    """Draw ``text`` wrapped to ``width`` from baseline ``y`` down; return the next baseline."""
    step = leading or size * 1.3
    canvas.setFont(font, size)
    for paragraph in text.split("\n"):
        for line in simpleSplit(paragraph, font, size, width) or [""]:
            canvas.drawString(x, y, line)
            y -= step
    return y


def dashed_cut_line(canvas: Canvas, page: Page, y: float, label: str) -> None:
    canvas.saveState()
    canvas.setStrokeColorRGB(*MUTED)
    canvas.setDash(4, 3)
    canvas.setLineWidth(0.6)
    canvas.line(0, y, page.width, y)
    canvas.setDash()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(SANS_BOLD, 7.5)
    text_width = canvas.stringWidth(label, SANS_BOLD, 7.5)
    canvas.rect(page.left - 2, y - 4, text_width + 4, 8, stroke=0, fill=1)
    canvas.setFillColorRGB(*MUTED)
    canvas.drawString(page.left, y - 2.6, label)
    canvas.restoreState()
