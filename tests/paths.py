"""Where the suite's reference data lives: tests/data, inside the repository."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


def data_file(name: str) -> Path:
    """A file of tests/data. A missing file is a broken checkout: fail, never skip."""
    path = DATA / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: tests/data is part of the repository")
    return path
