"""What a disabled Next must show: its own reason, beside it, whole, on screen.

- non-empty, and not the last-resort sentence a page falls back on (``UNSAID``): every page
  says what it waits for, by name;
- in the button row, left of Next and level with it;
- inside the window and the screen, not scrolled or cut off (all its lines shown).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QRect
from PySide6.QtWidgets import QApplication, QWidget

from ui.pages.base import UNSAID

__all__ = ["laid_out", "on_screen", "reason_problems"]


def laid_out() -> None:
    """Run only the pending layout passes (no timers, no worker results): what the custodians
    see at this instant, including a worker still running."""
    for _ in range(6):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def _box(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def on_screen(widget: QWidget) -> bool:
    screen = widget.screen().availableGeometry()
    return widget.isVisible() and screen.contains(_box(widget))


def reason_problems(wizard: Any) -> list[str]:
    """What is wrong with the reason beside a disabled Next; [] when Next is enabled."""
    if wizard.next_button.isEnabled():
        return []
    reason = wizard.waiting
    text = reason.text().strip()
    if not text:
        return ["Next is disabled and says nothing beside it"]
    found = []
    if text == UNSAID:
        found.append(f"Next is disabled with no reason of its own: {text!r}")
    if not on_screen(reason):
        found.append(f"the reason beside Next is off screen: {text!r}")
    if not reason.window().frameGeometry().contains(_box(reason)):
        found.append(f"the reason beside Next is outside the window: {text!r}")
    here, button = _box(reason), _box(wizard.next_button)
    level = here.top() <= button.center().y() <= here.bottom()
    if not level or here.right() > button.left():
        found.append(f"the reason is not beside Next ({here} vs {button}): {text!r}")
    shown = reason.visibleRegion().boundingRect()  # what its parents let through
    if reason.heightForWidth(reason.width()) > reason.height() or shown != reason.rect():
        found.append(f"the reason beside Next is cut off ({shown} of {reason.rect()}): {text!r}")
    return found
