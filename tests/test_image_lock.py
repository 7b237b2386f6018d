"""The image's Debian lock: the security-update report against a recorded bookworm-security
index, Debian version order, the lock format, the build tool check and the package cache."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.paths import DATA, REPO


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("debian_lock", REPO / "image" / "debian_lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["debian_lock"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


dl = _load()
SHA = "0" * 64


def entry(name: str, version: str, arch: str = "amd64") -> object:
    return dl.Entry(name, version, arch, SHA, "debian", f"pool/main/x/{name}/{name}.deb")


def test_security_report_names_every_pinned_package_with_a_newer_fix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A recorded, trimmed bookworm-security Packages index (tests/data/README.md).
    security = list(dl.parse_packages((DATA / "bookworm-security-Packages-sample").read_text()))
    locked = [
        entry("zlib1g", "1:1.2.13.dfsg-1"),  # the case: a fix published later
        entry("cups", "2.4.2-3+deb12u9"),
        entry("libcups2", "2.4.2-3+deb12u9"),
        entry("libexpat1", "2.5.0-1+deb12u5"),  # exactly the security version: nothing missing
        entry("ghostscript", "10.0.0~dfsg-11+deb12u9"),
        entry("libgnutls30", "3.7.9-2+deb12u99"),  # pinned newer than the index: not behind
        entry("zlib1g", "1:1.2.13.dfsg-1", "i386"),  # another architecture: not in this index
        entry("bash", "5.2.15-2+b13"),  # no security update at all
    ]
    updates = dl.pending_updates(locked, {"bookworm-security": security})
    assert [str(u) for u in updates] == [
        "zlib1g 1:1.2.13.dfsg-1 -> 1:1.2.13.dfsg-1+deb12u1 (bookworm-security)",
        "cups 2.4.2-3+deb12u9 -> 2.4.2-3+deb12u10 (bookworm-security)",
        "libcups2 2.4.2-3+deb12u9 -> 2.4.2-3+deb12u10 (bookworm-security)",
    ]
    dl.report(updates)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "image: security: 3 pinned package(s) have a newer version; refresh with 'make image-lock':"
    )
    assert (
        out[1] == "image:   zlib1g 1:1.2.13.dfsg-1 -> 1:1.2.13.dfsg-1+deb12u1 (bookworm-security)"
    )
    dl.report(dl.pending_updates(locked[3:], {"bookworm-security": security}))
    assert "no pinned package has a newer version" in capsys.readouterr().out


def test_the_newest_of_several_versions_counts() -> None:
    index = [
        {"Package": "p", "Architecture": "all", "Version": "1.0-1+deb12u2"},
        {"Package": "p", "Architecture": "all", "Version": "1.0-1+deb12u10"},
        {"Package": "p", "Architecture": "all", "Version": "1.0-1+deb12u3"},
    ]
    assert dl.newest_versions(index) == {("p", "all"): "1.0-1+deb12u10"}


def test_version_order_agrees_with_dpkg() -> None:
    if shutil.which("dpkg") is None:
        pytest.skip("dpkg is not installed")
    stanzas = dl.parse_packages((DATA / "bookworm-security-Packages-sample").read_text())
    versions = [s["Version"] for s in stanzas] + [
        "1:1.2.13.dfsg-1", "1.0", "1.0~rc1", "1.0+b1", "1.0-1", "1.0-1~bpo12+1", "1.0a", "1.00",
        "2:0.1", "1.10", "1.9", "0.5.12-2", "1.0-1+deb12u10", "1.0-1+deb12u9", "1.0.0",
    ]  # fmt: skip
    for a in versions:
        for b in versions[::3]:
            mine = dl.compare_versions(a, b)
            dpkg = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
            equal = subprocess.run(["dpkg", "--compare-versions", a, "eq", b]).returncode == 0
            assert (mine < 0, mine == 0) == (dpkg, equal), (a, b)


def test_the_lock_format(tmp_path: Path) -> None:
    lock = tmp_path / "packages.lock"
    lines = [
        "# lock-date: 2026-12-02",
        "# security-behind-at-lock: 1 (zlib1g)",
        "# tool-xorriso: 1.5.4-4",
        "# a comment that is no header",
        entry("zlib1g", "1:1.2.13.dfsg-1").line(),  # type: ignore[attr-defined]
    ]
    lock.write_text("\n".join(lines) + "\n")
    read = dl.read_lock(lock)
    assert read.header == {
        "lock-date": "2026-12-02",
        "security-behind-at-lock": "1 (zlib1g)",
        "tool-xorriso": "1.5.4-4",
    }
    assert read.entries[0].url == "http://deb.debian.org/debian/pool/main/x/zlib1g/zlib1g.deb"
    host = {"xorriso": "1.5.4-4", "mtools": "4.0.33-1"}
    assert dl.tool_differences(read.header, host) == [
        "mtools: lock not recorded, this machine 4.0.33-1"
    ]
    assert dl.identity_lines(read, host) == [
        "lock_date=2026-12-02",
        "security_fixes_missing_at_lock=1 (zlib1g)",
        "build_tools=xorriso 1.5.4-4, mtools 4.0.33-1",
    ]
    lock.write_text("# an old lock\nzlib1g=1:1.2.13.dfsg-1\n")
    with pytest.raises(dl.LockError, match=r"packages.lock:2: not 'name version arch sha256"):
        dl.read_lock(lock)


def _deb(folder: Path, name: str) -> Path:
    root = folder / f"{name}-root"
    (root / "DEBIAN").mkdir(parents=True)
    (root / "DEBIAN" / "control").write_text(
        f"Package: {name}\nVersion: 1.0\nArchitecture: all\nMaintainer: nobody <n@example.org>\n"
        f"Essential: yes\nDescription: test package\n"
    )
    deb = folder / f"{name}_1.0_all.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Znone", "-b", str(root), str(deb)],
                   check=True, capture_output=True)  # fmt: skip
    return deb


def test_the_cache_takes_only_locked_files_and_makes_a_repository(tmp_path: Path) -> None:
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is not installed")
    published = tmp_path / "published"
    published.mkdir()
    deb = _deb(published, "tiny")
    sha = hashlib.sha256(deb.read_bytes()).hexdigest()
    good = dl.Entry("tiny", "1.0", "all", sha, "debian", f"pool/main/t/tiny/{deb.name}")
    lock = dl.Lock({}, [good])
    cache, repo = tmp_path / "cache", tmp_path / "repo"
    assert dl.fill_cache(lock, cache, published) == (0, 1, 0)
    assert dl.fill_cache(lock, cache, published) == (1, 0, 0)  # checked again, not copied
    dl.write_repository(lock, cache, repo)
    packages = (repo / "Packages").read_text()
    assert "Package: tiny\n" in packages and "Essential: yes\n" in packages
    assert f"Filename: ./{deb.name}\n" in packages and f"SHA256: {sha}\n" in packages
    release = (repo / "Release").read_text()
    assert "Suite: bookworm\n" in release
    assert hashlib.sha256(packages.encode()).hexdigest() in release

    wrong = dl.Lock({}, [dl.Entry("tiny", "1.0", "all", "1" * 64, "debian", good.path)])
    with pytest.raises(dl.LockError, match="SHA-256 differs from the lock; file removed"):
        dl.fill_cache(wrong, tmp_path / "cold", published)
    assert not (tmp_path / "cold" / deb.name).exists()
    absent = dl.Lock({}, [dl.Entry("gone", "1.0", "all", SHA, "debian", "pool/main/g/gone/g.deb")])
    with pytest.raises(dl.LockError, match=r"g\.deb is not in the published package folder"):
        dl.fill_cache(absent, tmp_path / "cold", published)
