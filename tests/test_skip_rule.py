"""A skip fails the run unless its reason is on the allow-list in tests/conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO

PROBE = """
import pytest

def test_xvfb_did_not_start():
    pytest.skip("Xvfb did not start")

@pytest.mark.skipif(True, reason="git is needed to clone")
def test_marked_skip():
    pass

def test_needs_root():
    pytest.skip("locking all memory needs root")

def test_netns():
    pytest.skip("ip netns is not available here: Operation not permitted")

@pytest.mark.xfail(reason="an expected failure is not a skip", strict=True)
def test_expected_failure():
    assert False
"""


def test_a_skip_off_the_allow_list_fails_and_one_on_it_stays_a_skip(tmp_path: Path) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
         "-v", "test_probe.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    lines = done.stdout.splitlines()

    def outcome(name: str) -> str:
        return next(line.split()[1] for line in lines if line.startswith(f"test_probe.py::{name} "))

    assert outcome("test_xvfb_did_not_start") == "FAILED"
    assert outcome("test_marked_skip") == "ERROR"  # a skip mark acts in setup
    assert outcome("test_needs_root") == ("FAILED" if os.geteuid() == 0 else "SKIPPED")
    assert outcome("test_netns") == "SKIPPED"
    assert outcome("test_expected_failure") == "XFAIL"
    assert "not on ALLOWED_SKIPS in tests/conftest.py: Xvfb did not start" in done.stdout
    assert done.returncode == 1
