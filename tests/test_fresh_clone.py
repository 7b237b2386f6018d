"""A fresh clone tests itself: nothing the suite reads lies outside the repository."""

from __future__ import annotations

import os
import re
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


def test_the_code_and_docs_cite_the_design_in_the_repository() -> None:
    """docs/design.md is the design; nothing points at a file outside the repository."""
    assert (REPO / "docs" / "design.md").is_file()
    outside = ("DESIGN.md", "vault-api.md", "shared/")
    offenders = [
        f"{path.relative_to(REPO)}: {word}"
        for folder in ("ceremony", "ui", "testkit", "tests", "bench", "docs", "scripts", "image")
        for path in sorted((REPO / folder).rglob("*"))
        if path.suffix in {".py", ".md", ".sh", ""} and path.is_file()
        and path != Path(__file__).resolve() and ".venv" not in path.parts
        for word in outside
        if word in path.read_text(errors="replace")
    ] + [f"README.md: {w}" for w in outside if w in (REPO / "README.md").read_text()]  # fmt: skip
    assert offenders == []


def _pytest(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _summary(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:]


def test_a_fresh_clone_sets_up_every_test_and_runs_the_data_driven_ones(tmp_path: Path) -> None:
    """In a clone with nothing beside it: every fixture runs, and the vector tests pass.

    ``--setup-only`` runs every test's fixtures (the CUPS queue, network namespaces,
    the X server, tests/data) without the test bodies, so a fixture that would skip in
    a fresh clone shows up; the skip rule in tests/conftest.py turns any skip not on
    its allow-list into a failure, here and in every other run. The SLIP-39 vectors,
    read from tests/data, then run for real.
    """
    if not (REPO / ".git").exists():
        pytest.fail("the suite runs from a git checkout; this one has no .git")
    # The clone sits in a folder with nothing beside it, as on a newcomer's machine.
    clone = tmp_path / "lonely" / "custodian-ceremony"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
    for name in DATA_FILES:
        assert (clone / "tests" / "data" / name).is_file(), f"tests/data/{name} is not committed"

    setup = _pytest(clone, "--setup-only", "-m", "not slow")
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    counts = _summary(setup)
    assert re.fullmatch(r"(\d+ deselected )?in [\d.]+s", counts.replace(",", "")) or (
        "skipped" not in counts and "error" not in counts and "failed" not in counts
    ), counts

    vectors = _pytest(clone, "tests/test_share_vectors.py", "-rs")
    assert vectors.returncode == 0, vectors.stdout[-3000:]
    summary = _summary(vectors)
    passed = re.match(r"(\d+) passed", summary)
    assert passed and "skipped" not in summary, summary
    assert int(passed.group(1)) >= 45  # every SLIP-39 vector of tests/data ran
