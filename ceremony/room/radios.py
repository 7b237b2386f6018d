"""Radios: every rfkill switch and every Bluetooth adapter, read from ``/sys``.

A radio that is not blocked can reach other machines without any cable, so in
a real ceremony each one must be blocked (``rfkill block all``, or flight mode)
or the adapter removed. A Bluetooth adapter with no rfkill switch of its own
cannot be blocked and counts as unblocked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ceremony.room.checks import Check

__all__ = ["Radio", "radio_check", "radio_check_parts", "read_radios"]

KIND_NAMES: Final = {
    "wlan": "Wi-Fi",
    "bluetooth": "Bluetooth",
    "wwan": "mobile broadband",
    "nfc": "NFC",
    "gps": "GPS",
    "fm": "FM radio",
    "uwb": "ultra-wideband",
    "wimax": "WiMAX",
}


@dataclass(frozen=True)
class Radio:
    name: str  # the rfkill or adapter name, e.g. "phy0", "hci0"
    kind: str  # rfkill type: wlan, bluetooth, wwan, ...
    soft_blocked: bool
    hard_blocked: bool
    switch: str | None  # the rfkill entry, None for an adapter without one

    @property
    def blocked(self) -> bool:
        return self.soft_blocked or self.hard_blocked

    def describe(self) -> str:
        kind = KIND_NAMES.get(self.kind, self.kind or "radio")
        if self.switch is None:
            return f"{self.name} ({kind}, no rfkill switch)"
        return f"{self.name} ({kind})"


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _switch(entry: Path) -> Radio:
    return Radio(
        name=_read(entry / "name") or entry.name,
        kind=_read(entry / "type") or "",
        soft_blocked=_read(entry / "soft") == "1",
        hard_blocked=_read(entry / "hard") == "1",
        switch=entry.name,
    )


def _entries(directory: Path, pattern: str) -> list[Path]:
    return sorted(directory.glob(pattern)) if directory.is_dir() else []


def read_radios(sys_root: Path) -> tuple[Radio, ...]:
    """Every rfkill switch, then every Bluetooth adapter that has no switch listed."""
    rfkill = sys_root / "sys" / "class" / "rfkill"
    radios = [_switch(entry) for entry in _entries(rfkill, "rfkill*")]
    listed = {r.switch for r in radios}
    for adapter in _entries(sys_root / "sys" / "class" / "bluetooth", "hci*"):
        own = [_switch(e) for e in _entries(adapter, "rfkill*")]
        if any(r.switch in listed for r in own):
            continue  # already counted through /sys/class/rfkill
        if own:
            radios += [
                Radio(adapter.name, "bluetooth", r.soft_blocked, r.hard_blocked, r.switch)
                for r in own
            ]
        else:
            radios.append(Radio(adapter.name, "bluetooth", False, False, None))
    return tuple(radios)


def radio_check_parts(radios: Sequence[Radio]) -> tuple[bool, str]:
    """(all blocked, status sentence) for the environment report."""
    if not radios:
        return True, "No radios: no Wi-Fi, Bluetooth or other wireless adapter found"
    open_ = [r for r in radios if not r.blocked]
    if not open_:
        names = ", ".join(r.describe() for r in radios)
        return True, f"Every radio is blocked: {names}"
    names = ", ".join(r.describe() for r in open_)
    verb = "is" if len(open_) == 1 else "are"
    return False, f"Radio not blocked: {names} {verb} on"


def radio_check(radios: Sequence[Radio], rehearsal: bool) -> Check:
    blocked, status = radio_check_parts(radios)
    if blocked:
        return Check("radios", "Radios", "ok", status)
    if rehearsal:
        return Check(
            "radios", "Radios", "warning", f"{status} — allowed for a rehearsal only", True
        )
    return Check(
        "radios",
        "Radios",
        "blocking",
        f"{status} — block every radio with 'rfkill block all' (or flight mode)",
        True,
    )
