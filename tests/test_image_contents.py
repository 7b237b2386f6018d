"""The per-file listing of an image build, and what two listings say about each other."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path
from types import ModuleType

CONTENTS = Path(__file__).parent.parent / "image" / "contents.py"


def _contents() -> ModuleType:
    spec = importlib.util.spec_from_file_location("image_contents", CONTENTS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree(root: Path, data: bytes) -> Path:
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "hostname").write_bytes(data)
    (root / "etc" / "hostname").chmod(0o644)
    os.link(root / "etc" / "hostname", root / "etc" / "same")
    (root / "etc" / "link").symlink_to("hostname")
    os.utime(root / "etc" / "hostname", (1_700_000_000, 1_700_000_000))
    return root


def test_one_line_a_file_with_its_hash_mode_links_and_time(tmp_path: Path) -> None:
    lines = list(_contents().tree_lines("iso", _tree(tmp_path / "a", b"ceremony\n"), True))
    uid, gid = os.getuid(), os.getgid()
    assert [line.split("\t")[1] for line in lines] == ["/etc", "/etc/hostname", "/etc/link",
                                                       "/etc/same"]  # fmt: skip
    hostname = lines[1].split("\t")
    assert hostname[:3] == ["iso", "/etc/hostname", f"file 644 {uid}:{gid}"]
    digest = hashlib.sha256(b"ceremony\n").hexdigest()
    assert hostname[3] == f"{digest} links 2 mtime 1700000000"
    assert lines[2].split("\t")[3] == "hostname"
    without_times = list(_contents().tree_lines("rootfs", tmp_path / "a", False))
    assert without_times[1].split("\t")[3] == f"{digest} links 2"


def test_the_differences_name_the_part_and_the_file(tmp_path: Path) -> None:
    contents = _contents()
    a = list(contents.tree_lines("rootfs", _tree(tmp_path / "a", b"one\n"), False))
    b_root = _tree(tmp_path / "b", b"two\n")
    (b_root / "etc" / "same").unlink()  # no longer a hard link: the squashfs lays it out anew
    (b_root / "etc" / "extra").write_text("x")
    b = list(contents.tree_lines("rootfs", b_root, False))
    found = contents.differences(a, b)
    assert len(found) == 3
    assert found[0] == "rootfs: /etc/extra only in the second build"
    assert found[1].startswith("rootfs: /etc/hostname differs: ")
    assert found[2] == "rootfs: /etc/same only in the first build"
    assert contents.differences(a, a) == []


def test_the_squashfs_lines_keep_what_the_squashfs_stores() -> None:
    printed = "\n".join([  # as unsquashfs -lln -d / prints them
        "drwxr-xr-x 0/0                     355 2026-12-03 08:28 /",
        "lrwxrwxrwx 0/0                      13 2026-12-03 08:28 //dev/fd -> /proc/self/fd",
        "crw-rw-rw- 0/0                   5,  1 2026-12-03 08:28 //dev/console",
        "drwx------ 42/0                      3 2026-12-03 08:03 //var/cache/apt/archives/partial",
        "-rw-r--r-- 0/0                  183272 2026-12-03 07:59 //var/cache/apt/archives/a.deb",
    ])  # fmt: skip
    lines = list(_contents().squashfs_lines(printed))
    assert lines == [
        "squashfs\t/\tdrwxr-xr-x 0/0\t355 2026-12-03 08:28",
        "squashfs\t/dev/fd -> /proc/self/fd\tlrwxrwxrwx 0/0\t13 2026-12-03 08:28",
        "squashfs\t/dev/console\tcrw-rw-rw- 0/0\t5, 1 2026-12-03 08:28",
        "squashfs\t/var/cache/apt/archives/partial\tdrwx------ 42/0\t3 2026-12-03 08:03",
        "squashfs\t/var/cache/apt/archives/a.deb\t-rw-r--r-- 0/0\t183272 2026-12-03 07:59",
    ]
    later = printed.replace(
        "07:59 //var/cache/apt/archives/a.deb", "08:28 //var/cache/apt/archives/a.deb"
    )
    found = _contents().differences(lines, list(_contents().squashfs_lines(later)))
    assert found == [
        "squashfs: /var/cache/apt/archives/a.deb differs: -rw-r--r-- 0/0 | 183272 2026-12-03 "
        "07:59  vs  -rw-r--r-- 0/0 | 183272 2026-12-03 08:28"
    ]
