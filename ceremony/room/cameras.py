"""Cameras: the video devices the kernel lists, for reading QR codes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ceremony.room.checks import Check, read_value

__all__ = ["read_cameras"]


def read_cameras(sys_root: Path, extra: Sequence[str] = ()) -> tuple[tuple[str, ...], Check]:
    """``/dev/video*`` with their names, plus ``extra``: what Qt sees (the core has no Qt)."""
    found: list[str] = []
    for node in sorted((sys_root / "dev").glob("video*")):
        label = read_value(sys_root / "sys" / "class" / "video4linux" / node.name / "name")
        found.append(f"{label} ({node.name})" if label else node.name)
    found += [name for name in extra if name not in found]
    if not found:
        return (), Check("cameras", "Camera", "ok", "No camera: shares and codes will be typed in")
    return tuple(found), Check(
        "cameras", "Camera", "ok", f"Camera available for QR codes: {', '.join(found)}"
    )
