"""Environment checks: a fake system tree for each branch, real network namespaces too."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ceremony.commands import CommandResult
from ceremony.errors import EnvironmentRefused
from ceremony.room import hardening
from ceremony.room.environment import EnvironmentReport, check_environment, require_air_gap
from ceremony.room.hardening import HardeningResult, ProcessState
from ceremony.room.image import read_image_identity
from ceremony.room.tmpfs import tmpfs_script
from tests.cli import MOUNT_AND_RUN, memory_only_folders

ROOT = Path(__file__).resolve().parent.parent
HARDENED = HardeningResult(True, None, True, True, None)
NOT_LOCKED = HardeningResult(
    False, "the system lets this account lock only 64 KiB", True, True, None
)
SAFE_PROCESS = ProcessState(core_limit=0, dumpable=0)
NOON = datetime(2030, 1, 2, 12, 0, tzinfo=UTC)

# --- a fake system tree ----------------------------------------------------------------


def add_interface(
    root: Path, name: str, *, up: bool, carrier: bool | None, wireless: bool = False
) -> None:
    d = root / "sys" / "class" / "net" / name
    d.mkdir(parents=True)
    loopback = 0x8 if name == "lo" else 0
    (d / "flags").write_text(hex(0x1002 | loopback | (0x1 if up else 0)) + "\n")
    if carrier is not None:
        (d / "carrier").write_text("1\n" if carrier else "0\n")
    (d / "operstate").write_text("up\n" if up and carrier else "down\n")
    if wireless:
        (d / "wireless").mkdir()


class FakeCommands:
    """Answers for `ip` and `lpstat`; a missing key means the program is not installed."""

    def __init__(self, answers: dict[tuple[str, ...], CommandResult]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, ...]] = []

    def __call__(self, argv: Sequence[str]) -> CommandResult | None:
        self.calls.append(tuple(argv))
        return self.answers.get(tuple(argv))


def ip_answer(addresses: dict[str, list[str]]) -> CommandResult:
    links = [
        {"ifname": name, "addr_info": [{"family": "inet", "local": a} for a in addrs]}
        for name, addrs in addresses.items()
    ]
    return CommandResult(0, json.dumps(links), "")


def cups(queues: dict[str, str] | None) -> dict[tuple[str, ...], CommandResult]:
    if queues is None:
        return {
            ("lpstat", "-r"): CommandResult(0, "scheduler is not running\n", ""),
            ("lpstat", "-e"): CommandResult(0, "", ""),
        }
    return {
        ("lpstat", "-r"): CommandResult(0, "scheduler is running\n", ""),
        ("lpstat", "-e"): CommandResult(0, "".join(f"{q}\n" for q in queues), ""),
        ("lpstat", "-v"): CommandResult(
            0, "".join(f"device for {q}: {uri}\n" for q, uri in queues.items()), ""
        ),
    }


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    add_interface(tmp_path, "lo", up=True, carrier=True)
    (tmp_path / "proc").mkdir()
    (tmp_path / "proc" / "swaps").write_text("Filename\tType\tSize\tUsed\tPriority\n")
    (tmp_path / "proc" / "meminfo").write_text("SwapTotal: 0 kB\nSwapFree: 0 kB\n")
    (tmp_path / "dev").mkdir()
    (tmp_path / "etc" / "cups").mkdir(parents=True)
    (tmp_path / "etc" / "cups" / "cupsd.conf").write_text("LogLevel warn\nPreserveJobFiles No\n")
    write_mounts(tmp_path, tmpfs=("/tmp", "/var/spool/cups"))
    return tmp_path


def write_mounts(root: Path, *, tmpfs: Sequence[str]) -> None:
    lines = ["/dev/vda / ext4 rw,relatime 0 0", "proc /proc proc rw 0 0"]
    lines += [
        f"tmpfs {point.replace(' ', chr(92) + '040')} tmpfs rw,nosuid,nodev 0 0" for point in tmpfs
    ]
    (root / "proc" / "mounts").write_text("\n".join(lines) + "\n")


USB = "usb://HP/LaserJet%20P1102?serial=000000000001"


def report_for(
    tree: Path,
    *,
    rehearsal: bool = False,
    addresses: dict[str, list[str]] | None = None,
    queues: dict[str, str] | None = None,
    hardened: HardeningResult | None = HARDENED,
    process: ProcessState = SAFE_PROCESS,
    extra: dict[tuple[str, ...], CommandResult] | None = None,
) -> EnvironmentReport:
    answers: dict[tuple[str, ...], CommandResult] = {
        ("ip", "-j", "addr", "show"): ip_answer(addresses or {})
    }
    answers |= cups({"Office-USB": USB} if queues is None else queues)
    answers |= extra or {}
    return check_environment(
        rehearsal,
        tree,
        hardening=hardened,
        run=FakeCommands(answers),
        process=process,
        tmpdir="/tmp",
        now=lambda: NOON,
    )


# --- network (fake tree) ---------------------------------------------------------------


def test_only_loopback_up_is_air_gapped(tree: Path) -> None:
    add_interface(tree, "eth0", up=False, carrier=None)
    report = report_for(tree)
    assert report.network_state == "air-gapped"
    assert report.air_gapped
    check = report.check("network")
    assert (check.severity, check.status) == (
        "ok",
        "No network: only loopback is up (eth0 switched off)",
    )
    assert require_air_gap(report, rehearsal=False) is None


def test_connected_cable_refuses_a_real_ceremony(tree: Path) -> None:
    add_interface(tree, "eth0", up=True, carrier=True)
    report = report_for(tree, addresses={"eth0": ["192.0.2.4"]})
    check = report.check("network")
    assert report.network_state == "network connected"
    assert check.severity == "blocking"
    assert check.status == "Network connected: eth0 (192.0.2.4) is up — unplug the cable"
    with pytest.raises(EnvironmentRefused, match="eth0") as refused:
        require_air_gap(report, rehearsal=False)
    assert refused.value.message == (
        "A real ceremony cannot start because a network is up: eth0 (192.0.2.4) — unplug "
        "network cables and switch Wi-Fi off (flight mode), then try again."
    )


def test_rehearsal_allows_a_network_and_says_so(tree: Path) -> None:
    add_interface(tree, "eth0", up=True, carrier=True)
    report = report_for(tree, rehearsal=True, addresses={"eth0": ["192.0.2.4"]})
    check = report.check("network")
    assert check.severity == "warning"
    assert check.status.endswith("allowed for a rehearsal only")
    banner = require_air_gap(report, rehearsal=True)
    assert banner is not None and banner.startswith("REHEARSAL") and "eth0" in banner


def test_wifi_switched_on_blocks_even_without_a_network(tree: Path) -> None:
    add_interface(tree, "wlan0", up=True, carrier=False, wireless=True)
    report = report_for(tree)
    check = report.check("network")
    assert report.network_state == "adapter switched on"
    assert not report.air_gapped
    assert (check.severity, check.status) == (
        "blocking",
        "Network adapter on: wlan0 (Wi-Fi) is up — switch Wi-Fi off",
    )


def test_wired_adapter_on_without_cable_refuses_too(tree: Path) -> None:
    add_interface(tree, "eth0", up=True, carrier=False)
    report = report_for(tree)
    assert not report.air_gapped
    assert report.network_state == "adapter switched on"
    check = report.check("network")
    assert (check.severity, check.status) == (
        "blocking",
        "Network adapter on: eth0 is up — switch eth0 off ('ip link set DEV down')",
    )
    with pytest.raises(EnvironmentRefused, match="a network is up: eth0"):
        require_air_gap(report, rehearsal=False)


def test_several_interfaces_are_named_together(tree: Path) -> None:
    add_interface(tree, "eth0", up=True, carrier=True)
    add_interface(tree, "wlan0", up=True, carrier=True, wireless=True)
    report = report_for(tree, addresses={"eth0": ["192.0.2.4"], "wlan0": ["192.0.2.5"]})
    assert report.check("network").status == (
        "Network connected: eth0 (192.0.2.4); wlan0 (Wi-Fi, 192.0.2.5) are up"
        " — unplug the cable and switch Wi-Fi off"
    )


def test_addresses_without_iproute2_come_from_proc(tree: Path) -> None:
    add_interface(tree, "eth0", up=True, carrier=True)
    (tree / "proc" / "net").mkdir()
    (tree / "proc" / "net" / "if_inet6").write_text(
        "20010db8000000000000000000000004 02 40 00 80     eth0\n"
    )
    runner = FakeCommands(cups({"PDF": "cups-pdf:/"}))  # no `ip` at all
    report = check_environment(False, tree, hardening=HARDENED, run=runner, process=SAFE_PROCESS)
    assert report.interfaces[0].addresses == ("2001:db8::4",)
    assert ("ip", "-j", "addr", "show") in runner.calls


# --- swap, memory lock, core dumps -----------------------------------------------------


def write_swaps(tree: Path, *devices: tuple[str, int, int]) -> None:
    lines = ["Filename\tType\tSize\tUsed\tPriority"]
    lines += [f"{path}\tpartition\t{size}\t{used}\t-2" for path, size, used in devices]
    (tree / "proc" / "swaps").write_text("\n".join(lines) + "\n")
    total = sum(size for _, size, _ in devices)
    free = total - sum(used for _, _, used in devices)
    (tree / "proc" / "meminfo").write_text(f"SwapTotal: {total} kB\nSwapFree: {free} kB\n")


def test_no_swap_is_ok(tree: Path) -> None:
    check = report_for(tree).check("swap")
    assert (check.severity, check.status) == ("ok", "No swap: memory is never written to disk")


def test_disk_swap_without_memory_lock_is_a_warning(tree: Path) -> None:
    write_swaps(tree, ("/dev/sda3", 2 * 1024 * 1024, 10240))
    report = report_for(tree, hardened=NOT_LOCKED)
    assert report.swap_used_kib == 10240
    check = report.check("swap")
    assert check.severity == "warning"
    assert check.status == (
        "Swap is on (/dev/sda3 (2.0 GiB), 10 MiB in use): secrets could be written to disk"
        " — switch it off with 'swapoff -a'"
    )


def test_disk_swap_with_locked_memory_is_ok(tree: Path) -> None:
    write_swaps(tree, ("/swapfile", 1024 * 1024, 0))
    check = report_for(tree).check("swap")
    assert check.severity == "ok"
    assert "memory is locked" in check.status


def test_zram_swap_is_ok(tree: Path) -> None:
    write_swaps(tree, ("/dev/zram0", 4096, 0))
    check = report_for(tree, hardened=NOT_LOCKED).check("swap")
    assert check.severity == "ok" and "zram" in check.status


def test_memory_lock_states(tree: Path) -> None:
    assert report_for(tree).check("memory_lock").status == "Memory locked: secrets stay in RAM"
    assert report_for(tree, hardened=None).check("memory_lock").status == (
        "Memory lock was not attempted"
    )
    failed = report_for(tree, hardened=NOT_LOCKED).check("memory_lock")
    assert failed.severity == "warning" and "64 KiB" in failed.status


def test_core_dump_states(tree: Path) -> None:
    assert report_for(tree).check("core_dumps").severity == "ok"
    open_process = ProcessState(core_limit=resource.RLIM_INFINITY, dumpable=1)
    check = report_for(tree, process=open_process, hardened=None).check("core_dumps")
    assert check.severity == "warning"
    assert check.status == (
        "Core dumps are possible: the core size limit is not 0 and the process still allows "
        "copies of its memory"
    )


# --- printers and cameras --------------------------------------------------------------


def test_printer_states(tree: Path) -> None:
    ready = report_for(tree).check("printers")
    assert (ready.severity, ready.status) == ("ok", "Printer ready: Office-USB")
    assert report_for(tree).printers == ("Office-USB",)

    stopped = report_for(tree, extra=cups(None)).check("printers")
    assert stopped.status == "The print service is not running — start CUPS or save the PDFs"

    network = report_for(tree, queues={"Office": "ipp://192.0.2.9/ipp/print"}).check("printers")
    assert network.severity == "warning" and "Office print over the network" in network.status

    for uri in ("ipp://localhost:60000/ipp/print", "ipp://127.0.0.1:60001/ipp/print",
                "ipp://[::1]:60002/ipp/print"):  # fmt: skip
        usb = report_for(tree, queues={"Laser": uri}).check("printers")  # IPP over USB (ipp-usb)
        assert (usb.severity, usb.status) == ("ok", "Printer ready: Laser"), uri
    lookalike = report_for(tree, queues={"X": "ipp://localhost.example.org/ipp/print"})
    assert "X print over the network" in lookalike.check("printers").status

    empty = report_for(tree, queues={}).check("printers")
    assert empty.status == (
        "No printer is set up — plug in a USB printer and run 'ceremony printers --set-up'"
    )
    (tree / "etc").mkdir(exist_ok=True)  # on the live image, nobody types a command
    (tree / "etc" / "ceremony-image").write_text("commit=0123456789abcdef0123\n")
    assert report_for(tree, queues={}).check("printers").status == (
        "No printer is set up — plug in a USB printer and switch it on: it is set up within a "
        "minute, then check this computer again"
    )


@pytest.mark.parametrize("uri", ["cups-pdf:/", "file:///tmp/out.pdf", "/dev/null"])
def test_a_file_backed_queue_is_not_a_printer(tree: Path, uri: str) -> None:
    """cups-pdf and the like write the sheet to disk: a stop in a real ceremony."""
    real = report_for(tree, queues={"PDF": uri}).check("printers")
    assert real.severity == "blocking"
    assert real.status.startswith("No paper printer; PDF saves to disk: not a printer — ")
    assert "Printer ready" not in real.status and "'lpadmin -x PDF'" in real.status
    rehearsal = report_for(tree, rehearsal=True, queues={"PDF": uri}).check("printers")
    assert rehearsal.severity == "warning" and rehearsal.status == real.status


def test_a_file_backed_queue_beside_a_printer_is_named_apart(tree: Path) -> None:
    check = report_for(tree, queues={"Office-USB": USB, "PDF": "cups-pdf:/"}).check("printers")
    assert check.severity == "blocking"
    assert check.status.startswith("Printer ready: Office-USB; PDF saves to disk: not a printer")


@pytest.mark.parametrize("setting", [None, "PreserveJobFiles Yes", "PreserveJobFiles 86400"])
def test_a_spool_that_keeps_printed_sheets_is_a_warning(tree: Path, setting: str | None) -> None:
    conf = tree / "etc" / "cups" / "cupsd.conf"
    conf.write_text("LogLevel warn\n" + (f"{setting}\n" if setting else ""))
    check = report_for(tree).check("printers")
    assert check.severity == "warning" and "PreserveJobFiles No" in check.status


def test_missing_cups_is_tolerated(tree: Path) -> None:
    runner = FakeCommands({})
    report = check_environment(True, tree, hardening=HARDENED, run=runner, process=SAFE_PROCESS)
    assert report.printers == ()
    assert "CUPS" in report.check("printers").status


def test_cameras_from_dev_and_from_the_app(tree: Path) -> None:
    none = report_for(tree).check("cameras")
    assert none.status == "No camera: shares and codes will be typed in"
    (tree / "dev" / "video0").touch()
    v4l = tree / "sys" / "class" / "video4linux" / "video0"
    v4l.mkdir(parents=True)
    (v4l / "name").write_text("Integrated Camera\n")
    report = check_environment(
        False,
        tree,
        hardening=HARDENED,
        run=FakeCommands(cups({})),
        process=SAFE_PROCESS,
        extra_cameras=["USB Document Camera"],
    )
    assert report.cameras == ("Integrated Camera (video0)", "USB Document Camera")


# --- the ceremony image ----------------------------------------------------------------


def test_image_identity_from_the_build_and_the_boot_measurement(tree: Path) -> None:
    assert report_for(tree).check("image").status.startswith("Not the ceremony live image")
    (tree / "etc").mkdir(exist_ok=True)
    (tree / "etc" / "ceremony-image").write_text(
        "name=Custodian Ceremony live image\ncommit=0123456789abcdef0123\n"
    )
    unmeasured = report_for(tree).check("image")
    assert (unmeasured.severity, "0123456789ab" in unmeasured.status) == ("warning", True)
    assert "could not be measured" in unmeasured.status
    digest = "ab" * 32
    (tree / "run").mkdir(exist_ok=True)
    (tree / "run" / "ceremony-image").write_text(
        f"commit=0123456789abcdef0123\niso_device=/dev/sr0\niso_sha256={digest}\n"
    )
    live = [  # /proc/mounts of the image booted with toram: the medium copied to RAM
        "/dev/loop0 /run/live/rootfs/filesystem.squashfs squashfs ro,noatime 0 0",
        "tmpfs /run/live/overlay tmpfs rw,noatime,mode=755 0 0",
        "overlay / overlay rw,noatime,lowerdir=/run/live/rootfs/filesystem.squashfs/ 0 0",
        "tmpfs /run/live/medium tmpfs ro,noatime 0 0",
        "tmpfs /tmp tmpfs rw,nosuid,nodev 0 0",
    ]
    (tree / "proc" / "mounts").write_text("\n".join(live) + "\n")
    fields, measured = read_image_identity(tree)
    assert fields["iso_device"] == "/dev/sr0"
    assert measured.severity == "ok"
    words = "PHONE POLE RAZOR TUNNEL PHONE POLE RAZOR"  # the first 70 bits of 0xabab...
    assert measured.status == (f"Ceremony live image, commit 0123456789ab, ISO SHA-256 {digest}, "
                               f"words {words} — compare it with the published one; the "
                               "system runs read-only from memory, no disk mounted")  # fmt: skip
    assert ("System image", measured.status, "ok") in report_for(tree).as_record_rows()

    (tree / "etc" / "ceremony-image").write_text(  # a build that records its lock's date
        "commit=0123456789abcdef0123\nlock_date=2026-12-02\n"
        "security_fixes_missing_at_lock=1 (zlib1g)\n"
    )
    dated = read_image_identity(tree)[1].status
    assert dated.endswith(f"words {words} — compare it with the published one; Debian packages "
                          "as of 2026-12-02, 1 security fix missing then (zlib1g); the system "
                          "runs read-only from memory, no disk mounted")  # fmt: skip

    medium = [*live, "/dev/sr0 /run/live/medium iso9660 ro,noatime 0 0"]  # booted without toram
    (tree / "proc" / "mounts").write_text("\n".join(medium) + "\n")
    check = read_image_identity(tree)[1]
    assert check.severity == "ok"
    assert check.status.endswith("; the system runs read-only; the boot medium is mounted "
                                 "read-only, no other disk")  # fmt: skip

    disk = [*live, "/dev/nvme0n1p2 /media/my\\040disk ext4 rw,relatime 0 0"]
    (tree / "proc" / "mounts").write_text("\n".join(disk) + "\n")
    check = read_image_identity(tree)[1]
    assert check.severity == "warning"
    assert check.status.endswith("; a disk is mounted writable: /dev/nvme0n1p2 on /media/my "
                                 "disk — nothing of the ceremony may reach a disk; unmount it "
                                 "('umount /media/my disk')")  # fmt: skip


# --- the report ------------------------------------------------------------------------


def test_record_rows_and_frozen_report(tree: Path) -> None:
    add_interface(tree, "eth0", up=False, carrier=None)
    report = report_for(tree)
    rows = report.as_record_rows()
    assert rows[:2] == [
        ("Mode", "Real ceremony", "ok"),
        ("Checked at", "2030-01-02 12:00:00 UTC", "ok"),
    ]
    assert [r[0] for r in rows[2:]] == [
        "Network",
        "Radios",
        "Swap",
        "Memory lock",
        "Core dumps",
        "Temporary files",
        "Printers",
        "Camera",
        "Installation",
        "System image",
    ]
    assert report.worst == "warning"  # this test tree was not installed from a wheelhouse
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.rehearsal = True  # type: ignore[misc]


# --- hardening -------------------------------------------------------------------------


class FakeLibc:
    def __init__(self, mlock_errnos: list[int]) -> None:
        self.mlock_errnos = mlock_errnos
        self.flags: list[int] = []
        self.errno = 0

    def mlockall(self, flags: int) -> int:
        self.flags.append(flags)
        self.errno = self.mlock_errnos.pop(0) if self.mlock_errnos else 0
        return -1 if self.errno else 0

    def last_errno(self) -> int:
        return self.errno


def test_memory_lock_falls_back_without_onfault() -> None:
    import errno

    libc = FakeLibc([errno.EINVAL])
    assert hardening._lock_memory(libc) == (True, None)  # type: ignore[arg-type]
    assert libc.flags == [1 | 2 | 4, 1 | 2]

    refused = FakeLibc([errno.EPERM])
    locked, reason = hardening._lock_memory(refused)  # type: ignore[arg-type]
    assert not locked and reason is not None and "memlock" in reason
    assert refused.flags == [1 | 2 | 4]


PROBE = """
import json, resource
from ceremony.room.environment import check_environment
from ceremony.room.hardening import harden_process, read_process_state
before = read_process_state()
result = harden_process() if {harden} else None
report = check_environment(False, hardening=result)
vmlck = [l for l in open("/proc/self/status") if l.startswith("VmLck")][0].split()[1]
print(json.dumps({{
    "before": [before.core_limit, before.dumpable],
    "result": None if result is None else [result.memory_locked, result.memory_lock_error,
                                           result.core_dumps_disabled],
    "memory_lock": report.check("memory_lock").status,
    "core_dumps": report.check("core_dumps").severity,
    "vmlck_kib": int(vmlck),
}}))
"""


def run_probe(harden: bool, **popen: Any) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(harden=harden)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=60,
        **popen,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_importing_changes_nothing() -> None:
    probe = run_probe(harden=False)
    assert probe["vmlck_kib"] == 0
    assert probe["memory_lock"] == "Memory lock was not attempted"
    assert probe["result"] is None


@pytest.mark.skipif(os.geteuid() != 0, reason="locking all memory needs root (CAP_IPC_LOCK)")
def test_harden_process_as_root_locks_memory_and_stops_core_dumps() -> None:
    probe = run_probe(harden=True)
    assert probe["result"] == [True, None, True]
    assert probe["memory_lock"] == "Memory locked: secrets stay in RAM"
    assert probe["core_dumps"] == "ok"
    assert probe["vmlck_kib"] > 0


def _without_lock_privilege() -> None:
    # Root keeps its uid but loses CAP_IPC_LOCK, so the memlock limit of 0 applies.
    import ctypes

    pr_capbset_drop, cap_ipc_lock = 24, 14
    if ctypes.CDLL(None).prctl(pr_capbset_drop, cap_ipc_lock, 0, 0, 0) != 0:
        raise OSError("could not drop CAP_IPC_LOCK")
    resource.setrlimit(resource.RLIMIT_MEMLOCK, (0, 0))


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to drop the memory-lock privilege")
def test_harden_process_without_privileges_reports_instead_of_crashing() -> None:
    probe = run_probe(harden=True, preexec_fn=_without_lock_privilege)
    locked, reason, dumps_off = probe["result"]
    assert locked is False
    assert reason == (
        "the system lets this account lock no memory "
        "(run as an administrator or raise the memlock limit)"
    )
    assert dumps_off is True
    assert probe["memory_lock"] == f"Memory could not be locked: {reason}"
    assert probe["vmlck_kib"] == 0


# --- real network namespaces -----------------------------------------------------------

_names = itertools.count()

NETNS_PROBE = """
# Run with tmpfs over TMPDIR and the print spool, as a prepared ceremony laptop has.
import json
from ceremony.room.environment import check_environment, require_air_gap
from ceremony.errors import EnvironmentRefused
real = check_environment(False)
try:
    require_air_gap(real, rehearsal=False)
    refused = None
except EnvironmentRefused as err:
    refused = err.message
rehearsal = check_environment(True)
print(json.dumps({
    "state": real.network_state,
    "interfaces": [i.name for i in real.interfaces],
    "check": [real.check("network").severity, real.check("network").status],
    "refused": refused,
    "banner": require_air_gap(rehearsal, rehearsal=True),
    "rehearsal_severity": rehearsal.check("network").severity,
}))
"""


def _netns_unavailable() -> str | None:
    if os.geteuid() != 0:
        return "network namespaces: needs root"
    if shutil.which("ip") is None:
        return "iproute2 (ip) is not installed"
    return None


@pytest.fixture
def netns() -> Iterator[str]:
    reason = _netns_unavailable()
    if reason:
        pytest.skip(reason)
    name = f"ceremony-test-{os.getpid()}-{next(_names)}"
    made = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"ip netns is not available here: {made.stderr.strip()}")
    try:
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def in_netns(name: str, *argv: str) -> None:
    subprocess.run(["ip", "netns", "exec", name, *argv], check=True, capture_output=True)


def probe_netns(name: str) -> dict[str, Any]:
    # `ip netns exec` gives each run its own mount namespace: the tmpfs mounts stay in it.
    env, scratch = memory_only_folders(dict(os.environ))
    try:
        done = subprocess.run(
            [
                "ip",
                "netns",
                "exec",
                name,
                "sh",
                "-c",
                MOUNT_AND_RUN,
                "sh",
                sys.executable,
                "-c",
                NETNS_PROBE,
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            timeout=60,
            env=env,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.netns
def test_namespace_with_only_loopback_is_air_gapped(netns: str) -> None:
    in_netns(netns, "ip", "link", "set", "lo", "up")
    probe = probe_netns(netns)
    assert probe["state"] == "air-gapped"
    assert probe["interfaces"] == []
    assert probe["check"] == ["ok", "No network: only loopback is up"]
    assert probe["refused"] is None and probe["banner"] is None


@pytest.mark.netns
def test_namespace_with_a_veth_pair_up_refuses_a_real_ceremony(netns: str) -> None:
    in_netns(netns, "ip", "link", "set", "lo", "up")
    in_netns(netns, "ip", "link", "add", "cer0", "type", "veth", "peer", "name", "cer1")
    in_netns(netns, "ip", "addr", "add", "192.0.2.4/24", "dev", "cer0")
    in_netns(netns, "ip", "link", "set", "cer0", "up")
    in_netns(netns, "ip", "link", "set", "cer1", "up")
    probe = probe_netns(netns)
    assert probe["state"] == "network connected"
    assert probe["interfaces"] == ["cer0", "cer1"]
    severity, status = probe["check"]
    assert severity == "blocking"
    assert status.startswith("Network connected: cer0 (192.0.2.4")
    assert status.endswith("are up — unplug the cable")
    assert probe["refused"].startswith("A real ceremony cannot start because a network is up: cer0")
    assert probe["refused"].endswith("switch Wi-Fi off (flight mode), then try again.")
    assert probe["rehearsal_severity"] == "warning"
    assert probe["banner"].startswith("REHEARSAL")


@pytest.mark.netns
def test_namespace_with_a_veth_whose_peer_is_down_refuses_too(netns: str) -> None:
    in_netns(netns, "ip", "link", "add", "cer0", "type", "veth", "peer", "name", "cer1")
    in_netns(netns, "ip", "addr", "add", "192.0.2.4/24", "dev", "cer0")
    in_netns(netns, "ip", "link", "set", "cer0", "up")
    probe = probe_netns(netns)
    assert probe["state"] == "adapter switched on"
    assert probe["check"][0] == "blocking"
    assert probe["refused"].startswith("A real ceremony cannot start because a network is up: cer0")


# --- radios: rfkill and Bluetooth (fake /sys) ---------------------------------------------


def add_rfkill(
    parent: Path, entry: str, kind: str, name: str, *, soft: bool, hard: bool = False
) -> None:
    d = parent / entry
    d.mkdir(parents=True)
    for key, value in (
        ("type", kind),
        ("name", name),
        ("soft", str(int(soft))),
        ("hard", str(int(hard))),
    ):
        (d / key).write_text(value + "\n")


def rfkill_dir(tree: Path) -> Path:
    return tree / "sys" / "class" / "rfkill"


def test_no_radio_is_ok(tree: Path) -> None:
    check = report_for(tree).check("radios")
    assert (check.severity, check.status) == (
        "ok",
        "No radios: no Wi-Fi, Bluetooth or other wireless adapter found",
    )


def test_every_radio_blocked_is_ok(tree: Path) -> None:
    add_rfkill(rfkill_dir(tree), "rfkill0", "wlan", "phy0", soft=True)
    add_rfkill(rfkill_dir(tree), "rfkill1", "bluetooth", "hci0", soft=False, hard=True)
    report = report_for(tree)
    check = report.check("radios")
    assert (check.severity, check.status) == (
        "ok",
        "Every radio is blocked: phy0 (Wi-Fi), hci0 (Bluetooth)",
    )
    assert require_air_gap(report, rehearsal=False) is None


def test_an_unblocked_radio_refuses_a_real_ceremony(tree: Path) -> None:
    add_rfkill(rfkill_dir(tree), "rfkill0", "wlan", "phy0", soft=True)
    add_rfkill(rfkill_dir(tree), "rfkill1", "wwan", "mobile0", soft=False)
    report = report_for(tree)
    check = report.check("radios")
    assert check.severity == "blocking"
    assert check.status == (
        "Radio not blocked: mobile0 (mobile broadband) is on — block every radio with "
        "'rfkill block all' (or flight mode)"
    )
    with pytest.raises(EnvironmentRefused) as refused:
        require_air_gap(report, rehearsal=False)
    assert refused.value.message == (
        "A real ceremony cannot start because a radio is not blocked: mobile0 (mobile "
        "broadband) — block every radio with 'rfkill block all', then try again."
    )
    rehearsal = report_for(tree, rehearsal=True)
    assert rehearsal.check("radios").severity == "warning"
    banner = require_air_gap(rehearsal, rehearsal=True)
    assert banner is not None and banner.startswith("REHEARSAL — a radio is not blocked")


def test_bluetooth_adapters_are_checked_with_their_own_switch(tree: Path) -> None:
    bluetooth = tree / "sys" / "class" / "bluetooth"
    # hci0's switch is also listed in /sys/class/rfkill (as on a real machine): counted once.
    add_rfkill(bluetooth / "hci0", "rfkill3", "bluetooth", "hci0", soft=True)
    add_rfkill(rfkill_dir(tree), "rfkill3", "bluetooth", "hci0", soft=True)
    # hci1 has a switch only under the adapter, and it is on.
    add_rfkill(bluetooth / "hci1", "rfkill7", "bluetooth", "hci1", soft=False)
    # hci2 has no switch at all: it cannot be blocked.
    (bluetooth / "hci2").mkdir(parents=True)
    report = report_for(tree)
    assert [(r.name, r.blocked) for r in report.radios] == [
        ("hci0", True),
        ("hci1", False),
        ("hci2", False),
    ]
    assert report.check("radios").status.startswith(
        "Radio not blocked: hci1 (Bluetooth), hci2 (Bluetooth, no rfkill switch) are on"
    )


def test_the_real_machine_lists_every_radio_it_has() -> None:
    report = check_environment(True, process=SAFE_PROCESS)
    switches = sorted(p.name for p in Path("/sys/class/rfkill").glob("rfkill*"))
    adapters = sorted(p.name for p in Path("/sys/class/bluetooth").glob("hci*"))
    assert sorted(r.switch for r in report.radios if r.switch in switches) == switches
    for adapter in adapters:
        assert any(r.name == adapter or r.kind == "bluetooth" for r in report.radios)
    # Read from /sys here, not from the report: which radios are on, and so what it must say.
    unblocked = [
        s
        for s in switches
        if Path(f"/sys/class/rfkill/{s}/soft").read_text().strip() != "1"
        and Path(f"/sys/class/rfkill/{s}/hard").read_text().strip() != "1"
    ]
    no_switch = [a for a in adapters if not any(Path(f"/sys/class/bluetooth/{a}").glob("rfkill*"))]
    on = bool(unblocked or no_switch)
    assert report.check("radios").severity == ("warning" if on else "ok")
    real = check_environment(False, process=SAFE_PROCESS)
    assert real.check("radios").severity == ("blocking" if on else "ok")
    assert len(real.unblocked_radios) == len(unblocked) + len(no_switch)
    if not switches and not adapters:
        assert report.check("radios").status.startswith("No radios")


# --- temporary files and the print spool (fake /proc/mounts) ----------------------------


def test_temporary_files_in_memory_are_ok(tree: Path) -> None:
    check = report_for(tree).check("temp_files")
    assert (check.severity, check.status) == (
        "ok",
        "Temporary files stay in memory: /tmp (TMPDIR) and /var/spool/cups (print spool) on tmpfs",
    )


def test_a_spool_on_disk_refuses_a_real_ceremony_and_names_the_script(tree: Path) -> None:
    write_mounts(tree, tmpfs=("/tmp",))
    report = report_for(tree)
    check = report.check("temp_files")
    assert check.severity == "blocking" and check.blocks_real
    script = Path(tmpfs_script())  # where it is: the operator is told the full path
    assert script.is_absolute() and script.is_file() and script.name == "ceremony-tmpfs.sh"
    assert check.status == (
        "Temporary files would reach the disk: /var/spool/cups (print spool) is on ext4 — "
        f"run 'sudo sh {script}' before the ceremony"
    )
    with pytest.raises(EnvironmentRefused, match="/var/spool/cups — mount memory-only folders"):
        require_air_gap(report, rehearsal=False)
    assert report_for(tree, rehearsal=True).check("temp_files").severity == "warning"


def test_request_root_and_temp_dir_come_from_the_cups_configuration(tree: Path) -> None:
    (tree / "etc" / "cups" / "cups-files.conf").write_text(
        "#RequestRoot /var/spool/cups\nRequestRoot /srv/spool\nTempDir /scratch/cups\n"
    )
    write_mounts(tree, tmpfs=("/tmp", "/srv/spool"))
    report = report_for(tree)
    assert [(t.role, t.path, t.filesystem) for t in report.temp_locations] == [
        ("TMPDIR", "/tmp", "tmpfs"),
        ("print spool", "/srv/spool", "tmpfs"),
        ("print filters' temporary folder", "/scratch/cups", "ext4"),
    ]
    assert report.check("temp_files").severity == "blocking"


def test_tmpdir_is_matched_to_the_longest_mount_and_escapes_are_read(tree: Path) -> None:
    write_mounts(tree, tmpfs=("/var/spool/cups", "/home/ann/my tmp"))
    answers = {("ip", "-j", "addr", "show"): ip_answer({})} | cups({"PDF": "cups-pdf:/"})
    report = check_environment(
        False,
        tree,
        hardening=HARDENED,
        run=FakeCommands(answers),
        process=SAFE_PROCESS,
        tmpdir="/home/ann/my tmp/x",
    )
    assert report.check("temp_files").severity == "ok"
    elsewhere = check_environment(
        False,
        tree,
        hardening=HARDENED,
        run=FakeCommands(answers),
        process=SAFE_PROCESS,
        tmpdir="/home/ann/my tmpx",
    )
    assert elsewhere.temp_on_disk[0].filesystem == "ext4"


def test_without_cups_only_tmpdir_is_checked(tree: Path) -> None:
    shutil.rmtree(tree / "etc" / "cups")
    report = report_for(tree)
    assert [t.role for t in report.temp_locations] == ["TMPDIR"]


# --- piped core handlers ------------------------------------------------------------------


def set_core_pattern(tree: Path, pattern: str) -> None:
    kernel = tree / "proc" / "sys" / "kernel"
    kernel.mkdir(parents=True, exist_ok=True)
    (kernel / "core_pattern").write_text(pattern + "\n")


def test_a_piped_core_handler_is_named(tree: Path) -> None:
    set_core_pattern(tree, "|/usr/share/apport/apport -p%p -s%s -c%c -d%d -P%P -u%u -g%g -- %E")
    hardened = report_for(tree)
    assert hardened.core_handler == "apport"
    assert hardened.check("core_dumps").status == (
        "Core dumps off: a crash cannot write memory to disk; crashes on this machine go to "
        "apport, which gets nothing from a process that forbids memory copies"
    )
    limit_only = ProcessState(core_limit=0, dumpable=1)
    check = report_for(tree, process=limit_only, hardened=None).check("core_dumps")
    assert check.severity == "warning"
    assert check.status == (
        "Core dumps are possible: the process still allows copies of its memory and crashes go "
        "to apport, "
        "which ignores the core size limit"
    )


def test_a_plain_core_pattern_names_no_handler(tree: Path) -> None:
    set_core_pattern(tree, "core")
    assert report_for(tree).core_handler is None
    set_core_pattern(tree, "|/lib/systemd/systemd-coredump %P %u %g %s %t 9223372036854775808 %h")
    assert report_for(tree).core_handler == "systemd-coredump"


# --- scripts/ceremony-tmpfs.sh ---------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting tmpfs needs root")
def test_the_tmpfs_script_makes_the_check_pass(tmp_path: Path) -> None:
    # In a private mount namespace, so the machine's own /tmp and spool are untouched.
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    probe = (
        "import json; from ceremony.room.environment import check_environment; "
        "r = check_environment(False); c = r.check('temp_files'); "
        "print(json.dumps([c.severity, c.status, [t.filesystem for t in r.temp_locations]]))"
    )
    folder = tmp_path / "scratch"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(folder)}
    script = f"sh {ROOT / 'scripts' / 'ceremony-tmpfs.sh'} --no-restart && "
    done = subprocess.run(
        [
            "unshare",
            "--mount",
            "sh",
            "-c",
            f'{script} exec "$@"',
            "sh",
            sys.executable,
            "-c",
            probe,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"ceremony-tmpfs: mounted a memory-only folder (tmpfs) on {folder}" in lines
    severity, status, filesystems = json.loads(lines[-1])
    assert severity == "ok", status
    assert set(filesystems) == {"tmpfs"}
    assert list(folder.iterdir()) == []  # outside the namespace nothing was mounted or written


# --- where this copy came from -----------------------------------------------------------


def test_the_record_names_the_wheelhouse_it_was_installed_from(tree: Path) -> None:
    prefix = tree / "venv"
    prefix.mkdir()
    answers = {("ip", "-j", "addr", "show"): ip_answer({})} | cups({"PDF": "cups-pdf:/"})

    def install_row() -> tuple[str, str, str]:
        report = check_environment(
            False,
            tree,
            hardening=HARDENED,
            run=FakeCommands(answers),
            process=SAFE_PROCESS,
            tmpdir="/tmp",
            install_prefix=prefix,
        )
        return next(row for row in report.as_record_rows() if row[0] == "Installation")

    assert install_row()[0] == "Installation" and install_row()[2] == "warning"
    digest = "ab" * 32
    (prefix / "wheelhouse.sha256").write_text(digest + "\n")
    assert install_row() == (
        "Installation",
        f"Installed from the wheelhouse whose SHA256SUMS has SHA-256 {digest} — compare it "
        "with the value written on paper",
        "ok",
    )
    (prefix / "wheelhouse.sha256").write_text("not a digest\n")
    assert install_row()[2] == "warning"
