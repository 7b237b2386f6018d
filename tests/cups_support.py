"""The CUPS scheduler and cups-pdf queue the print tests use."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ceremony.printers import cups as printing

QUEUE = "PDF"
REPO = Path(__file__).resolve().parent.parent


def _lp(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, check=False, env={**os.environ, "LC_ALL": "C"}
    )


@pytest.fixture(scope="module")
def cups() -> None:
    if shutil.which("cupsd") is None and not Path("/usr/sbin/cupsd").exists():
        pytest.skip(
            "cupsd is not installed (scripts/setup.sh installs cups and printer-driver-cups-pdf)"
        )
    if os.getuid() == 0:
        subprocess.run(
            ["bash", str(REPO / "scripts" / "start-cups.sh")], check=True, capture_output=True
        )
    if not printing.scheduler_running():
        pytest.skip("the CUPS scheduler is not running, and starting it needs root")
    if QUEUE not in {q.name for q in printing.list_queues()}:
        pytest.skip(f"there is no cups-pdf queue {QUEUE!r}; adding it (start-cups.sh) needs root")


def cups_pdf_out_dir() -> Path:
    """Where cups-pdf writes: its ``Out`` setting, with ${HOME} of the printing user."""
    out = "/var/spool/cups-pdf/${USER}"
    for line in Path("/etc/cups/cups-pdf.conf").read_text().splitlines():
        if line.startswith("Out "):
            out = line.split(None, 1)[1].strip()
    user = pwd.getpwuid(os.getuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


def wait_for_output(directory: Path, job_id: str, timeout: float = 60) -> Path:
    number = job_id.rsplit("-", 1)[-1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in directory.glob("*.pdf") if re.search(rf"job_{number}\.pdf$", p.name)]
        if found and found[0].stat().st_size > 0:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"cups-pdf wrote no file for {job_id} in {directory}")
