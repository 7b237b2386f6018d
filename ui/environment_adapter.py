"""The environment panel's view of ``ceremony.environment``.

The process is hardened once at start-up (memory lock, no core dumps) by
:func:`harden`; every later check reports that result.
"""

from __future__ import annotations

from collections.abc import Sequence

from ceremony import environment
from ceremony.hardening import HardeningResult, harden_process
from ui.services import Check, EnvironmentView, Status

__all__ = ["check", "from_report", "harden", "require_air_gap"]

_hardening: HardeningResult | None = None

_STATUS: dict[str, Status] = {"ok": "ok", "warning": "warning", "blocking": "problem"}


def harden() -> HardeningResult:
    global _hardening
    _hardening = harden_process()
    return _hardening


def check(rehearsal: bool, cameras: Sequence[str] = ()) -> EnvironmentView:
    report = environment.check_environment(
        rehearsal, hardening=_hardening, extra_cameras=tuple(cameras)
    )
    return from_report(report)


def from_report(report: environment.EnvironmentReport) -> EnvironmentView:
    checks = tuple(Check(c.title, _STATUS[c.severity], c.status) for c in report.checks)
    return EnvironmentView(
        checks,
        network_up=not report.air_gapped,
        printers=report.printers,
        camera=bool(report.cameras),
        raw=report,
    )


def require_air_gap(env: EnvironmentView, rehearsal: bool) -> str | None:
    """None when air-gapped; in a rehearsal, a warning; a real ceremony is refused (raises)."""
    if isinstance(env.raw, environment.EnvironmentReport):
        return environment.require_air_gap(env.raw, rehearsal)
    if env.network_up and not rehearsal:  # a view built by hand (tests, the tour)
        from ceremony.errors import EnvironmentRefused

        raise EnvironmentRefused(
            "A real ceremony cannot start while a network is up. Unplug network cables "
            "and switch Wi-Fi off, then check again."
        )
    return "REHEARSAL — network connected" if env.network_up else None
