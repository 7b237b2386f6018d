"""The first thing every command that touches a secret does: harden, then check the room.

``enter_ceremony`` locks memory and switches core dumps off (``harden_process``)
before any secret exists, reads the environment, and refuses a real ceremony on
a machine with a network, a radio or disk-backed temporary files. In a
rehearsal it returns the watermark the command prints instead.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Final

from ceremony.room.environment import EnvironmentReport, check_environment, require_air_gap
from ceremony.room.hardening import HardeningResult, harden_process

__all__ = ["REHEARSAL_MARK", "Guarded", "enter_ceremony"]

REHEARSAL_MARK: Final = "REHEARSAL — not a real ceremony"


@dataclass(frozen=True)
class Guarded:
    hardening: HardeningResult
    report: EnvironmentReport
    banner: str | None  # what a real ceremony would have refused, in a rehearsal

    @property
    def rehearsal(self) -> bool:
        return self.report.rehearsal

    def record_rows(self) -> list[tuple[str, str, str]]:
        return self.report.as_record_rows()


def enter_ceremony(rehearsal: bool, *, announce: bool = True) -> Guarded:
    """Harden this process and check the environment; raises EnvironmentRefused when unfit.

    With ``announce``, a rehearsal says so on standard error straight away, so
    the watermark is there even if the command fails later.
    """
    hardening = harden_process()
    report = check_environment(rehearsal, hardening=hardening)
    banner = require_air_gap(report, rehearsal)
    if announce and rehearsal:
        print(banner or REHEARSAL_MARK, file=sys.stderr)
    return Guarded(hardening, report, banner)
