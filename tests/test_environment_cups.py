"""The environment check against the machine's own CUPS and its cups-pdf queue."""

from __future__ import annotations

from ceremony.room.environment import check_environment
from ceremony.room.hardening import ProcessState
from tests.cups_support import QUEUE, cups

__all__ = ["cups"]  # the fixture, used by name

SAFE = ProcessState(core_limit=0, dumpable=0)


def test_the_real_cups_pdf_queue_saves_to_disk(cups: None) -> None:
    """Read through the real lpstat: the cups-pdf queue is no printer, whatever CUPS says."""
    real = check_environment(False, process=SAFE).check("printers")
    assert f"{QUEUE} saves to disk: not a printer" in real.status
    assert f"Printer ready: {QUEUE}" not in real.status
    assert real.severity == "blocking"
    rehearsal = check_environment(True, process=SAFE).check("printers")
    assert rehearsal.severity == "warning"
    assert f"{QUEUE} saves to disk: not a printer" in rehearsal.status
