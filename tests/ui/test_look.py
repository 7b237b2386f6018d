"""The look of the room, measured: contrast from ui/style.py, type sizes and one primary action
on every page of the screenshot tour."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QWidget

from testkit.tour import Tour
from ui import style

UI = Path(__file__).resolve().parents[2] / "ui"
WHITE = "#ffffff"


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_of_every_colour_pair_in_the_sheet() -> None:
    """Each rule's text colour on its own background (white where it sets none); disabled
    controls are exempt (WCAG 1.4.3) and skipped."""
    pairs: list[tuple[str, str, str]] = []
    for selector, body in re.findall(r"([^{}]+)\{\{?([^{}]*)\}", style.SHEET):
        if ":disabled" in selector:
            continue
        fg = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", body)
        bg = re.search(r"background:\s*(#[0-9a-fA-F]{6})", body)
        if fg:
            pairs.append((selector.strip(), fg.group(1), bg.group(1) if bg else WHITE))
    assert len(pairs) >= 6
    rail = "#f4f6fb"  # the step rail's labels sit on it
    pairs += [(f"step label {c}", c, rail) for c in (style.GOOD, style.ACCENT, style.MUTED)]
    low = [(s, fg, bg, round(contrast(fg, bg), 2)) for s, fg, bg in pairs if contrast(fg, bg) < 4.5]
    assert low == []


def test_contrast_of_every_inline_text_colour_in_the_pages() -> None:
    """`color: #…` set in a page's own style (marks, verdicts) against the white page."""
    found: dict[str, float] = {}
    for path in UI.rglob("*.py"):
        if path.name == "style.py":  # its sheet is measured rule by rule above
            continue
        for colour in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", path.read_text()):
            found[colour] = contrast(colour, WHITE)
    for name in ("ACCENT", "GOOD", "BAD", "WARN", "TEXT", "MUTED"):
        found[name] = contrast(getattr(style, name), WHITE)
    assert len(found) >= 6
    assert {c: round(r, 2) for c, r in found.items() if r < 4.5} == {}


def test_the_checks_can_fail() -> None:
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", WHITE) < 4.5 < contrast(style.MUTED, WHITE)


def test_type_sizes_and_one_primary_action_on_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.app import main

    assert style.BODY_PT >= 12 and style.HEADING_PT >= 18
    problems: dict[str, list[str]] = {}
    pages = 0
    shot = Tour.shot

    def measure(self: Tour, widget: Any, name: str) -> None:
        nonlocal pages
        self.app.processEvents()  # type: ignore[union-attr]
        pages += 1
        shown = [w for w in widget.findChildren(QWidget) if w.isVisibleTo(widget)]
        bad = [
            f"{type(w).__name__} {w.text()[:30]!r} at {w.font().pointSizeF()} pt"
            for w in shown
            if isinstance(w, QLabel | QAbstractButton) and w.text()
            and 0 < w.font().pointSizeF() < style.BODY_PT
        ]  # fmt: skip
        titles = [w for w in shown if w.objectName() == "stepTitle"]
        bad += [f"heading at {t.font().pointSizeF()} pt" for t in titles
                if t.font().pointSizeF() < 18]  # fmt: skip
        primary = [w for w in shown if isinstance(w, QPushButton)
                   and w.objectName() == "primary"]  # fmt: skip
        if "Step" in name:  # a wizard page: the wizard's Next (or Finish, Make the key), only
            in_row = [p for p in primary if _parent_name(p) == "buttonRow"]
            if len(primary) != 1 or len(in_row) != 1:
                bad.append(f"primary actions {[p.text() for p in primary]}")
        elif len(primary) > 1:
            bad.append(f"primary actions {[p.text() for p in primary]}")
        if bad:
            problems[f"{self.count + 1:02d} {name}"] = bad
        shot(self, widget, name)

    monkeypatch.setattr(Tour, "shot", measure)
    assert main(["--screenshot-tour", str(tmp_path / "tour")]) == 0
    assert pages > 40
    assert problems == {}, "\n".join(f"{p}: {b}" for p, b in problems.items())


def _parent_name(widget: QWidget) -> str:
    parent = widget.parentWidget()
    return parent.objectName() if parent is not None else ""
