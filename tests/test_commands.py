"""One command runner: printing and the environment check see the same print service."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceremony.commands import SYSTEM_PATH, command_environment, run_command
from ceremony.printers import cups as printing
from ceremony.room.environment import check_environment
from ceremony.room.hardening import ProcessState
from tests.cups_support import cups

__all__ = ["cups"]  # the fixture, used by name

SAFE = ProcessState(core_limit=0, dumpable=0)


def test_commands_get_the_c_locale_the_system_path_and_the_cups_choice() -> None:
    parent = {
        "PATH": "/home/someone/bin",
        "LANG": "de_DE.UTF-8",
        "CUPS_SERVER": "/run/other.sock",
        "HOME": "/home/someone",
        "TMPDIR": "/run/ceremony/tmp",
        "PYTHONPATH": "/somewhere",
    }
    env = command_environment(parent)
    assert env == {
        "PATH": SYSTEM_PATH,
        "LANG": "C",
        "LC_ALL": "C",
        "CUPS_SERVER": "/run/other.sock",
        "HOME": "/home/someone",
        "TMPDIR": "/run/ceremony/tmp",
    }


def test_a_missing_program_is_none_and_a_slow_one_times_out() -> None:
    assert run_command(["no-such-program-here"]) is None
    slow = run_command(["sleep", "5"], timeout=0.2)
    assert slow is not None and slow.timed_out and slow.returncode == 124


def test_printing_and_the_environment_check_follow_the_same_cups_server(
    cups: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert printing.scheduler_running()
    assert "not running" not in check_environment(False, process=SAFE).check("printers").status
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-scheduler.sock"))
    assert not printing.scheduler_running()
    row = check_environment(False, process=SAFE).check("printers")
    assert row.status == "The print service is not running — start CUPS or save the PDFs"
