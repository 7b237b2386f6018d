"""Reading our PDFs back the way a scanner and a person would: pixels, QR codes, text."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageFilter

from ceremony.paper import layout_legacy

WORD_CELL = re.compile(r"^(\d{1,2}) ([a-z]+)$")
LEGACY_LINE = re.compile(r"^(\d{1,2})\. ((?:[0-9a-f]{1,4} ?)+) ([G-Z]{3})$")


def page_count(pdf: bytes) -> int:
    return len(pdfium.PdfDocument(pdf))


def render(pdf: bytes, page: int = 0, dpi: int = 150) -> Image.Image:
    doc = pdfium.PdfDocument(pdf)
    image: Image.Image = doc[page].render(scale=dpi / 72).to_pil()
    return image.convert("L")


def page_text(pdf: bytes, page: int = 0) -> str:
    doc = pdfium.PdfDocument(pdf)
    text: str = doc[page].get_textpage().get_text_range()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_in_box(pdf: bytes, page: int, left: float, bottom: float, right: float, top: float) -> str:
    doc = pdfium.PdfDocument(pdf)
    text: str = doc[page].get_textpage().get_text_bounded(left, bottom, right, top)
    return text


def all_text(pdf: bytes) -> str:
    return "\n".join(page_text(pdf, i) for i in range(page_count(pdf)))


def blurred(image: Image.Image, radius: float = 0.8) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(radius))


def rotated(image: Image.Image, degrees: float = 3) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def qr_codes(image: Image.Image) -> list[zxingcpp.Result]:
    return [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def words_from_text(text: str) -> str:
    """The SLIP-39 share as printed in the numbered grid, put back in number order."""
    cells = {}
    for line in text.splitlines():
        match = WORD_CELL.match(line.strip())
        if match:
            cells[int(match.group(1))] = match.group(2)
    assert sorted(cells) == list(range(1, len(cells) + 1)), "word numbers are not 1..n"
    return " ".join(cells[n] for n in sorted(cells))


def legacy_from_text(text: str) -> str:
    """The legacy share as printed: prefix plus grouped lines, check codes verified."""
    prefix = re.search(r"Begins with (\S+)", text)
    assert prefix, "no prefix line"
    lines = {}
    for line in text.splitlines():
        match = LEGACY_LINE.match(line.strip())
        if match:
            lines[int(match.group(1))] = (match.group(2).replace(" ", ""), match.group(3))
    digits = "".join(lines[n][0] for n in sorted(lines))
    share = prefix.group(1) + digits
    expected = {line.number: line.check for line in layout_legacy(share).lines}
    assert {n: check for n, (_, check) in lines.items()} == expected
    return share


def webcam(image: Image.Image) -> Image.Image:
    """A poor webcam frame of a page already rendered at its resolution (e.g. 75 dpi):
    1 px Gaussian blur, tilted 5°, saved as JPEG at quality 50."""
    tilted = rotated(blurred(image, 1.0), 5)
    buffer = io.BytesIO()
    tilted.save(buffer, "JPEG", quality=50)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def zbar_texts(image: Image.Image) -> list[str]:
    """QR texts as zbar (Debian's zbarimg) reads them: the second, independent decoder."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "frame.png"
        image.save(path)
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    return [line for line in result.stdout.splitlines() if line.strip()]
