"""Status lines that never show a share or a key, whatever a page asks them to say.

Pages put names and core messages together in their status lines ("Ann: share 2
accepted"). Names are checked where they are typed; this is the second line of
defence: a text that reads as share words or a key in any encoding is replaced by
one sentence saying that it was withheld.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ceremony.shares.secret_text import SecretTextError, check_not_secret

__all__ = ["StatusLine", "status_label"]


class StatusLine(QLabel):
    """A message label whose ``setText`` refuses secret-looking text."""

    withheld = False  # whether the last text was replaced

    def setText(self, text: str) -> None:
        try:
            check_not_secret(text, "a status line", digests=True)
        except SecretTextError as err:
            self.withheld = True
            super().setText(err.message)
            return
        self.withheld = False
        super().setText(text)


def status_label(text: str = "") -> StatusLine:
    """Like :func:`ui.labels.message_label` (wraps, cannot be selected), for status lines."""
    label = StatusLine()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setText(text)
    return label
