"""The air-gapped install: build the wheelhouse, install from it alone, run the installed tool.

The wheelhouse is cached between runs (``CEREMONY_WHEELHOUSE_CACHE``, default
``~/.cache/custodian-ceremony/wheelhouse``); with a warm cache nothing is downloaded.
As root the install and the run happen in a fresh network namespace with only
loopback, so the network is really gone; otherwise PIP_NO_INDEX and pip's
isolated mode keep every package index out.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(
    os.environ.get(
        "CEREMONY_WHEELHOUSE_CACHE",
        Path.home() / ".cache" / "custodian-ceremony" / "wheelhouse",
    )
)

pytestmark = pytest.mark.slow
QT_SMOKE = "from PySide6.QtWidgets import QApplication; app = QApplication([]); print('qt')"


def base_python() -> str:
    """The interpreter the project venv was made from (the venv's own would nest venvs)."""
    return str(getattr(sys, "_base_executable", sys.executable))


def offline(argv: list[str]) -> list[str]:
    """Run ``argv`` with no network at all when we can make a namespace for it."""
    if os.geteuid() == 0 and shutil.which("unshare"):
        probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
        if probe.returncode == 0:
            return ["unshare", "--net", *argv]
    return argv


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env |= {"PIP_NO_INDEX": "1", "PIP_CONFIG_FILE": os.devnull, "QT_QPA_PLATFORM": "offscreen"}
    return env | extra


@pytest.fixture(scope="module")
def wheelhouse() -> Path:
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "wheelhouse.sh"), str(CACHE)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
        env=os.environ | {"PY": sys.executable},
    )
    return CACHE


def install(wheelhouse: Path, venv: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        offline(["bash", str(wheelhouse / "offline-install.sh"), str(venv)]),
        capture_output=True,
        text=True,
        timeout=600,
        env=clean_env(WHEELHOUSE=str(wheelhouse), PYTHON=base_python()),
    )


def test_wheelhouse_holds_exactly_the_locked_wheels(wheelhouse: Path) -> None:
    lock = (ROOT / "requirements" / "runtime.lock").read_text()
    pinned = {
        line.split("--hash=sha256:")[1].strip()
        for line in lock.splitlines()
        if "--hash=sha256:" in line
    }
    wheels = sorted(wheelhouse.glob("*.whl"))
    project = [w for w in wheels if w.name.startswith("custodian_ceremony-")]
    others = {hashlib.sha256(w.read_bytes()).hexdigest() for w in wheels if w not in project}
    assert len(project) == 1
    assert others == pinned
    listed = (wheelhouse / "SHA256SUMS").read_text().split()
    assert {w.name for w in wheels} <= set(listed[1::2])


@pytest.fixture(scope="module")
def installed(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("offline") / "venv"
    done = install(wheelhouse, venv)
    assert done.returncode == 0, done.stderr
    return venv


def test_install_from_the_wheelhouse_alone_then_run(installed: Path) -> None:
    helped = subprocess.run(
        offline([str(installed / "bin" / "ceremony"), "--help"]),
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(),
    )
    assert helped.returncode == 0, helped.stderr
    assert "usage: ceremony" in helped.stdout

    qt = subprocess.run(
        offline([str(installed / "bin" / "python"), "-c", QT_SMOKE]),
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(),
    )
    assert qt.stdout.strip() == "qt", qt.stderr


def test_installed_tool_runs_a_rehearsal(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "rehearsal"
    rehearsed = subprocess.run(
        offline([str(installed / "bin" / "ceremony"), "rehearse", "--out", str(out)]),
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env(),
        cwd=tmp_path,
    )
    assert rehearsed.returncode == 0, rehearsed.stderr[-2000:]
    assert any(out.rglob("*.pdf"))


def _copy_with_one_wheel_altered(wheelhouse: Path, target: Path) -> Path:
    """A wheelhouse of symlinks except one small wheel, copied and changed by one byte."""
    target.mkdir()
    for item in wheelhouse.iterdir():
        (target / item.name).symlink_to(item)
    victim = next(w for w in sorted(wheelhouse.glob("qrcode-*.whl")))
    (target / victim.name).unlink()
    data = bytearray(victim.read_bytes())
    data[-1] ^= 0x01
    (target / victim.name).write_bytes(bytes(data))
    return target / victim.name


def test_a_tampered_wheel_is_refused_by_the_checksums(wheelhouse: Path, tmp_path: Path) -> None:
    altered = _copy_with_one_wheel_altered(wheelhouse, tmp_path / "wh")
    done = install(tmp_path / "wh", tmp_path / "venv")
    assert done.returncode != 0
    assert altered.name in done.stdout + done.stderr
    assert not (tmp_path / "venv").exists()


def test_a_tampered_wheel_is_refused_by_pip_even_with_new_checksums(
    wheelhouse: Path, tmp_path: Path
) -> None:
    altered = _copy_with_one_wheel_altered(wheelhouse, tmp_path / "wh")
    sums = tmp_path / "wh" / "SHA256SUMS"
    sums.unlink()
    subprocess.run(
        "sha256sum -- *.whl runtime.lock offline-install.sh > SHA256SUMS",
        shell=True,
        check=True,
        cwd=tmp_path / "wh",
    )
    done = install(tmp_path / "wh", tmp_path / "venv")
    assert done.returncode != 0
    assert "DO NOT MATCH THE HASHES" in done.stderr
    assert altered.name.split("-")[0] in done.stderr
    assert not (tmp_path / "venv" / "bin" / "ceremony").exists()


def test_the_installed_copy_names_its_wheelhouse_for_the_record(
    installed: Path, wheelhouse: Path
) -> None:
    digest = hashlib.sha256((wheelhouse / "SHA256SUMS").read_bytes()).hexdigest()
    assert (installed / "wheelhouse.sha256").read_text().strip() == digest
    assert (installed / "bin" / "ceremony-tmpfs.sh").is_file()
    probe = (
        "from ceremony.room.environment import check_environment; "
        "print(check_environment(True).check('install').status)"
    )
    row = subprocess.run(
        offline([str(installed / "bin" / "python"), "-c", probe]),
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(),
    )
    assert row.stdout.strip() == (
        f"Installed from the wheelhouse whose SHA256SUMS has SHA-256 {digest} — compare it "
        "with the value written on paper"
    ), row.stderr


def _pinned(lock: str, name: str) -> str:
    line = next(x for x in lock.splitlines() if x.startswith(f"{name}=="))
    return line.split("==")[1].split()[0]


def test_two_wheelhouse_runs_give_byte_identical_sha256sums(
    wheelhouse: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    again.mkdir()
    for wheel in wheelhouse.glob("*.whl"):  # the downloads, reused: only the build is redone
        if not wheel.name.startswith("custodian_ceremony-"):
            shutil.copyfile(wheel, again / wheel.name)
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "wheelhouse.sh"), str(again)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=os.environ | {"PY": sys.executable},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    first = (wheelhouse / "SHA256SUMS").read_bytes()
    assert (again / "SHA256SUMS").read_bytes() == first
    digest = hashlib.sha256(first).hexdigest()
    assert f"SHA-256 of SHA256SUMS: {digest}" in done.stdout.splitlines()
    assert b"custodian_ceremony-" in first and b"ceremony-tmpfs.sh" in first

    # Built by the backend pinned in requirements/build.lock, not whatever was installed.
    project = next(again.glob("custodian_ceremony-*.whl"))
    with zipfile.ZipFile(project) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/WHEEL"))
        generator = archive.read(meta).decode()
        stamps = {info.date_time for info in archive.infolist()}
    lock = (ROOT / "requirements" / "build.lock").read_text()
    assert f"Generator: setuptools ({_pinned(lock, 'setuptools')})" in generator
    assert len(stamps) == 1  # every member carries SOURCE_DATE_EPOCH, not the build time
