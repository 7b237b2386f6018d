"""Plain-words labels and layout clearing: small enough for the first screen to import."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout

__all__ = ["clear_layout", "message_label"]


def message_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A label for plain words: wraps, cannot be selected or copied."""
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:  # hidden now: deleteLater alone leaves it painted until idle
            widget.hide()
            widget.deleteLater()
