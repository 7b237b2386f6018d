"""Fixtures shared by the whole suite, and the rule that a skip fails the run.

A test that skips checks nothing, so a skip counts as a failure unless its
reason is on ``ALLOWED_SKIPS`` below: a short list of things only the machine,
not the code, can lack. Everything else a test needs, ``make setup`` installs
(Xvfb, CUPS and cups-pdf, git, iproute2, util-linux): when it is missing or does
not start, the test fails and says why.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Final

import pytest

from tests.cli import memory_folder
from tests.cups_support import cups
from tests.secret_scan import AtRest

__all__ = ["ALLOWED_SKIPS", "at_rest", "cups", "memory_tmp", "skip_allowed"]


def _not_root() -> bool:
    return os.geteuid() != 0


ALLOWED_SKIPS: Final[tuple[tuple[str, Callable[[], bool]], ...]] = (
    # Locking all memory, mounting tmpfs, network namespaces, starting CUPS and adding a queue
    # need root. A developer without root runs the rest; `make test` as root runs these too,
    # and as root this reason is no excuse.
    ("needs root", _not_root),
    # A root user in a container without CAP_SYS_ADMIN still cannot make a network namespace.
    ("ip netns is not available here", lambda: True),
    # A kernel that pipes core dumps to a handler (apport, systemd-coredump) never writes the
    # core file that the crash test's control must see; only the machine's owner can change it.
    ("core_pattern is not a plain 'core'", lambda: True),
)


def skip_allowed(reason: str) -> bool:
    return any(words in reason and applies() for words, applies in ALLOWED_SKIPS)


def _skip_reason(longrepr: object) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _refuse_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = _skip_reason(report.longrepr)
        if not skip_allowed(reason):
            report.outcome = "failed"
            report.longrepr = (
                f"skipped, and the reason is not on ALLOWED_SKIPS in tests/conftest.py: {reason}"
            )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    _refuse_skip(outcome.get_result())  # type: ignore[attr-defined]


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, None]:
    outcome = yield
    _refuse_skip(outcome.get_result())  # type: ignore[attr-defined]


@pytest.fixture
def memory_tmp() -> Iterator[Path]:
    """A memory-only folder (tmpfs) that outlives one process: where a real room's session
    key may wait between `ceremony session` and `ceremony authorize`."""
    folder = memory_folder()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def at_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AtRest:
    """Point HOME, TMPDIR and the working directory at fresh folders for a secrets-at-rest check."""
    places = {name: tmp_path / f"at-rest-{name}" for name in ("home", "tmp", "work")}
    for path in places.values():
        path.mkdir()
    monkeypatch.setenv("HOME", str(places["home"]))
    monkeypatch.setenv("TMPDIR", str(places["tmp"]))
    monkeypatch.setattr(tempfile, "tempdir", str(places["tmp"]))
    monkeypatch.chdir(places["work"])
    return AtRest(places["home"], places["tmp"], places["work"], time.time() - 1)
