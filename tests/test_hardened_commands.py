"""Every command that touches a secret hardens itself and gates on the room, as a process.

Observed three ways: the process reports its own core limit, dumpable flag and
locked memory as it exits; /proc/<pid> is read from outside while the command
waits for shares; and a command killed with SIGABRT while it waits leaves no
core file where an unhardened Python does. The air-gap refusal is tested in a
real network namespace with an interface up.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from tests.cli import MOUNT_AND_RUN, REPO, air_gapped, memory_only_folders
from tests.sharesets import make_set

COMPONENT, SHARES = make_set(2, 3, seed=21)
STDIN = "\n".join(SHARES[:2]) + "\n"

# Runs the real CLI entry point; at exit, the process says how it is hardened.
REPORTING_MAIN = """
import atexit, ctypes, json, resource, sys
def report():
    dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    vmlck = next(l for l in open("/proc/self/status") if l.startswith("VmLck")).split()[1]
    print("HARDENING " + json.dumps({"core": list(resource.getrlimit(resource.RLIMIT_CORE)),
          "dumpable": dumpable, "vmlck_kib": int(vmlck)}), file=sys.stderr)
atexit.register(report)
from ceremony.cli import main
sys.exit(main(sys.argv[1:]))
"""

# (command line, stdin, what a successful run prints); {tmp} is a fresh folder.
COMMANDS: dict[str, tuple[list[str], str]] = {
    "split": (
        [
            "split",
            "--generate",
            "--threshold",
            "2",
            "--custodians",
            "Ann,Ben",
            "--shares-out",
            "{tmp}/shares.txt",
        ],
        "",
    ),
    "combine": (["combine"], STDIN),
    "inspect-share": (["inspect-share"], SHARES[0] + "\n"),
    "reshare": (
        [
            "reshare",
            "--threshold",
            "2",
            "--custodians",
            "Ann,Ben,Cat",
            "--shares-out",
            "{tmp}/new.txt",
        ],
        STDIN,
    ),
    # A request that is not one: the command must harden and pass the gate before reading it.
    "authorize": (["authorize", "--request", "not-a-request", "--review-only"], STDIN),
    "genesis": (
        [
            "genesis",
            "--custodians",
            "Ann,Ben",
            "--threshold",
            "2",
            "--request",
            "not-a-request",
            "--out",
            "{tmp}/out",
        ],
        "",
    ),
    "rehearse": (
        ["rehearse", "--out", "{tmp}/rehearsal", "--custodians", "Ann,Ben", "--threshold", "2"],
        "",
    ),
    "drill": (
        [
            "drill",
            "--request",
            "not-a-request",
            "--out",
            "{tmp}/d.ctb",
            "--witness",
            "W",
            "--no-bags",
        ],
        STDIN,
    ),
}
READS_THE_REQUEST = {"authorize", "genesis", "drill"}


def _argv(name: str, tmp: Path, *extra: str) -> tuple[list[str], str]:
    args, stdin = COMMANDS[name]
    return [a.replace("{tmp}", str(tmp)) for a in args] + list(extra), stdin


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _hardening(stderr: str) -> dict[str, Any]:
    line = next(x for x in stderr.splitlines() if x.startswith("HARDENING "))
    result: dict[str, Any] = json.loads(line.removeprefix("HARDENING "))
    return result


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_reports_itself_hardened_and_runs_air_gapped(
    name: str, tmp_path: Path
) -> None:
    args, stdin = _argv(name, tmp_path)
    argv, env, scratch = air_gapped([sys.executable, "-c", REPORTING_MAIN, *args], _env())
    try:
        done = subprocess.run(
            argv, input=stdin, capture_output=True, text=True, env=env, cwd=REPO, timeout=300
        )
    finally:
        os.rmdir(scratch)
    state = _hardening(done.stderr)
    assert state["core"] == [0, 0]
    assert state["dumpable"] == 0
    if os.geteuid() == 0:
        assert state["vmlck_kib"] > 0
    if name in READS_THE_REQUEST:
        # Past the hardening and the gate, stopped by the request: the one sentence says so.
        assert done.returncode == 2
        assert "request" in done.stderr.lower() and "cannot start" not in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        assert "REHEARSAL" not in done.stdout or name == "rehearse"


# --- refused on a networked machine, in a real network namespace -------------------------


@pytest.fixture
def networked_ns() -> Iterator[str]:
    """A network namespace with a veth pair up and an address: a connected network."""
    if os.geteuid() != 0:
        pytest.skip("network namespaces: needs root")
    name = f"ceremony-cmd-{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"ip netns is not available here: {made.stderr.strip()}")
    try:
        for cmd in (
            ["ip", "link", "add", "cer0", "type", "veth", "peer", "name", "cer1"],
            ["ip", "addr", "add", "192.0.2.4/24", "dev", "cer0"],
            ["ip", "link", "set", "cer0", "up"],
            ["ip", "link", "set", "cer1", "up"],
        ):
            subprocess.run(["ip", "netns", "exec", name, *cmd], check=True, capture_output=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def _in_ns(ns: str, args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    # tmpfs over TMPDIR and the spool, so the network is the only thing wrong with the room.
    env, scratch = memory_only_folders(_env())
    try:
        return subprocess.run(
            [
                "ip",
                "netns",
                "exec",
                ns,
                "sh",
                "-c",
                MOUNT_AND_RUN,
                "sh",
                sys.executable,
                "-m",
                "ceremony",
                *args,
            ],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=300,
        )
    finally:
        os.rmdir(scratch)


@pytest.mark.netns
@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"rehearse"}))
def test_a_real_ceremony_is_refused_on_a_network_and_a_rehearsal_is_marked(
    name: str, networked_ns: str, tmp_path: Path
) -> None:
    args, stdin = _argv(name, tmp_path)
    refused = _in_ns(networked_ns, args, stdin)
    assert refused.returncode == 2
    assert refused.stdout == ""
    message = refused.stderr.strip()
    assert message.startswith(
        "ceremony: A real ceremony cannot start because a network is up: cer0 (192.0.2.4"
    )
    assert message.count("\n") == 0 and message.endswith("then try again.")
    assert not any(tmp_path.iterdir()), "nothing may be written before the gate"

    allowed = _in_ns(networked_ns, [*args, "--rehearsal"], stdin)
    assert allowed.stderr.startswith("REHEARSAL — a network is up: cer0")
    if name in READS_THE_REQUEST:
        assert allowed.returncode == 2 and "request" in allowed.stderr.lower()
    else:
        assert allowed.returncode == 0, allowed.stderr
        assert allowed.stdout.startswith("REHEARSAL — not a real ceremony")


@pytest.mark.netns
def test_rehearse_runs_on_a_network_and_its_record_says_so(
    networked_ns: str, tmp_path: Path
) -> None:
    args, _ = _argv("rehearse", tmp_path)
    done = _in_ns(networked_ns, args, "")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("REHEARSAL — NOT A REAL KEY")
    doc = pdfium.PdfDocument(str(tmp_path / "rehearsal" / "ceremony-record.pdf"))
    record = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)
    # The record lists every check, as the hardened process saw the room.
    for title in (
        "Network",
        "Radios",
        "Swap",
        "Memory lock",
        "Core dumps",
        "Temporary files",
        "Printers",
        "Installation",
    ):
        assert title in record
    assert "Network connected: cer0" in record
    assert "Memory locked" in record or os.geteuid() != 0
    assert "Core dumps off" in record


# --- observed from outside while the command waits for the shares ----------------------


def _waiting_combine(tmp_path: Path, **popen: Any) -> subprocess.Popen[str]:
    argv, env, scratch = air_gapped([sys.executable, "-m", "ceremony", "combine"], _env())
    shutil.rmtree(scratch)  # the tmpfs is mounted over the name inside the namespace only
    os.mkdir(scratch)
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
        **popen,
    )
    assert proc.stdin is not None
    proc.stdin.write(SHARES[0] + "\n")  # one share in, still reading: a secret is in memory
    proc.stdin.flush()
    return proc


def _wait_for_python(pid: int) -> None:
    # `unshare` and `sh` exec into Python: the pid stays, the command line changes.
    for _ in range(600):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        locked = next(
            (
                x
                for x in Path(f"/proc/{pid}/status").read_text().splitlines()
                if x.startswith("VmLck")
            ),
            "VmLck: 0 kB",
        )
        if b"ceremony" in cmdline and b"-m" in cmdline and int(locked.split()[1]) > 0:
            return
        if os.geteuid() != 0 and b"ceremony" in cmdline:
            time.sleep(2)  # without root there is no lock to wait for
            return
        time.sleep(0.05)
    raise AssertionError("the command never started")


def test_while_waiting_for_shares_proc_shows_no_core_limit_and_locked_memory(
    tmp_path: Path,
) -> None:
    proc = _waiting_combine(tmp_path)
    try:
        _wait_for_python(proc.pid)
        limits = Path(f"/proc/{proc.pid}/limits").read_text()
        core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
        assert core.split()[4:6] == ["0", "0"]
        status = Path(f"/proc/{proc.pid}/status").read_text()
        vmlck = int(next(x for x in status.splitlines() if x.startswith("VmLck")).split()[1])
        if os.geteuid() == 0:
            assert vmlck > 0
    finally:
        proc.kill()
        proc.communicate()


def _raise_core_limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def _core_pattern() -> str:
    return Path("/proc/sys/kernel/core_pattern").read_text().strip()


@pytest.mark.skipif(
    _core_pattern() not in ("core", "core.%p"),
    reason="this kernel writes core files elsewhere (core_pattern is not a plain 'core')",
)
def test_a_crash_while_waiting_for_shares_leaves_no_core_file(tmp_path: Path) -> None:
    # The control: the same Python, not hardened, does leave one under the same limits.
    control = tmp_path / "control"
    control.mkdir()
    subprocess.run(
        [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), 6)"],
        cwd=control,
        preexec_fn=_raise_core_limit,
        check=False,
    )
    assert list(control.glob("core*")), "the control run should have dumped core"

    hardened = tmp_path / "hardened"
    hardened.mkdir()
    proc = _waiting_combine(hardened, preexec_fn=_raise_core_limit)
    try:
        _wait_for_python(proc.pid)
        os.kill(proc.pid, signal.SIGABRT)
        proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGABRT
    assert list(hardened.iterdir()) == []
