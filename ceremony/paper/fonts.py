"""The embedded fonts. DejaVu Sans Mono keeps 0/O, 1/l/I and rn/m apart on paper."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Final

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ceremony.errors import PaperError

__all__ = ["MONO", "MONO_BOLD", "SANS", "SANS_BOLD", "font_dir", "register_fonts"]

SANS: Final = "CeremonySans"
SANS_BOLD: Final = "CeremonySans-Bold"
MONO: Final = "CeremonyMono"
MONO_BOLD: Final = "CeremonyMono-Bold"

_FILES: Final = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
    MONO_BOLD: "DejaVuSansMono-Bold.ttf",
}
_lock = threading.Lock()
_registered = False


def font_dir() -> Path:
    """Where the TTFs are: ``CEREMONY_ASSETS``/fonts if set, the source tree's ``assets/fonts``,
    or ``<prefix>/share/custodian-ceremony/fonts`` where the wheel installs them."""
    override = os.environ.get("CEREMONY_ASSETS")
    if override:
        return Path(override) / "fonts"
    source_tree = Path(__file__).resolve().parents[2] / "assets" / "fonts"
    if (source_tree / _FILES[MONO]).exists():
        return source_tree
    return Path(sys.prefix) / "share" / "custodian-ceremony" / "fonts"


def register_fonts() -> None:
    """Register the four fonts with reportlab once per process (PDF workers may race)."""
    global _registered
    with _lock:
        if _registered:
            return
        directory = font_dir()
        for name, filename in _FILES.items():
            path = directory / filename
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except OSError as err:
                raise PaperError(
                    f"The font {filename} is missing from {directory}; reinstall the application."
                ) from err
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD
        )
        pdfmetrics.registerFontFamily(
            MONO, normal=MONO, bold=MONO_BOLD, italic=MONO, boldItalic=MONO_BOLD
        )
        _registered = True
