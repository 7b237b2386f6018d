"""The permanent rehearsal banner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

__all__ = ["RehearsalBanner"]

REHEARSAL_TEXT = (
    "REHEARSAL — NOT A REAL KEY. Practice only: everything printed or saved is watermarked."
)


class RehearsalBanner(QLabel):
    def __init__(self) -> None:
        super().__init__(REHEARSAL_TEXT)
        self.setObjectName("rehearsalBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setStyleSheet(
            "#rehearsalBanner { background: #ffd23f; color: #1a1a1a; font-weight: bold;"
            " padding: 8px; border-bottom: 3px solid #1a1a1a; }"
        )
