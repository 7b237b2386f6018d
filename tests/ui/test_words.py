"""One glossary on screen and in docs; ``ceremony --rehearsal`` opens the app in rehearsal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.driver import open_window
from ui.glossary import TERMS, markdown
from ui.help_window import HelpWindow

REPO = Path(__file__).resolve().parents[2]


def test_docs_glossary_is_the_apps_glossary() -> None:
    assert (REPO / "docs" / "glossary.md").read_text() == markdown()
    names = [term for term, _ in TERMS]
    assert len(names) == len(set(names))
    for word in ("Custodian fingerprint", "Vault component", "Export sheet", "Rehearsal"):
        assert word in names


def test_f1_shows_the_glossary_without_blocking(qtbot: Any, air_gapped: Any) -> None:
    window = open_window(qtbot, air_gapped)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.help_window is not None and window.help_window.isVisible())
    shown = window.help_window
    assert isinstance(shown, HelpWindow) and not shown.isModal()
    assert "Custodian fingerprint" in shown.text.toPlainText()


def test_ceremony_rehearsal_goes_to_the_desktop_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from ceremony import cli

    seen: list[list[str]] = []

    def desktop(args: list[str]) -> int:
        seen.append(list(args))
        return 0

    monkeypatch.setattr("ui.app.main", desktop)
    assert cli.main(["--rehearsal"]) == 0
    assert seen == [["--rehearsal"]]


def test_ceremony_rehearsal_is_accepted_by_the_real_command() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "ceremony", "--rehearsal", "--help"],
        env=env, capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "--rehearsal" in done.stdout and "start in rehearsal mode" in done.stdout


def test_the_app_opens_in_rehearsal(qtbot: Any, air_gapped: Any) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(rehearsal=True, environment=air_gapped)
    qtbot.addWidget(window)
    window.show()
    assert window.rehearsal and window.banner.isVisible()
