"""The room's look: readable from a metre back, one accent colour, a focus ring that shows.

Colours (contrast on white, WCAG): text #1a1a1a 17:1; muted text #4a4a4a 8.9:1;
accent #0b57d0 6.4:1 (white on accent the same); danger #b3261e 6.5:1;
good #1b5e20 7.9:1. The focus ring is the accent, 3 px: 6.4:1 against the
page, and on the accent-filled primary button it turns near-black (3.2:1
against the button, 17:1 against the page).
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

__all__ = ["ACCENT", "BAD", "BODY_PT", "GOOD", "HEADING_PT", "apply", "heading_font"]

ACCENT = "#0b57d0"
GOOD = "#1b5e20"
BAD = "#b3261e"
WARN = "#7a4a00"
TEXT = "#1a1a1a"
MUTED = "#4a4a4a"
BODY_PT = 12.0
HEADING_PT = 19.0

SHEET = f"""
QWidget {{ color: {TEXT}; }}
QMainWindow, QScrollArea, QScrollArea > QWidget > QWidget, QStackedWidget {{ background: #ffffff; }}
QPushButton {{
    background: #f1f3f4; border: 1px solid #5f6368; border-radius: 6px;
    padding: 6px 16px; min-height: 26px;
}}
QPushButton:hover {{ background: #e4e7ea; }}
QPushButton:disabled {{ color: #6b6b6b; background: #f1f1f1; border-color: #c4c4c4; }}
QPushButton#primary {{
    background: {ACCENT}; color: #ffffff; border: 1px solid {ACCENT}; font-weight: bold;
}}
QPushButton#primary:disabled {{ background: #c9d3e6; color: #3b3b3b; border-color: #c9d3e6; }}
QPushButton#danger {{ color: {BAD}; border-color: {BAD}; font-weight: bold; }}
QPushButton#danger:disabled {{ color: #8c8c8c; border-color: #c4c4c4; }}
QPushButton:focus {{ border: 3px solid {ACCENT}; }}
QPushButton#primary:focus {{ border: 3px solid #111111; }}
QLineEdit, QPlainTextEdit, QSpinBox, QComboBox {{
    border: 1px solid #5f6368; border-radius: 4px; padding: 4px; background: #ffffff;
}}
QLineEdit:focus, QPlainTextEdit:focus, QSpinBox:focus, QComboBox:focus {{
    border: 3px solid {ACCENT};
}}
QLineEdit[suspect="true"] {{ border: 3px solid {BAD}; background: #fdecea; }}
QCheckBox {{ padding: 3px; border: 3px solid transparent; border-radius: 4px; }}
QCheckBox:focus {{ border: 3px solid {ACCENT}; }}
QLabel#stepTitle {{ color: {TEXT}; }}
QLabel#kindLabel {{ color: {MUTED}; }}
QFrame#stepRail {{ background: #f4f6fb; border-right: 1px solid #d0d5de; }}
QLabel[step="done"] {{ color: {GOOD}; }}
QLabel[step="current"] {{ color: {ACCENT}; font-weight: bold; }}
QLabel[step="todo"] {{ color: {MUTED}; }}
QFrame#buttonRow {{ border-top: 1px solid #d0d5de; background: #ffffff; }}
"""


def heading_font(base: QFont, points: float = HEADING_PT) -> QFont:
    font = QFont(base)
    font.setPointSizeF(points)
    font.setBold(True)
    return font


def apply(app: QApplication) -> None:
    """The body size and the sheet, once per application (fonts set later build on it)."""
    if app.property("ceremonyStyled"):
        return
    font = app.font()
    if font.pointSizeF() < BODY_PT:
        font.setPointSizeF(BODY_PT)
        app.setFont(font)
    app.setStyleSheet(SHEET)
    app.setProperty("ceremonyStyled", True)
