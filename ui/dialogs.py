"""File choosers in one place, so tests and the screenshot tour can answer them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

__all__ = ["ask_open_image", "ask_save_path"]

IMAGE_FILTER = "Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff)"


def ask_open_image(parent: QWidget, title: str = "Choose a picture of the QR code") -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", IMAGE_FILTER)
    return Path(name) if name else None


def ask_save_path(parent: QWidget, title: str, suggested: str, kind: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, kind)
    return Path(name) if name else None
