"""Fixtures shared by the whole suite."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest

from tests.cups_support import cups
from tests.secret_scan import AtRest

__all__ = ["at_rest", "cups"]


@pytest.fixture
def at_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AtRest:
    """Point HOME, TMPDIR and the working directory at fresh folders for a secrets-at-rest check."""
    places = {name: tmp_path / f"at-rest-{name}" for name in ("home", "tmp", "work")}
    for path in places.values():
        path.mkdir()
    monkeypatch.setenv("HOME", str(places["home"]))
    monkeypatch.setenv("TMPDIR", str(places["tmp"]))
    monkeypatch.setattr(tempfile, "tempdir", str(places["tmp"]))
    monkeypatch.chdir(places["work"])
    return AtRest(places["home"], places["tmp"], places["work"], time.time() - 1)
