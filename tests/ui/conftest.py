"""Qt tests run offscreen, each with its own HOME and config folder (no shared settings)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false;qt.multimedia.*=false")

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ceremony.room.checks import Check
from ceremony.room.environment import EnvironmentReport
from ceremony.room.hardening import ProcessState
from ceremony.room.network import NetworkInterface

ETH0_UP = NetworkInterface("eth0", admin_up=True, carrier=True, operstate="up", wireless=False,
                           addresses=("192.0.2.2",))  # fmt: skip


def report(rehearsal: bool, network_up: bool) -> EnvironmentReport:
    """A core report as the machine check makes it: a network, or none, and a printer."""
    network = (
        Check("network", "Network", "warning" if rehearsal else "blocking",
              "Network connected: eth0 (192.0.2.2) is up")
        if network_up
        else Check("network", "Network", "ok", "No network: only loopback is up")
    )  # fmt: skip
    return EnvironmentReport(
        rehearsal=rehearsal,
        checked_at=datetime(2025, 1, 1, tzinfo=UTC),
        interfaces=(ETH0_UP,) if network_up else (),
        swap=(),
        swap_used_kib=0,
        hardening=None,
        process=ProcessState(core_limit=0, dumpable=0),
        printers=("Office-USB",),
        cameras=(),
        checks=(network, Check("printers", "Printers", "ok", "Printer ready: Office-USB")),
    )


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    yield home


@pytest.fixture
def air_gapped() -> Callable[[bool], EnvironmentReport]:
    return lambda rehearsal: report(rehearsal, network_up=False)


@pytest.fixture
def network_up() -> Callable[[bool], EnvironmentReport]:
    return lambda rehearsal: report(rehearsal, network_up=True)
