"""What testkit's tour steps need to walk a wizard in a child process on X: the app and a
scratch folder (the walker), and a set of shares to enter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication


@dataclass
class Walker:
    app: QApplication
    scratch: Path


def shares_to_enter() -> list[str]:
    """A throwaway 3-of-4 set, made in this process (nothing is written)."""
    from ceremony import keys
    from ceremony.shares import split

    with keys.new_component() as component:
        return split(component, 3, 4)
