"""Process hardening for a ceremony: lock memory and switch core dumps off.

Nothing here runs on import. The desktop app and the CLI ceremonies call
``harden_process()`` once, explicitly, before any secret exists, and show its
result through the environment report. Every step may fail without privileges;
a failure is reported, never raised.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "HardeningResult",
    "ProcessState",
    "harden_process",
    "read_process_state",
]

# Linux x86_64 / arm64 values (asm-generic/mman-common.h, linux/prctl.h).
MCL_CURRENT = 1
MCL_FUTURE = 2
MCL_ONFAULT = 4
PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4


@dataclass(frozen=True)
class HardeningResult:
    """What ``harden_process`` tried and what the kernel said."""

    memory_locked: bool
    memory_lock_error: str | None
    core_limit_zero: bool
    not_dumpable: bool
    core_dump_error: str | None

    @property
    def core_dumps_disabled(self) -> bool:
        return self.core_limit_zero and self.not_dumpable


@dataclass(frozen=True)
class ProcessState:
    """The core-dump settings of the running process, read without changing them."""

    core_limit: int  # soft RLIMIT_CORE in bytes; resource.RLIM_INFINITY when unlimited
    dumpable: int | None  # PR_GET_DUMPABLE: 0 = not dumpable; None when unknown


class _Libc:
    """The three libc calls we need, through ctypes (no compiled extension)."""

    def __init__(self) -> None:
        self._lib = ctypes.CDLL(None, use_errno=True)

    def mlockall(self, flags: int) -> int:
        return int(self._lib.mlockall(ctypes.c_int(flags)))

    def prctl(self, option: int, arg: int) -> int:
        return int(self._lib.prctl(ctypes.c_int(option), ctypes.c_ulong(arg), 0, 0, 0))

    @staticmethod
    def last_errno() -> int:
        return ctypes.get_errno()


def _lock_memory(libc: _Libc) -> tuple[bool, str | None]:
    # MCL_ONFAULT locks pages as they are touched instead of populating every
    # future mapping at once: Qt and friends reserve large address ranges they
    # never use, and populating them would exhaust memory or the lock limit.
    for flags in (MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT, MCL_CURRENT | MCL_FUTURE):
        if libc.mlockall(flags) == 0:
            return True, None
        err = libc.last_errno()
        if err != errno.EINVAL:  # EINVAL: a kernel older than 4.4 without MCL_ONFAULT
            break
    return False, _explain_lock_error(err)


def _explain_lock_error(err: int) -> str:
    if err in (errno.ENOMEM, errno.EPERM):
        soft, _ = resource.getrlimit(resource.RLIMIT_MEMLOCK)
        limit = "no memory" if soft == 0 else f"only {soft // 1024} KiB"
        return (
            f"the system lets this account lock {limit} "
            "(run as an administrator or raise the memlock limit)"
        )
    return os.strerror(err)


def _disable_core_dumps(libc: _Libc) -> tuple[bool, bool, str | None]:
    problems: list[str] = []
    try:
        # Hard limit too, so nothing later in the process can raise it again.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        limit_zero = True
    except (OSError, ValueError) as err:
        limit_zero = resource.getrlimit(resource.RLIMIT_CORE)[0] == 0
        problems.append(f"core size limit: {err}")
    if libc.prctl(PR_SET_DUMPABLE, 0) == 0:
        not_dumpable = True
    else:
        not_dumpable = False
        problems.append(f"not-dumpable flag: {os.strerror(libc.last_errno())}")
    return limit_zero, not_dumpable, "; ".join(problems) or None


def harden_process(libc_factory: Callable[[], _Libc] = _Libc) -> HardeningResult:
    """Lock all memory (so secrets never reach swap) and disable core dumps.

    Irreversible for this process by design. Never raises for a refusal by the
    kernel: the result says what worked, for the environment report.
    """
    try:
        libc = libc_factory()
    except OSError as err:
        reason = f"the C library could not be loaded ({err})"
        return HardeningResult(False, reason, False, False, reason)
    # Core dumps off first: it is instant, and a crash during the (slower) lock must not dump.
    limit_zero, not_dumpable, dump_error = _disable_core_dumps(libc)
    locked, lock_error = _lock_memory(libc)
    return HardeningResult(locked, lock_error, limit_zero, not_dumpable, dump_error)


def read_process_state(libc_factory: Callable[[], _Libc] = _Libc) -> ProcessState:
    """Read the current core-dump settings without changing anything."""
    soft, _ = resource.getrlimit(resource.RLIMIT_CORE)
    try:
        dumpable: int | None = libc_factory().prctl(PR_GET_DUMPABLE, 0)
    except OSError:
        dumpable = None
    if dumpable is not None and dumpable < 0:
        dumpable = None
    return ProcessState(core_limit=soft, dumpable=dumpable)
