"""Is this machine fit for a ceremony? Network, radios, swap, memory lock, core dumps,
temporary files, printers, cameras.

``check_environment`` only reads: ``/sys/class/net``, ``/sys/class/rfkill``,
``/sys/class/bluetooth``, ``/proc/swaps``, ``/proc/meminfo``, ``/proc/mounts``,
``/proc/sys/kernel/core_pattern``, the CUPS configuration, ``/dev/video*``,
``ip -j addr`` and ``lpstat``. Hardening
(memory lock, no core dumps) is a separate explicit call,
``ceremony.room.hardening.harden_process``, whose result the report shows. All
paths and commands are injectable so tests can use a fake system tree.

Policy for a real ceremony: any interface other than loopback that is switched
on refuses it, with or without a cable (a cable can be plugged in at any
moment), and so does any radio that is not blocked (Wi-Fi, Bluetooth, mobile)
and a temporary folder or print spool on disk. A rehearsal allows all of these
and says so.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import socket
import struct
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from ceremony.errors import EnvironmentRefused
from ceremony.printers.cups import parse_device_uris, saves_to_disk
from ceremony.room.hardening import HardeningResult, ProcessState, read_process_state
from ceremony.room.radios import Radio, radio_check_parts, read_radios
from ceremony.room.tmpfs import (
    TMPFS_SCRIPT,
    TempLocation,
    read_temp_locations,
    temp_check_parts,
    unescape_mount_field,
)

__all__ = [
    "Check",
    "CommandResult",
    "EnvironmentReport",
    "NetworkInterface",
    "Radio",
    "SwapDevice",
    "TempLocation",
    "check_environment",
    "queue_uris",
    "read_image_identity",
    "require_air_gap",
]

Severity = Literal["ok", "warning", "blocking"]
NetworkState = Literal["air-gapped", "network connected", "adapter switched on"]

IFF_UP = 0x1
IFF_LOOPBACK = 0x8
SIOCGIFADDR = 0x8915
COMMAND_TIMEOUT_S = 5.0
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str
    stderr: str


Runner = Callable[[Sequence[str]], CommandResult | None]
"""Runs a command; returns None when the program is not installed."""


def run_command(argv: Sequence[str], timeout: float = COMMAND_TIMEOUT_S) -> CommandResult | None:
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={"LC_ALL": "C", "PATH": SYSTEM_PATH},
        )
    except (FileNotFoundError, PermissionError):
        return None
    except subprocess.TimeoutExpired:
        return CommandResult(124, "", f"{argv[0]} did not answer")
    return CommandResult(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Check:
    """One line of the report: a plain-words status a custodian can act on."""

    key: str
    title: str
    severity: Severity
    status: str


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


# --- network -------------------------------------------------------------------------


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:  # e.g. EINVAL reading carrier of a switched-off interface
        return None


def read_interfaces(
    sys_root: Path, addresses: Mapping[str, tuple[str, ...]]
) -> tuple[NetworkInterface, ...]:
    """Every network interface except loopback, in name order."""
    net = sys_root / "sys" / "class" / "net"
    found: list[NetworkInterface] = []
    for entry in sorted(net.iterdir()) if net.is_dir() else []:
        flags = int(_read(entry / "flags") or "0", 16)
        if flags & IFF_LOOPBACK or entry.name == "lo":
            continue
        carrier = _read(entry / "carrier")
        found.append(
            NetworkInterface(
                name=entry.name,
                admin_up=bool(flags & IFF_UP),
                carrier=None if carrier is None else carrier == "1",
                operstate=_read(entry / "operstate") or "unknown",
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
    for line in (_read(sys_root / "proc" / "net" / "if_inet6") or "").splitlines():
        fields = line.split()
        if len(fields) == 6:
            raw = bytes.fromhex(fields[0])
            found.setdefault(fields[5], []).append(socket.inet_ntop(socket.AF_INET6, raw))
    return {name: tuple(addrs) for name, addrs in found.items()}


def _network_check(interfaces: Sequence[NetworkInterface], rehearsal: bool) -> Check:
    risky = [i for i in interfaces if i.risky]
    if risky:
        names = "; ".join(i.describe() for i in risky)
        verb = "is" if len(risky) == 1 else "are"
        radio = any(i.wireless for i in risky)
        cabled = any(not i.wireless and i.connected for i in risky)
        idle = [i.name for i in risky if not i.wireless and not i.connected]
        action = " and ".join(
            (["unplug the cable"] if cabled else [])
            + ([f"switch {', '.join(idle)} off ('ip link set DEV down')"] if idle else [])
            + (["switch Wi-Fi off"] if radio else [])
        )
        lead = "Network connected" if any(i.connected for i in risky) else "Network adapter on"
        if rehearsal:
            return Check(
                "network",
                "Network",
                "warning",
                f"{lead}: {names} {verb} up — allowed for a rehearsal only",
            )
        return Check("network", "Network", "blocking", f"{lead}: {names} {verb} up — {action}")
    down = ", ".join(i.name for i in interfaces)
    suffix = f" ({down} switched off)" if down else ""
    return Check("network", "Network", "ok", f"No network: only loopback is up{suffix}")


def _radio_check(radios: Sequence[Radio], rehearsal: bool) -> Check:
    blocked, status = radio_check_parts(radios)
    if blocked:
        return Check("radios", "Radios", "ok", status)
    if rehearsal:
        return Check("radios", "Radios", "warning", f"{status} — allowed for a rehearsal only")
    return Check(
        "radios",
        "Radios",
        "blocking",
        f"{status} — block every radio with 'rfkill block all' (or flight mode)",
    )


def _temp_check(locations: Sequence[TempLocation], rehearsal: bool) -> Check:
    in_memory, status = temp_check_parts(locations)
    if in_memory:
        return Check("temp_files", "Temporary files", "ok", status)
    if rehearsal:
        return Check(
            "temp_files", "Temporary files", "warning", f"{status} (a real ceremony requires it)"
        )
    return Check("temp_files", "Temporary files", "blocking", status)


# --- swap, memory lock, core dumps ---------------------------------------------------


def _is_count(text: str) -> bool:
    return text.isascii() and text.isdigit()  # str.isdigit alone accepts "¹"


def read_swap(sys_root: Path) -> tuple[tuple[SwapDevice, ...], int]:
    devices: list[SwapDevice] = []
    for line in (_read(sys_root / "proc" / "swaps") or "").splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 4 and _is_count(fields[2]) and _is_count(fields[3]):
            devices.append(SwapDevice(fields[0], fields[1], int(fields[2]), int(fields[3])))
    meminfo: dict[str, int] = {}
    for line in (_read(sys_root / "proc" / "meminfo") or "").splitlines():
        name, _, rest = line.partition(":")
        value = rest.split()
        if value and _is_count(value[0]):
            meminfo[name] = int(value[0])
    used = meminfo.get("SwapTotal", 0) - meminfo.get("SwapFree", 0)
    return tuple(devices), max(used, sum(d.used_kib for d in devices))


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB" if kib < 1024 * 1024 else f"{kib / 1024 / 1024:.1f} GiB"


def _swap_check(
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


def _memory_lock_check(hardening: HardeningResult | None) -> Check:
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
    pattern = _read(sys_root / "proc" / "sys" / "kernel" / "core_pattern") or ""
    if not pattern.startswith("|"):
        return None
    program = pattern[1:].split()
    return Path(program[0]).name if program else "a crash handler"


def _core_dump_check(
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


# --- printers and cameras ------------------------------------------------------------


def spool_keeps_documents(sys_root: Path) -> bool:
    """Whether CUPS keeps a copy of every printed document (share sheets too) in its spool.

    CUPS keeps job files for a day unless cupsd.conf says ``PreserveJobFiles No``.
    """
    conf = _read(sys_root / "etc" / "cups" / "cupsd.conf") or ""
    for line in reversed(conf.splitlines()):
        words = line.split()
        if len(words) >= 2 and words[0].lower() == "preservejobfiles":
            return words[1].lower() not in {"no", "off", "false"}
    return True


def read_printers(
    run: Runner, sys_root: Path = Path("/"), rehearsal: bool = False, live_image: bool = False
) -> tuple[tuple[str, ...], Check]:
    """The print queues, and whether share sheets would reach paper.

    A file-backed queue (cups-pdf and the like) writes the sheet to disk: it is
    named as "saves to disk: not a printer", which stops a real ceremony's
    printing and is a warning in a rehearsal.
    """
    scheduler = run(["lpstat", "-r"])
    if scheduler is None:
        return (), Check(
            "printers",
            "Printers",
            "warning",
            "Printing is not available: the print service (CUPS) is not installed "
            "— save the PDFs and print them elsewhere offline",
        )
    result = run(["lpstat", "-e"])
    if "not running" in scheduler.stdout + scheduler.stderr or result is None:
        return (), Check(
            "printers",
            "Printers",
            "warning",
            "The print service is not running — start CUPS or save the PDFs",
        )
    names = tuple(line.strip() for line in result.stdout.splitlines() if line.strip())
    if not names:
        what_to_do = ("plug in a USB printer and switch it on: it is set up within a minute, "
                      "then check this computer again") if live_image else (
                      "plug in a USB printer and run 'ceremony printers --set-up'")  # fmt: skip
        return (), Check("printers", "Printers", "warning", f"No printer is set up — {what_to_do}")
    uris = queue_uris(run)
    to_disk = [n for n in names if saves_to_disk(uris.get(n, ""))]
    paper = [n for n in names if n not in to_disk]
    network = [n for n in paper if _over_network(uris.get(n, ""))]
    severity: Severity = "ok"
    parts = [f"Printer{'s' if len(paper) > 1 else ''} ready: {', '.join(paper)}" if paper
             else "No paper printer"]  # fmt: skip
    if to_disk:
        severity = "warning" if rehearsal else "blocking"
        parts += [f"{name} saves to disk: not a printer" for name in to_disk]
        which = f"'lpadmin -x {to_disk[0]}'" if len(to_disk) == 1 else "'lpadmin -x NAME'"
        parts[-1] += f" — share sheets must go to paper; use a USB printer and remove {which}"
    if network:
        severity = severity if severity == "blocking" else "warning"
        parts.append(f"{', '.join(network)} print over the network and will not work without "
                     "one — use a USB printer")  # fmt: skip
    if spool_keeps_documents(sys_root):
        severity = severity if severity == "blocking" else "warning"
        parts.append("but the print service keeps a copy of every printed sheet on disk — set "
                     "'PreserveJobFiles No' in /etc/cups/cupsd.conf and restart CUPS")  # fmt: skip
    return names, Check("printers", "Printers", severity, "; ".join(parts))


_NETWORK_SCHEMES = ("ipp:", "ipps:", "http:", "https:", "socket:", "lpd:", "dnssd:", "smb:")


def _over_network(uri: str) -> bool:
    """A network queue; IPP to this machine's loopback is a USB printer (ipp-usb)."""
    if not uri.startswith(_NETWORK_SCHEMES):
        return False
    host = urlsplit(uri).hostname or ""
    return not (host == "localhost" or host == "::1" or host.startswith("127."))


def queue_uris(run: Runner) -> dict[str, str]:
    """Each queue's device URI, as ``lpstat -v`` says it (``cups-pdf:/``, ``usb://…``)."""
    result = run(["lpstat", "-v"])
    if result is None or result.returncode != 0:
        return {}
    return parse_device_uris(result.stdout)


def read_cameras(sys_root: Path, extra: Sequence[str] = ()) -> tuple[tuple[str, ...], Check]:
    found: list[str] = []
    for node in sorted((sys_root / "dev").glob("video*")):
        label = _read(sys_root / "sys" / "class" / "video4linux" / node.name / "name")
        found.append(f"{label} ({node.name})" if label else node.name)
    found += [name for name in extra if name not in found]
    if not found:
        return (), Check("cameras", "Camera", "ok", "No camera: shares and codes will be typed in")
    return tuple(found), Check(
        "cameras", "Camera", "ok", f"Camera available for QR codes: {', '.join(found)}"
    )


# --- where this copy came from --------------------------------------------------------

INSTALL_STAMP = "wheelhouse.sha256"  # written by offline-install.sh into the environment


def _install_check(prefix: Path) -> Check:
    stamp = _read(prefix / INSTALL_STAMP) or ""
    if len(stamp) == 64 and all(c in "0123456789abcdef" for c in stamp):
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


# --- the ceremony image ------------------------------------------------------------


def read_image_identity(sys_root: Path) -> tuple[dict[str, str], Check]:
    """Which build of the ceremony live image this machine booted, if any.

    The image writes ``/etc/ceremony-image`` at build time (commit) and, at boot,
    ``/run/ceremony-image`` with the SHA-256 it measured of its own boot medium.
    """
    fields: dict[str, str] = {}
    for name in ("etc/ceremony-image", "run/ceremony-image"):
        for line in (_read(sys_root / name) or "").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                fields[key.strip()] = value.strip()
    commit = fields.get("commit")
    if not commit:
        return fields, Check(
            "image",
            "System image",
            "ok",
            "Not the ceremony live image: this computer runs its own system",
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
    if len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
        return fields, Check("image", "System image", severity,
                             f"Ceremony live image, commit {commit[:12]}, ISO SHA-256 {digest} "
                             f"— compare it with the published one; {system}")  # fmt: skip
    return fields, Check(
        "image",
        "System image",
        "warning",
        f"Ceremony live image, commit {commit[:12]}, but its ISO SHA-256 could "
        f"not be measured — check the stick on another computer; {system}",
    )


_DISK_PREFIXES = ("/dev/sd", "/dev/hd", "/dev/vd", "/dev/nvme", "/dev/mmcblk", "/dev/sr",
                  "/dev/mapper/", "/dev/md", "/dev/loop")  # fmt: skip


def _mounted_disks(sys_root: Path) -> list[tuple[str, str, bool]]:
    """``(device, mount point, read-only)`` of every block device mounted, per /proc/mounts.

    The live image's own squashfs (a loop device, read-only) counts as read-only.
    """
    found: list[tuple[str, str, bool]] = []
    for line in (_read(sys_root / "proc" / "mounts") or "").splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0].startswith(_DISK_PREFIXES):
            read_only = "ro" in fields[3].split(",")
            if not (read_only and fields[2] == "squashfs"):  # the system itself
                found.append((fields[0], unescape_mount_field(fields[1]), read_only))
    return found


# --- the whole report ----------------------------------------------------------------


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
        _network_check(interfaces, rehearsal),
        _radio_check(radios, rehearsal),
        _swap_check(swap, swap_used, hardening),
        _memory_lock_check(hardening),
        _core_dump_check(state, hardening, handler),
        _temp_check(temp, rehearsal),
        printer_check,
        camera_check,
        _install_check(Path(sys.prefix) if install_prefix is None else install_prefix),
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
                f"mount memory-only folders with 'sudo sh {TMPFS_SCRIPT}'",
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
