"""Where memory could reach a disk: swap, the memory lock, and core dumps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ceremony.room.checks import Check, read_value
from ceremony.room.hardening import HardeningResult, ProcessState

__all__ = [
    "SwapDevice",
    "core_dump_check",
    "memory_lock_check",
    "read_core_handler",
    "read_swap",
    "swap_check",
]


@dataclass(frozen=True)
class SwapDevice:
    path: str
    kind: str
    size_kib: int
    used_kib: int

    @property
    def in_memory(self) -> bool:
        """zram swap is compressed RAM, not a disk."""
        return Path(self.path).name.startswith("zram")


def _is_count(text: str) -> bool:
    return text.isascii() and text.isdigit()  # str.isdigit alone accepts "¹"


def read_swap(sys_root: Path) -> tuple[tuple[SwapDevice, ...], int]:
    devices: list[SwapDevice] = []
    for line in (read_value(sys_root / "proc" / "swaps") or "").splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 4 and _is_count(fields[2]) and _is_count(fields[3]):
            devices.append(SwapDevice(fields[0], fields[1], int(fields[2]), int(fields[3])))
    meminfo: dict[str, int] = {}
    for line in (read_value(sys_root / "proc" / "meminfo") or "").splitlines():
        name, _, rest = line.partition(":")
        value = rest.split()
        if value and _is_count(value[0]):
            meminfo[name] = int(value[0])
    used = meminfo.get("SwapTotal", 0) - meminfo.get("SwapFree", 0)
    return tuple(devices), max(used, sum(d.used_kib for d in devices))


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB" if kib < 1024 * 1024 else f"{kib / 1024 / 1024:.1f} GiB"


def swap_check(
    devices: Sequence[SwapDevice], used_kib: int, hardening: HardeningResult | None
) -> Check:
    on_disk = [d for d in devices if not d.in_memory]
    if not devices:
        return Check("swap", "Swap", "ok", "No swap: memory is never written to disk")
    if not on_disk:
        return Check(
            "swap", "Swap", "ok", "Swap is compressed memory only (zram): nothing goes to disk"
        )
    where = ", ".join(f"{d.path} ({_mib(d.size_kib)})" for d in on_disk)
    if hardening is not None and hardening.memory_locked:
        return Check(
            "swap",
            "Swap",
            "ok",
            f"Swap is on ({where}), but this program's memory is locked out of it",
        )
    return Check(
        "swap",
        "Swap",
        "warning",
        f"Swap is on ({where}, {_mib(used_kib)} in use): secrets could be written "
        "to disk — switch it off with 'swapoff -a'",
    )


def memory_lock_check(hardening: HardeningResult | None) -> Check:
    if hardening is None:
        return Check("memory_lock", "Memory lock", "warning", "Memory lock was not attempted")
    if hardening.memory_locked:
        return Check("memory_lock", "Memory lock", "ok", "Memory locked: secrets stay in RAM")
    return Check(
        "memory_lock",
        "Memory lock",
        "warning",
        f"Memory could not be locked: {hardening.memory_lock_error}",
    )


def read_core_handler(sys_root: Path) -> str | None:
    """The crash handler a piped ``core_pattern`` (apport, systemd-coredump) hands dumps to."""
    pattern = read_value(sys_root / "proc" / "sys" / "kernel" / "core_pattern") or ""
    if not pattern.startswith("|"):
        return None
    program = pattern[1:].split()
    return Path(program[0]).name if program else "a crash handler"


def core_dump_check(
    process: ProcessState, hardening: HardeningResult | None, handler: str | None
) -> Check:
    limit_zero = process.core_limit == 0
    not_dumpable = process.dumpable == 0
    if limit_zero and not_dumpable:
        tail = (
            (
                f"; crashes on this machine go to {handler}, which gets nothing from a process "
                "that forbids memory copies"
            )
            if handler
            else ""
        )
        return Check(
            "core_dumps",
            "Core dumps",
            "ok",
            f"Core dumps off: a crash cannot write memory to disk{tail}",
        )
    missing = ([] if limit_zero else ["the core size limit is not 0"]) + (
        [] if not_dumpable else ["the process still allows copies of its memory"]
    )
    if handler and not not_dumpable:
        # The kernel ignores the core size limit when it pipes a dump to a handler.
        missing.append(f"crashes go to {handler}, which ignores the core size limit")
    reason = hardening.core_dump_error if hardening and hardening.core_dump_error else None
    tail = f" ({reason})" if reason else ""
    return Check(
        "core_dumps",
        "Core dumps",
        "warning",
        f"Core dumps are possible: {' and '.join(missing)}{tail}",
    )
