"""Where this copy came from: the checked wheelhouse it was installed from, and the live image.

The image writes ``/etc/ceremony-image`` at build time (commit) and, at boot,
``/run/ceremony-image`` with the SHA-256 it measured of its own boot medium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from ceremony.room.checks import Check, Severity, read_value
from ceremony.room.image_identity import measured_text, packages_text
from ceremony.room.tmpfs import unescape_mount_field

__all__ = ["INSTALL_STAMP", "install_check", "read_image_identity"]

INSTALL_STAMP: Final = "wheelhouse.sha256"  # written by offline-install.sh into the environment
_DISK_PREFIXES: Final = ("/dev/sd", "/dev/hd", "/dev/vd", "/dev/nvme", "/dev/mmcblk", "/dev/sr",
                         "/dev/mapper/", "/dev/md", "/dev/loop")  # fmt: skip


def _is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def install_check(prefix: Path) -> Check:
    stamp = read_value(prefix / INSTALL_STAMP) or ""
    if _is_sha256(stamp):
        return Check(
            "install",
            "Installation",
            "ok",
            f"Installed from the wheelhouse whose SHA256SUMS has SHA-256 {stamp} — "
            "compare it with the value written on paper",
        )
    return Check(
        "install",
        "Installation",
        "warning",
        "Not installed from a checked wheelhouse (scripts/offline-install.sh): "
        "nothing ties this copy to the value written on paper",
    )


def read_image_identity(sys_root: Path) -> tuple[dict[str, str], Check]:
    """Which build of the ceremony live image this machine booted, if any."""
    fields: dict[str, str] = {}
    for name in ("etc/ceremony-image", "run/ceremony-image"):
        for line in (read_value(sys_root / name) or "").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                fields[key.strip()] = value.strip()
    commit = fields.get("commit")
    if not commit:
        return fields, Check(
            "image",
            "System image",
            "warning",  # not a fault, but no "✓ OK" either: the live image is the safer system
            "Not the ceremony live image: this computer runs its own system — allowed; the "
            "live image is the safer choice for a real ceremony",
        )
    digest = fields.get("iso_sha256", "")
    mounted = _mounted_disks(sys_root)
    writable = [d for d in mounted if not d[2]]
    if writable:
        disks = ", ".join(f"{device} on {point}" for device, point, _ in writable)
        system = (f"a disk is mounted writable: {disks} — nothing of the ceremony may reach a "
                  f"disk; unmount it ('umount {writable[0][1]}')")  # fmt: skip
    elif mounted:
        system = "the system runs read-only; the boot medium is mounted read-only, no other disk"
    else:
        system = "the system runs read-only from memory, no disk mounted"
    severity: Severity = "warning" if writable else "ok"
    packages = packages_text(fields)
    if packages:
        system = f"{packages}; {system}"
    if _is_sha256(digest):
        return fields, Check("image", "System image", severity,
                             f"Ceremony live image, commit {commit[:12]}, {measured_text(digest)} "
                             f"— compare it with the published one; {system}")  # fmt: skip
    return fields, Check(
        "image",
        "System image",
        "warning",
        f"Ceremony live image, commit {commit[:12]}, but its ISO SHA-256 could "
        f"not be measured — check the stick on another computer; {system}",
    )


def _mounted_disks(sys_root: Path) -> list[tuple[str, str, bool]]:
    """``(device, mount point, read-only)`` of every block device mounted, per /proc/mounts.

    The live image's own squashfs (a loop device, read-only) counts as read-only.
    """
    found: list[tuple[str, str, bool]] = []
    for line in (read_value(sys_root / "proc" / "mounts") or "").splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0].startswith(_DISK_PREFIXES):
            read_only = "ro" in fields[3].split(",")
            if not (read_only and fields[2] == "squashfs"):  # the system itself
                found.append((fields[0], unescape_mount_field(fields[1]), read_only))
    return found
