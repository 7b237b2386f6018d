"""Every page of the screenshot tour speaks the glossary's words: no jargon, names not numbers.

The tour walks every page of every wizard; before each picture the visible text
of the page (labels, buttons, tick boxes, box titles, placeholders) is read and
checked against the jargon the room must not show. A term the glossary defines
may appear on a page that also shows the glossary's meaning of it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit, QWidget

from testkit.tour import Tour
from ui.glossary import TERMS

JARGON = (
    re.compile(r"\bvault component\b", re.IGNORECASE),
    re.compile(r"\bescrow\w*", re.IGNORECASE),
    re.compile(r"\bdumpable\b", re.IGNORECASE),
    re.compile(r"\bKEK\b"),
    re.compile(r"\bcomponent fingerprint\b", re.IGNORECASE),  # the paper says custodian fingerprint
    re.compile(r"\b(custodian|holder|share) \d+ of \d+\b", re.IGNORECASE),
    re.compile(r"\bCustodian \d+\b"),  # a name is known from the first page on
)
# The core's own words in the machine check (ceremony/room/environment.py, core-dump row), shown
# as the core reports them: not the UI's to rephrase.
CORE_ROWS = ("Core dumps are possible",)
MEANINGS = {term.lower(): meaning for term, meaning in TERMS}


def visible_texts(root: QWidget) -> list[str]:
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
        elif isinstance(widget, QGroupBox):
            found.append(widget.title())
        elif isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
    return [t.replace("&", "") for t in found if t and not t.startswith(CORE_ROWS)]


def jargon_on(texts: list[str]) -> list[str]:
    """What a page shows that the glossary forbids, unless that page also defines it."""
    page = "\n".join(texts)
    bad: list[str] = []
    for pattern in JARGON:
        for match in pattern.finditer(page):
            meaning = MEANINGS.get(match.group(0).lower())
            if meaning is None or meaning not in page:
                line = next(t for t in texts if match.group(0) in t)
                bad.append(f"{match.group(0)!r} in {line[:90]!r}")
    return bad


def test_the_checker_finds_jargon_and_allows_a_defined_term() -> None:
    assert jargon_on(["Custodian 3, type your share", "The escrow opened"]) == [
        "'escrow' in 'The escrow opened'",
        "'Custodian 3' in 'Custodian 3, type your share'",
    ]
    vault = dict((t.lower(), m) for t, m in TERMS)["vault component"]
    assert jargon_on(["Send the vault component."]) != []
    assert jargon_on(["Send the vault component.", f"Vault component: {vault}"]) == []


def test_no_page_of_the_tour_shows_jargon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.app import main

    seen: dict[str, list[str]] = {}
    shot = Tour.shot

    def read_then_shoot(self: Tour, widget: Any, name: str) -> None:
        self.app.processEvents()  # type: ignore[union-attr]
        seen[f"{self.count + 1:02d} {name}"] = jargon_on(visible_texts(widget))
        shot(self, widget, name)

    monkeypatch.setattr(Tour, "shot", read_then_shoot)
    assert main(["--screenshot-tour", str(tmp_path / "tour")]) == 0
    assert len(seen) > 40
    problems = {page: bad for page, bad in seen.items() if bad}
    assert problems == {}, "\n".join(f"{p}: {b}" for p, b in problems.items())
