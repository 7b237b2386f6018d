"""A real X server for the tests that need one: Xvfb on a free display, or a clear failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

__all__ = ["xvfb"]


@contextmanager
def xvfb(geometry: str = "1280x800x24") -> Iterator[str]:
    """Start Xvfb (``-screen 0 geometry``) and yield its display (``:N``).

    Xvfb is installed by ``make setup``: when it is missing or does not start, the
    test fails with what Xvfb said, it never skips.
    """
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (scripts/setup.sh installs xvfb)")
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", geometry, "-nolisten", "tcp"],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # Xvfb picks a free display and says which
        try:
            if not number:
                server.wait(timeout=10)
                log.seek(0)
                said = log.read().decode(errors="replace").strip()[-1500:]
                pytest.fail(f"Xvfb did not start (exit {server.returncode}): {said}")
            yield f":{number}"
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=10)
