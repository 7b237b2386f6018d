"""The contract between a wizard and its pages."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from ui.context import CeremonyContext

__all__ = ["Page", "clear_layout", "message_label"]


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


class Page(QWidget):
    """One step. ``title`` names it; the wizard adds "Step k of m"."""

    completeChanged = Signal()
    title = "Step"
    allow_back = True  # pages after secrets exist usually set False
    next_text = "Next"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__()
        self.context = context
        self.body = QVBoxLayout(self)
        self.body.setSpacing(12)

    def notify(self, *_: object) -> None:
        """Slot for any edit: the wizard re-asks ``is_complete``."""
        self.completeChanged.emit()

    def enter(self) -> None:
        """Called each time the page is shown."""

    def is_complete(self) -> bool:
        return True

    def leave(self) -> bool:
        """Called on Next; return False to stay (after showing why)."""
        return True

    def wipe(self) -> None:
        """Forget anything secret held by widgets on this page."""

    def busy(self) -> bool:
        """True while a worker of this page is running (Next and Cancel wait)."""
        return False
