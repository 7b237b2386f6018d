"""Network interfaces: every one but loopback, whether it is switched on, and its addresses.

A real ceremony refuses any interface that is switched on, with or without a
cable: a cable can be plugged in at any moment. A rehearsal allows it and says so.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import socket
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ceremony.commands import Runner
from ceremony.room.checks import Check, read_value

__all__ = ["NetworkInterface", "network_check", "read_addresses", "read_interfaces"]

IFF_UP: Final = 0x1
IFF_LOOPBACK: Final = 0x8
SIOCGIFADDR: Final = 0x8915


@dataclass(frozen=True)
class NetworkInterface:
    name: str
    admin_up: bool
    carrier: bool | None  # None when the kernel does not say (interface switched off)
    operstate: str
    wireless: bool
    addresses: tuple[str, ...] = ()

    @property
    def connected(self) -> bool:
        return self.admin_up and (self.carrier is True or self.operstate == "up")

    @property
    def risky(self) -> bool:
        """Switched on: connected now, or able to connect the moment a cable or network appears."""
        return self.admin_up

    def describe(self) -> str:
        parts = (["Wi-Fi"] if self.wireless else []) + list(self.addresses)
        return f"{self.name} ({', '.join(parts)})" if parts else self.name


def read_interfaces(
    sys_root: Path, addresses: Mapping[str, tuple[str, ...]]
) -> tuple[NetworkInterface, ...]:
    """Every network interface except loopback, in name order."""
    net = sys_root / "sys" / "class" / "net"
    found: list[NetworkInterface] = []
    for entry in sorted(net.iterdir()) if net.is_dir() else []:
        flags = int(read_value(entry / "flags") or "0", 16)
        if flags & IFF_LOOPBACK or entry.name == "lo":
            continue
        carrier = read_value(entry / "carrier")
        found.append(
            NetworkInterface(
                name=entry.name,
                admin_up=bool(flags & IFF_UP),
                carrier=None if carrier is None else carrier == "1",
                operstate=read_value(entry / "operstate") or "unknown",
                wireless=(entry / "wireless").exists() or (entry / "phy80211").exists(),
                addresses=addresses.get(entry.name, ()),
            )
        )
    return tuple(found)


def read_addresses(sys_root: Path, run: Runner) -> dict[str, tuple[str, ...]]:
    """Addresses per interface from ``ip -j addr``; without iproute2, from the kernel directly."""
    result = run(["ip", "-j", "addr", "show"])
    if result is not None and result.returncode == 0:
        with contextlib.suppress(ValueError):
            return _parse_ip_json(json.loads(result.stdout))
    return _addresses_without_ip(sys_root)


def _parse_ip_json(links: object) -> dict[str, tuple[str, ...]]:
    """``ip -j addr`` output; anything not shaped like it is a ValueError."""
    if not isinstance(links, list):
        raise ValueError("not a list of links")
    found: dict[str, tuple[str, ...]] = {}
    for link in links:
        name = link.get("ifname") if isinstance(link, dict) else None
        infos = link.get("addr_info", []) if isinstance(link, dict) else None
        if not isinstance(name, str) or not isinstance(infos, list):
            raise ValueError("not a link")
        found[name] = tuple(
            a["local"] for a in infos if isinstance(a, dict) and isinstance(a.get("local"), str)
        )
    return found


def _addresses_without_ip(sys_root: Path) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    net = sys_root / "sys" / "class" / "net"
    if sys_root == Path("/") and net.is_dir():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for entry in net.iterdir():
                request = struct.pack("256s", entry.name.encode()[:15])
                with contextlib.suppress(OSError):  # no IPv4 address
                    answer = fcntl.ioctl(sock.fileno(), SIOCGIFADDR, request)
                    found.setdefault(entry.name, []).append(socket.inet_ntoa(answer[20:24]))
    for line in (read_value(sys_root / "proc" / "net" / "if_inet6") or "").splitlines():
        fields = line.split()
        if len(fields) == 6:
            raw = bytes.fromhex(fields[0])
            found.setdefault(fields[5], []).append(socket.inet_ntop(socket.AF_INET6, raw))
    return {name: tuple(addrs) for name, addrs in found.items()}


def network_check(interfaces: Sequence[NetworkInterface], rehearsal: bool) -> Check:
    risky = [i for i in interfaces if i.risky]
    if not risky:
        down = ", ".join(i.name for i in interfaces)
        suffix = f" ({down} switched off)" if down else ""
        return Check("network", "Network", "ok", f"No network: only loopback is up{suffix}")
    names = "; ".join(i.describe() for i in risky)
    verb = "is" if len(risky) == 1 else "are"
    lead = "Network connected" if any(i.connected for i in risky) else "Network adapter on"
    if rehearsal:
        return Check(
            "network",
            "Network",
            "warning",
            f"{lead}: {names} {verb} up — allowed for a rehearsal only",
            blocks_real=True,
        )
    return Check(
        "network", "Network", "blocking", f"{lead}: {names} {verb} up — {_action(risky)}", True
    )


def _action(risky: Sequence[NetworkInterface]) -> str:
    cabled = any(not i.wireless and i.connected for i in risky)
    idle = [i.name for i in risky if not i.wireless and not i.connected]
    return " and ".join(
        (["unplug the cable"] if cabled else [])
        + ([f"switch {', '.join(idle)} off ('ip link set DEV down')"] if idle else [])
        + (["switch Wi-Fi off"] if any(i.wireless for i in risky) else [])
    )
