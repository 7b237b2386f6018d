"""A fresh clone tests itself: nothing the suite reads lies outside the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO

DATA_FILES = (
    "slip39_vectors.json",
    "checktick_legacy_vectors.json",
    "checktick_legacy_vectors_32.json",
)


def test_no_test_reads_outside_the_repository() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("tests", "bench")
        for path in (REPO / folder).rglob("*.py")
        if path != Path(__file__).resolve() and '/ "shared"' in path.read_text()
    ]
    assert offenders == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to clone")
def test_a_fresh_clone_collects_every_test_without_skips(tmp_path: Path) -> None:
    if not (REPO / ".git").exists():
        pytest.fail("the suite runs from a git checkout; this one has no .git")
    # The clone sits in a folder with nothing beside it, as on a newcomer's machine.
    clone = tmp_path / "lonely" / "custodian-ceremony"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
    for name in DATA_FILES:
        assert (clone / "tests" / "data" / name).is_file(), f"tests/data/{name} is not committed"
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert re.search(r"^\d+ tests collected", collected.stdout, re.MULTILINE), collected.stdout[
        -2000:
    ]
    # The vectors are parametrised from tests/data: all 45 SLIP-39 vectors were collected.
    vector_ids = [line for line in collected.stdout.splitlines() if "test_share_vectors.py" in line]
    assert len(vector_ids) >= 45
