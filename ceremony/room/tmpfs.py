"""Where temporary files land: the temporary folder and the CUPS print spool.

A printed share sheet passes through the CUPS spool (``RequestRoot``) and the
print filters' temporary folder (``TempDir``, inside the spool by default);
Python and the libraries write their scratch files to ``TMPDIR``. Deleted files
on a disk can be read back afterwards, so for a real ceremony each of these
must be a tmpfs, which lives in memory only. ``scripts/ceremony-tmpfs.sh``
mounts them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ceremony.room.checks import Check

__all__ = [
    "DEFAULT_REQUEST_ROOT",
    "TMPFS_SCRIPT",
    "TempLocation",
    "cups_request_root",
    "filesystem_of",
    "read_temp_locations",
    "temp_check",
    "temp_check_parts",
    "tmpfs_script",
    "unescape_mount_field",
]

DEFAULT_REQUEST_ROOT: Final = "/var/spool/cups"
TMPFS_SCRIPT: Final = "ceremony-tmpfs.sh"
MEMORY_FILESYSTEMS: Final = frozenset({"tmpfs", "ramfs"})


@dataclass(frozen=True)
class TempLocation:
    role: str  # "TMPDIR" or "print spool"
    path: str
    filesystem: str  # from /proc/mounts; "unknown" when no mount matches

    @property
    def in_memory(self) -> bool:
        return self.filesystem in MEMORY_FILESYSTEMS


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def _directive(text: str, name: str) -> str | None:
    """The last value of a cupsd directive; commented lines do not count."""
    found = None
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0].lower() == name.lower():
            found = words[1]
    return found


def cups_request_root(sys_root: Path) -> str | None:
    """The spool folder CUPS uses, or None when CUPS is not configured on this machine."""
    etc = sys_root / "etc" / "cups"
    if not etc.is_dir():
        return None
    # CUPS 2.x reads RequestRoot from cups-files.conf; older releases from cupsd.conf.
    for name in ("cups-files.conf", "cupsd.conf"):
        value = _directive(_read(etc / name), "RequestRoot")
        if value:
            return value
    return DEFAULT_REQUEST_ROOT


def cups_temp_dir(sys_root: Path, request_root: str) -> str:
    value = _directive(_read(sys_root / "etc" / "cups" / "cups-files.conf"), "TempDir")
    return value or f"{request_root.rstrip('/')}/tmp"  # noqa: S108 - CUPS's own default


def unescape_mount_field(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def filesystem_of(path: str, mounts_text: str) -> str:
    """The filesystem type of the mount that holds ``path`` (the longest matching mount)."""
    best, kind = -1, "unknown"
    target = path.rstrip("/") or "/"
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = unescape_mount_field(fields[1]).rstrip("/") or "/"
        inside = point == "/" or target == point or target.startswith(point + "/")
        if inside and len(point) >= best:  # later mounts over the same point win
            best, kind = len(point), fields[2]
    return kind


def _resolve(path: str, sys_root: Path) -> str:
    # Symlinks are followed only on the real machine; a fake tree is taken as written.
    return os.path.realpath(path) if sys_root == Path("/") else path


def read_temp_locations(sys_root: Path, tmpdir: str | None = None) -> tuple[TempLocation, ...]:
    """The temporary folder and, when CUPS is set up, its spool and filter folder."""
    mounts = _read(sys_root / "proc" / "mounts")
    folder = tmpdir if tmpdir is not None else tempfile.gettempdir()
    wanted = [("TMPDIR", folder)]
    spool = cups_request_root(sys_root)
    if spool is not None:
        wanted.append(("print spool", spool))
        temp = cups_temp_dir(sys_root, spool)
        if not temp.startswith(spool.rstrip("/") + "/"):
            wanted.append(("print filters' temporary folder", temp))
    return tuple(
        TempLocation(role, path, filesystem_of(_resolve(path, sys_root), mounts))
        for role, path in wanted
    )


def tmpfs_script() -> str:
    """Where the memory-only folders script is on this machine, as a full path to type.

    The offline install copies it beside the program (``<install>/bin``); a source checkout
    has it in ``scripts/``.
    """
    installed = Path(sys.prefix) / "bin" / TMPFS_SCRIPT
    checkout = Path(__file__).resolve().parents[2] / "scripts" / TMPFS_SCRIPT
    for place in (installed, checkout):
        if place.is_file():
            return str(place)
    return str(installed)


def temp_check_parts(locations: Sequence[TempLocation]) -> tuple[bool, str]:
    """(all in memory, status sentence) for the environment report."""
    on_disk = [loc for loc in locations if not loc.in_memory]
    if not on_disk:
        places = " and ".join(f"{loc.path} ({loc.role})" for loc in locations)
        return True, f"Temporary files stay in memory: {places} on tmpfs"
    places = "; ".join(f"{loc.path} ({loc.role}) is on {loc.filesystem}" for loc in on_disk)
    return False, (
        f"Temporary files would reach the disk: {places} — run 'sudo sh {tmpfs_script()}' "
        "before the ceremony"
    )


def temp_check(locations: Sequence[TempLocation], rehearsal: bool) -> Check:
    in_memory, status = temp_check_parts(locations)
    if in_memory:
        return Check("temp_files", "Temporary files", "ok", status)
    if rehearsal:
        return Check(
            "temp_files", "Temporary files", "warning", f"{status} (a real ceremony requires it)",
            True,
        )  # fmt: skip
    return Check("temp_files", "Temporary files", "blocking", status, True)
