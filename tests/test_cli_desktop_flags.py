"""`ceremony --rehearsal` and `ceremony --full-screen` open the desktop app, not the CLI parser."""

from __future__ import annotations

import pytest

import ceremony.cli as cli


@pytest.mark.parametrize("argv", [["--rehearsal"], ["--full-screen", "--rehearsal"], []])
def test_desktop_flags_open_the_app(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    seen: list[list[str]] = []

    def desktop(args: list[str]) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(cli, "_desktop", desktop)
    assert cli.main(argv) == 0
    assert seen == [argv]


def test_commands_still_reach_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["rehearse", "--help"])
    assert "--out" in capsys.readouterr().out
