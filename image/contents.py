"""Per-file listings of what goes into the ceremony ISO, and their differences.

  listing ROOTFS ISO_TREE INITRD EFI_IMG   one line per file, sorted, on stdout
  diff A B                                 which files differ between two listings

Each line: ``part<TAB>path<TAB>kind mode owner<TAB>content`` where part is rootfs (the
root file system the squashfs is made of), squashfs (what the squashfs stores of each
entry: mode, owner, size, time), initramfs, iso (the ISO 9660 tree: kernel, GRUB, identity)
or efi (the FAT boot partition); content is the SHA-256 of a file, a symlink's target, or
the device numbers, with a file's modification time where that part keeps it (rootfs lines
leave it out: the squashfs lines show the stored one) and its hard links when above one.
Two builds that give different ISOs differ in some of these lines; `make image-verify`
prints them. Standard library only (host python3).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_lines(part: str, root: Path, with_times: bool) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted([*dirnames, *filenames]):
            path = Path(dirpath) / name
            st = path.lstat()
            rel = "/" + str(path.relative_to(root))
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                kind, content = "link", os.readlink(path)
            elif stat.S_ISDIR(st.st_mode):
                kind, content = "dir", ""
            elif stat.S_ISREG(st.st_mode):
                kind, content = "file", _sha256(path)
                if st.st_nlink > 1:  # hard links are one inode in the squashfs: its layout
                    content += f" links {st.st_nlink}"
            else:
                kind, content = "node", f"{os.major(st.st_rdev)}:{os.minor(st.st_rdev)}"
            try:
                xattrs = sorted(os.listxattr(path, follow_symlinks=False))
            except OSError:
                xattrs = []
            if xattrs:
                content += " xattr " + ",".join(
                    f"{x}={os.getxattr(path, x, follow_symlinks=False).hex()}" for x in xattrs
                )
            if with_times and kind == "file":  # unpacking sets folder and link times anew
                content += f" mtime {int(st.st_mtime)}"
            yield f"{part}\t{rel}\t{kind} {mode:o} {st.st_uid}:{st.st_gid}\t{content}"


# unsquashfs -lln: "mode owner size-or-device date time path" (device: "major, minor").
_SQUASHFS_LINE = re.compile(r"(\S+) (\S+)\s+(.*?) (\d{4}-\d\d-\d\d \d\d:\d\d) (/.*)")


def squashfs_lines(text: str) -> Iterator[str]:
    """What the squashfs itself stores of each entry (mode, owner, size, time), as
    ``unsquashfs -lln -d /`` prints it: the times and owners the rootfs lines leave out."""
    for line in text.splitlines():
        match = _SQUASHFS_LINE.fullmatch(line.strip())
        if match:
            mode, owner, size, when, path = match.groups()
            path = path[1:] if path.startswith("//") else path  # "-d /" doubles the slash
            yield f"squashfs\t{path}\t{mode} {owner}\t{' '.join(size.split())} {when}"


def listing(rootfs: Path, iso_tree: Path, initrd: Path, efi: Path) -> Iterator[str]:
    yield from tree_lines("rootfs", rootfs, with_times=False)
    stored = subprocess.run(
        ["unsquashfs", "-lln", "-d", "/", str(iso_tree / "live" / "filesystem.squashfs")],
        check=True, capture_output=True, text=True, env={**os.environ, "TZ": "UTC"},
    )  # fmt: skip
    yield from squashfs_lines(stored.stdout)
    yield from tree_lines("iso", iso_tree, with_times=True)
    with tempfile.TemporaryDirectory(prefix="ceremony-contents-") as tmp:
        unpacked = Path(tmp) / "initramfs"
        subprocess.run(["unmkinitramfs", str(initrd), str(unpacked)], check=True)
        yield from tree_lines("initramfs", unpacked, with_times=True)
        fat = Path(tmp) / "efi"
        fat.mkdir()
        subprocess.run(["mcopy", "-s", "-m", "-n", "-i", str(efi), "::/*", str(fat)], check=True)
        yield from tree_lines("efi", fat, with_times=True)


def differences(a: list[str], b: list[str]) -> list[str]:
    """One line per path whose entry differs, grouped by part, in path order."""

    def keyed(lines: list[str]) -> dict[tuple[str, str], str]:
        return {tuple(line.split("\t", 2)[:2]): line for line in lines if line.count("\t") >= 3}  # type: ignore[misc]

    ka, kb = keyed(a), keyed(b)
    out: list[str] = []
    for key in sorted(set(ka) | set(kb)):
        if ka.get(key) == kb.get(key):
            continue
        part, path = key
        if key not in kb:
            out.append(f"{part}: {path} only in the first build")
        elif key not in ka:
            out.append(f"{part}: {path} only in the second build")
        else:
            first, second = ka[key].split("\t")[2:], kb[key].split("\t")[2:]
            out.append(f"{part}: {path} differs: {' | '.join(first)}  vs  {' | '.join(second)}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) == 5 and argv[0] == "listing":
        for line in listing(*(Path(p) for p in argv[1:])):
            print(line)
        return 0
    if len(argv) == 3 and argv[0] == "diff":
        a, b = (Path(p).read_text().splitlines() for p in argv[1:])
        found = differences(a, b)
        for line in found:
            print(line)
        return 1 if found else 0
    print("usage: contents.py listing ROOTFS ISO_TREE INITRD EFI_IMG | diff A B", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
