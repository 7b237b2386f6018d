"""One line of the environment report, and how the room's checks read the system tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["Check", "Severity", "read_value"]

Severity = Literal["ok", "warning", "blocking"]


@dataclass(frozen=True)
class Check:
    """One line of the report: a plain-words status a custodian can act on."""

    key: str
    title: str
    severity: Severity
    status: str
    blocks_real: bool = False  # a real ceremony refuses to go on while this stays as it is


def read_value(path: Path) -> str | None:
    """A small ``/sys`` or ``/proc`` file, stripped; None when it cannot be read."""
    try:
        return path.read_text().strip()
    except OSError:  # e.g. EINVAL reading carrier of a switched-off interface
        return None
