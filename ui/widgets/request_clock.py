"""How long the request the room is answering still lives, on every step, with a warning.

A typed ceremony is slow (three custodians typing 59 words each), and an answer
sealed for an expired request is refused online. From the moment a request is
opened the wizard shows its time left; at 15 minutes or less the line turns into
a warning that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel

from ui.style import BAD

__all__ = ["WARN_AT", "RequestClock", "time_left_text"]

WARN_AT: Final = timedelta(minutes=15)
TICK_MS: Final = 20_000

Clock = Callable[[], datetime]


def _span(left: timedelta) -> str:
    minutes = int(left.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def time_left_text(expires: datetime, now: datetime) -> tuple[str, bool]:
    """(the line, whether it is a warning) for a request that expires at ``expires``."""
    left = expires - now
    stamp = expires.strftime("%H:%M UTC")
    if left <= timedelta(0):
        return (
            f"The request expired at {stamp}: its answer would be refused. Ask the Vault side "
            "for a new request.",
            True,
        )
    if left <= WARN_AT:
        return (
            f"Only {_span(left)} left on the request (it expires at {stamp}). Finish and seal "
            "the answer now, or ask the Vault side for a new request.",
            True,
        )
    return f"The request expires at {stamp}: {_span(left)} left.", False


class RequestClock(QLabel):
    """Shows the time left of ``expires()`` (None: no request yet, the line is hidden)."""

    def __init__(
        self, expires: Callable[[], datetime | None], now: Clock = lambda: datetime.now(UTC)
    ) -> None:
        super().__init__()
        self.setObjectName("requestClock")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._expires = expires
        self._now = now
        self.warning = False
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        expires = self._expires()
        if expires is None:
            self.setVisible(False)
            self.warning = False
            return
        text, self.warning = time_left_text(expires, self._now())
        self.setText(text)
        self.setStyleSheet(f"color: {BAD}; font-weight: bold;" if self.warning else "")
        self.setAccessibleDescription(text)
        self.setVisible(True)
