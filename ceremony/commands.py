"""The one way this program runs a system command (``ip``, ``lpstat``, ``lp``, ``lpadmin``).

Every command gets the same environment: the C locale (its output is parsed),
the system's own ``PATH``, and the few variables that choose which CUPS
scheduler to talk to (``CUPS_*``, and ``HOME`` for ``~/.cups/client.conf``) or
where scratch files go (``TMPDIR``). So the environment check and printing
always see the same print service.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

__all__ = [
    "COMMAND_TIMEOUT_S",
    "SYSTEM_PATH",
    "CommandResult",
    "Runner",
    "command_environment",
    "run_command",
]

COMMAND_TIMEOUT_S: Final = 5.0
SYSTEM_PATH: Final = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_PASSED: Final = ("HOME", "TMPDIR")


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


Runner = Callable[[Sequence[str]], CommandResult | None]
"""Runs a command; returns None when the program is not installed."""


def command_environment(parent: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every command runs with, taken from ``parent`` (default: this process)."""
    source = os.environ if parent is None else parent
    kept = {k: v for k, v in source.items() if k in _PASSED or k.startswith("CUPS_")}
    return {**kept, "LC_ALL": "C", "LANG": "C", "PATH": SYSTEM_PATH}


def run_command(
    argv: Sequence[str], timeout: float = COMMAND_TIMEOUT_S, stdin: bytes | None = None
) -> CommandResult | None:
    """Run ``argv`` with :func:`command_environment`; None when the program is not installed.

    A command that does not finish within ``timeout`` seconds is killed and
    answers 124 with ``timed_out`` set.
    """
    try:
        done = subprocess.run(
            list(argv),
            input=stdin,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=command_environment(),
        )
    except (FileNotFoundError, PermissionError):
        return None
    except subprocess.TimeoutExpired:
        return CommandResult(124, "", f"{argv[0]} did not answer", timed_out=True)
    return CommandResult(done.returncode, _text(done.stdout), _text(done.stderr))


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")
