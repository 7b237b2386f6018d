"""The text of a QR code in a picture (a photo of the Vault side's screen, or of a sheet)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ceremony.errors import CeremonyError

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["decode_qr_image", "decode_qr_pil"]


def decode_qr_image(path: Path) -> str:
    """The text of the first QR code in an image file."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            return decode_qr_pil(img)
    except (OSError, UnidentifiedImageError) as err:
        raise CeremonyError(f"Could not open {path.name} as an image.") from err


def decode_qr_pil(img: Image) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(img.convert("L"))
    if not found:
        raise CeremonyError("No QR code was found in this picture. Try a sharper photo.")
    return str(found[0].text)
