"""Refusals are seen where they happen, on a real X server at 1366x768 and 150 %: the key
version refused on the request page (and beside Next), and share words typed into "Your name"
by real key events refused under the name, each on screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.xserver import run, values, xvfb


@pytest.mark.xvfb
def test_the_key_version_refusal_is_on_its_page_and_beside_next(tmp_path: Path) -> None:
    shot = tmp_path / "key-version.png"
    with xvfb("1366x768x24") as display:
        done = run(display, "tests.ui.screens_check", ["key-version", str(shot)], scale="1.5")
    seen = values(done.stdout)
    assert done.returncode == 0, done.stderr[-2000:]
    assert seen["next_enabled"] == "False"
    said = "The request is for key version 'v1' but this ceremony's key version is '2026-1'."
    assert seen["on_the_page"].startswith(said) and seen["beside_next"].startswith(said)
    assert seen["refusal_on_screen"] == "True" and seen["reason_problems"] == "[]"
    assert shot.stat().st_size > 0


@pytest.mark.xvfb
def test_share_words_typed_into_your_name_are_refused_on_screen(tmp_path: Path) -> None:
    shot = tmp_path / "name.png"
    with xvfb("1366x768x24") as display:
        done = run(display, "tests.ui.screens_check", ["name", str(shot)], scale="1.5")
    seen = values(done.stdout)
    assert done.returncode == 0, done.stderr[-2000:]
    assert seen["said"].startswith("Your name holds what looks like 3 or more share words")
    assert len(seen["name_kept"].split()) < 3  # never three share words kept
    assert seen["focus_on_name"] == "True" and seen["refusal_on_screen"] == "True"
