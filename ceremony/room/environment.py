"""Is this machine fit for a ceremony? One report from every check of the room.

Each concern has its own module: ``network``, ``radios``, ``memory`` (swap,
memory lock, core dumps), ``tmpfs`` (temporary files and the print spool),
``printer_check``, ``cameras`` and ``image`` (where this copy came from).
``check_environment`` only reads: ``/sys``, ``/proc``, the CUPS configuration,
``/dev/video*``, ``ip -j addr`` and ``lpstat`` (through ``ceremony.commands``,
the runner printing uses too). Hardening (memory lock, no core dumps) is a
separate explicit call, ``ceremony.room.hardening.harden_process``, whose
result the report shows. All paths and commands are injectable so tests can use
a fake system tree.

Policy for a real ceremony: any interface other than loopback that is switched
on refuses it, with or without a cable (a cable can be plugged in at any
moment), and so does any radio that is not blocked (Wi-Fi, Bluetooth, mobile)
and a temporary folder or print spool on disk. A rehearsal allows all of these
and says so.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ceremony.commands import Runner, run_command
from ceremony.errors import EnvironmentRefused
from ceremony.room.cameras import read_cameras
from ceremony.room.checks import Check, Severity
from ceremony.room.hardening import HardeningResult, ProcessState, read_process_state
from ceremony.room.image import install_check, read_image_identity
from ceremony.room.memory import (
    SwapDevice,
    core_dump_check,
    memory_lock_check,
    read_core_handler,
    read_swap,
    swap_check,
)
from ceremony.room.network import NetworkInterface, network_check, read_addresses, read_interfaces
from ceremony.room.printer_check import read_printers
from ceremony.room.radios import Radio, radio_check, read_radios
from ceremony.room.tmpfs import TempLocation, read_temp_locations, temp_check, tmpfs_script

__all__ = ["EnvironmentReport", "check_environment", "require_air_gap"]

NetworkState = Literal["air-gapped", "network connected", "adapter switched on"]


@dataclass(frozen=True)
class EnvironmentReport:
    rehearsal: bool
    checked_at: datetime
    interfaces: tuple[NetworkInterface, ...]
    swap: tuple[SwapDevice, ...]
    swap_used_kib: int
    hardening: HardeningResult | None
    process: ProcessState
    printers: tuple[str, ...]
    cameras: tuple[str, ...]
    checks: tuple[Check, ...] = field(default=())
    radios: tuple[Radio, ...] = ()
    temp_locations: tuple[TempLocation, ...] = ()
    core_handler: str | None = None  # the program a piped core_pattern hands crashes to

    @property
    def network_state(self) -> NetworkState:
        if any(i.connected for i in self.interfaces):
            return "network connected"
        if any(i.admin_up for i in self.interfaces):
            return "adapter switched on"
        return "air-gapped"

    @property
    def air_gapped(self) -> bool:
        return not any(i.risky for i in self.interfaces)

    @property
    def risky_interfaces(self) -> tuple[NetworkInterface, ...]:
        return tuple(i for i in self.interfaces if i.risky)

    @property
    def unblocked_radios(self) -> tuple[Radio, ...]:
        return tuple(r for r in self.radios if not r.blocked)

    @property
    def temp_on_disk(self) -> tuple[TempLocation, ...]:
        return tuple(t for t in self.temp_locations if not t.in_memory)

    def check(self, key: str) -> Check:
        return next(c for c in self.checks if c.key == key)

    @property
    def worst(self) -> Severity:
        order: dict[Severity, int] = {"ok": 0, "warning": 1, "blocking": 2}
        return max((c.severity for c in self.checks), key=order.__getitem__, default="ok")

    def as_record_rows(self) -> list[tuple[str, str, str]]:
        """(check, result, severity) rows for the ceremony record. No secrets here."""
        mode = "Rehearsal" if self.rehearsal else "Real ceremony"
        rows = [
            ("Mode", mode, "ok"),
            ("Checked at", self.checked_at.strftime("%Y-%m-%d %H:%M:%S UTC"), "ok"),
        ]
        rows += [(c.title, c.status, c.severity) for c in self.checks]
        return rows


def check_environment(
    rehearsal: bool,
    sys_root: Path = Path("/"),
    *,
    hardening: HardeningResult | None = None,
    run: Runner = run_command,
    process: ProcessState | None = None,
    extra_cameras: Sequence[str] = (),
    tmpdir: str | None = None,
    install_prefix: Path | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> EnvironmentReport:
    """Read every check. Pass the result of ``harden_process()`` as ``hardening``.

    ``extra_cameras`` lets the desktop app add what Qt sees; this module never imports Qt.
    ``tmpdir`` is the temporary folder to check (default: the one Python uses);
    ``install_prefix`` the environment this copy runs from (default: ``sys.prefix``).
    """
    interfaces = read_interfaces(sys_root, read_addresses(sys_root, run))
    radios = read_radios(sys_root)
    swap, swap_used = read_swap(sys_root)
    state = process if process is not None else read_process_state()
    handler = read_core_handler(sys_root)
    temp = read_temp_locations(sys_root, tmpdir)
    image_fields, image_check = read_image_identity(sys_root)
    printers, printer_check = read_printers(run, sys_root, rehearsal, "commit" in image_fields)
    cameras, camera_check = read_cameras(sys_root, extra_cameras)
    checks = (
        network_check(interfaces, rehearsal),
        radio_check(radios, rehearsal),
        swap_check(swap, swap_used, hardening),
        memory_lock_check(hardening),
        core_dump_check(state, hardening, handler),
        temp_check(temp, rehearsal),
        printer_check,
        camera_check,
        install_check(Path(sys.prefix) if install_prefix is None else install_prefix),
        image_check,
    )
    return EnvironmentReport(
        rehearsal=rehearsal,
        checked_at=now(),
        interfaces=interfaces,
        swap=swap,
        swap_used_kib=swap_used,
        hardening=hardening,
        process=state,
        printers=printers,
        cameras=cameras,
        checks=checks,
        radios=radios,
        temp_locations=temp,
        core_handler=handler,
    )


def require_air_gap(report: EnvironmentReport, rehearsal: bool) -> str | None:
    """Refuse a real ceremony while a network or a radio is on, or temporary files go to disk.

    Returns None when all is well, or, in a rehearsal, the banner text saying
    what a real ceremony would refuse and that it is allowed only because this
    is a rehearsal.
    """
    problems: list[tuple[str, str]] = []  # (what is wrong, what to do)
    if report.risky_interfaces:
        names = ", ".join(i.describe() for i in report.risky_interfaces)
        problems.append(
            (
                f"a network is up: {names}",
                "unplug network cables and switch Wi-Fi off (flight mode)",
            )
        )
    if report.unblocked_radios:
        names = ", ".join(r.describe() for r in report.unblocked_radios)
        problems.append(
            (f"a radio is not blocked: {names}", "block every radio with 'rfkill block all'")
        )
    if report.temp_on_disk:
        places = ", ".join(t.path for t in report.temp_on_disk)
        problems.append(
            (
                f"temporary files would reach the disk: {places}",
                f"mount memory-only folders with 'sudo sh {tmpfs_script()}'",
            )
        )
    if not problems:
        return None
    what = "; ".join(p for p, _ in problems)
    if rehearsal:
        return f"REHEARSAL — {what}; a real ceremony would refuse to start"
    todo = ", ".join(a for _, a in problems)
    raise EnvironmentRefused(
        f"A real ceremony cannot start because {what} — {todo}, then try again."
    )
