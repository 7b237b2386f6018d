"""Qt tests run offscreen, each with its own HOME and config folder (no shared settings)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false;qt.multimedia.*=false")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ui.services import Check, EnvironmentView

AIR_GAPPED = EnvironmentView(
    (Check("Network", "ok", "No network: only loopback is up"),),
    network_up=False,
    printers=("PDF",),
)
NETWORK_UP = EnvironmentView(
    (Check("Network", "problem", "Network connected: eth0 (192.0.2.2) is up"),),
    network_up=True,
    printers=("PDF",),
)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    yield home


@pytest.fixture
def air_gapped() -> Callable[[bool], EnvironmentView]:
    return lambda _rehearsal: AIR_GAPPED


@pytest.fixture
def network_up() -> Callable[[bool], EnvironmentView]:
    return lambda _rehearsal: NETWORK_UP
