"""The ceremony image's Debian packages: the lock, the package cache, and security news.

Used by image/build.sh (standard library only, runs with the host's python3):

  lock      write image/packages.lock from a fresh resolution (the .debs mmdebstrap fetched
            and the installed list), with each file's pool path and SHA-256 from Debian's
            signed indexes, the lock date and the host's build tool versions
  fetch     fill the package cache with exactly the locked files (from a published cache
            folder, else from Debian's pool), check every SHA-256, and write a local
            repository (Packages, Release) holding only them
  security  name every pinned package with a newer version in bookworm-security or
            bookworm-updates (Debian's current, signed indexes)
  tools     compare the host's build tools with the ones the lock was made with
  identity  the lines the lock contributes to /etc/ceremony-image

Lock format: ``# key: value`` header lines, then one package a line:
``name version architecture sha256 archive pool-path`` (archive: debian or debian-security).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import lzma
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

DEBIAN = "http://deb.debian.org"
ARCHIVES = {"debian": f"{DEBIAN}/debian", "debian-security": f"{DEBIAN}/debian-security"}
# (archive, suite): where the lock's files and the security and stable updates come from.
SUITES = (("debian", "bookworm"), ("debian", "bookworm-updates"),
          ("debian-security", "bookworm-security"))  # fmt: skip
UPDATE_SUITES = ("bookworm-updates", "bookworm-security")
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")
INDEX = "main/binary-amd64/Packages.xz"
# The host tools whose versions shape the ISO's bytes (docs/ceremony-image.md).
BUILD_TOOLS = ("mmdebstrap", "squashfs-tools", "xorriso", "grub-common", "grub-pc-bin",
               "grub-efi-amd64-bin", "mtools", "dosfstools")  # fmt: skip
HEADER = re.compile(r"^# ([a-z][a-z0-9-]*): (.*)$")


class LockError(Exception):
    """One clear line for the person running the build."""


# --- Debian version order (deb-version(7)) -----------------------------------------


def _order(ch: str) -> int:
    if ch == "":
        return 0
    if ch == "~":
        return -1
    if ch.isdigit():
        return 0
    if ch.isalpha():
        return ord(ch)
    return ord(ch) + 256


def _compare_part(a: str, b: str) -> int:
    i = j = 0
    while i < len(a) or j < len(b):
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _order(a[i] if i < len(a) and not a[i].isdigit() else "")
            bc = _order(b[j] if j < len(b) and not b[j].isdigit() else "")
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        m = re.match(r"\d*", a[i:])
        n = re.match(r"\d*", b[j:])
        da, db = m.group() if m else "", n.group() if n else ""
        i += len(da)
        j += len(db)
        if int(da or 0) != int(db or 0):
            return 1 if int(da or 0) > int(db or 0) else -1
    return 0


def compare_versions(a: str, b: str) -> int:
    """Negative, zero or positive as Debian version ``a`` sorts before, with or after ``b``."""

    def split(v: str) -> tuple[int, str, str]:
        epoch, colon, rest = v.partition(":")
        if not colon:
            epoch, rest = "0", v
        upstream, dash, revision = rest.rpartition("-")
        if not dash:
            upstream, revision = rest, ""
        return int(epoch or 0), upstream, revision

    ea, ua, ra = split(a)
    eb, ub, rb = split(b)
    if ea != eb:
        return 1 if ea > eb else -1
    return _compare_part(ua, ub) or _compare_part(ra, rb)


# --- indexes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    name: str
    version: str
    arch: str
    sha256: str
    archive: str
    path: str

    @property
    def url(self) -> str:
        return f"{ARCHIVES[self.archive]}/{self.path}"

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def line(self) -> str:
        return f"{self.name} {self.version} {self.arch} {self.sha256} {self.archive} {self.path}"


def parse_packages(text: str) -> Iterator[dict[str, str]]:
    """The stanzas of a Packages index, first line of each field only."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            if fields:
                yield fields
            fields = {}
        elif not line[0].isspace() and ":" in line:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    if fields:
        yield fields


def newest_versions(stanzas: Iterable[dict[str, str]]) -> dict[tuple[str, str], str]:
    """(package, architecture) -> the newest version an index offers."""
    newest: dict[tuple[str, str], str] = {}
    for s in stanzas:
        key = (s.get("Package", ""), s.get("Architecture", ""))
        if key[0] and (key not in newest or compare_versions(s["Version"], newest[key]) > 0):
            newest[key] = s["Version"]
    return newest


@dataclass(frozen=True)
class Update:
    name: str
    pinned: str
    newer: str
    suite: str

    def __str__(self) -> str:
        return f"{self.name} {self.pinned} -> {self.newer} ({self.suite})"


def pending_updates(
    locked: Iterable[Entry], indexes: Mapping[str, Iterable[dict[str, str]]]
) -> list[Update]:
    """Every pinned package that a suite (e.g. bookworm-security) offers in a newer version."""
    newest = {suite: newest_versions(stanzas) for suite, stanzas in indexes.items()}
    found: list[Update] = []
    for e in locked:
        for suite in sorted(newest):
            version = newest[suite].get((e.name, e.arch))
            if version is not None and compare_versions(version, e.version) > 0:
                found.append(Update(e.name, e.version, version, suite))
    return found


def _download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - fixed http URLs
            data: bytes = response.read()
            return data
    except OSError as err:
        raise LockError(f"cannot download {url}: {err}") from err


def fetch_index(archive: str, suite: str, cache: Path) -> str:
    """A suite's amd64 Packages index, its Release file checked with Debian's archive keyring."""
    cache.mkdir(parents=True, exist_ok=True)
    base = f"{ARCHIVES[archive]}/dists/{suite}"
    signed = cache / f"{suite}.InRelease"
    signed.write_bytes(_download(f"{base}/InRelease"))
    check = subprocess.run(["gpgv", "--keyring", str(KEYRING), str(signed)],
                           capture_output=True, text=True)  # fmt: skip
    if check.returncode != 0:
        raise LockError(f"{suite}: the Release file's signature does not check out")
    wanted = re.search(rf"^ ([0-9a-f]{{64}}) +\d+ {re.escape(INDEX)}$",
                       signed.read_text(errors="replace"), re.M)  # fmt: skip
    if wanted is None:
        raise LockError(f"{suite}: the Release file lists no {INDEX}")
    packed = _download(f"{base}/{INDEX}")
    if hashlib.sha256(packed).hexdigest() != wanted.group(1):
        raise LockError(f"{suite}: {INDEX} does not match its signed Release file")
    text = lzma.decompress(packed).decode("utf-8", errors="replace")
    (cache / f"{suite}.Packages").write_text(text)
    return text


# --- the lock ----------------------------------------------------------------------


@dataclass
class Lock:
    header: dict[str, str]
    entries: list[Entry]


def read_lock(path: Path) -> Lock:
    header: dict[str, str] = {}
    entries: list[Entry] = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith("#"):
            m = HEADER.match(line)
            if m:
                header[m.group(1)] = m.group(2)
            continue
        if not line.strip():
            continue
        parts = line.split()
        if (
            len(parts) != 6
            or parts[4] not in ARCHIVES
            or not re.fullmatch("[0-9a-f]{64}", parts[3])
        ):
            raise LockError(f"{path}:{number}: not 'name version arch sha256 archive path'"
                            " (an old lock? run 'make image-lock')")  # fmt: skip
        entries.append(Entry(*parts))
    if not entries:
        raise LockError(f"{path}: no packages")
    return Lock(header, entries)


def host_tools() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in BUILD_TOOLS:
        run = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name],
                             capture_output=True, text=True)  # fmt: skip
        found[name] = run.stdout.strip() if run.returncode == 0 and run.stdout else "missing"
    return found


def tool_differences(header: dict[str, str], host: dict[str, str]) -> list[str]:
    return [
        f"{name}: lock {header.get('tool-' + name, 'not recorded')}, this machine {version}"
        for name, version in host.items()
        if header.get("tool-" + name) != version
    ]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_lock(
    installed: Path, debs: Path, cache: Path, index_cache: Path, out: Path
) -> list[Update]:
    """Lock exactly what was installed: each .deb mmdebstrap fetched, found in Debian's indexes,
    copied into the package ``cache`` under its pool file name."""
    found: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for archive, suite in SUITES:
        for s in parse_packages(fetch_index(archive, suite, index_cache)):
            key = (s["Package"], s["Version"], s["Architecture"])
            found[key] = (archive, s["Filename"], s["SHA256"])
    by_hash = {sha256_file(p): p for p in debs.glob("*.deb")}
    entries: list[Entry] = []
    for line in sorted(installed.read_text().split("\n")):
        if not line.strip():
            continue
        name, version, arch = line.split()
        where = found.get((name, version, arch))
        if where is None:
            raise LockError(f"{name} {version} {arch} is installed but in no bookworm index")
        archive, path, sha = where
        if sha not in by_hash:
            raise LockError(f"{name} {version}: no downloaded .deb with the index's SHA-256")
        entries.append(Entry(name, version, arch, sha, archive, path))
    cache.mkdir(parents=True, exist_ok=True)
    for e in entries:
        shutil.copyfile(by_hash[e.sha256], cache / e.filename)
    updates = pending_updates(entries, {s: parse_packages(
        (index_cache / f"{s}.Packages").read_text()) for s in UPDATE_SUITES})  # fmt: skip
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    lines = [
        "# Every Debian package in the ceremony image (the essential set included), pinned by",
        "# version and SHA-256. Generated by 'make image-lock' from image/packages.txt; review",
        "# changes like code. 'make image' fetches exactly these files and resolves nothing.",
        f"# lock-date: {today}",
        f"# security-behind-at-lock: {len(updates)}"
        + (" (" + ", ".join(u.name for u in updates) + ")" if updates else ""),
        *(f"# tool-{name}: {version}" for name, version in host_tools().items()),
        *(e.line() for e in entries),
    ]
    out.write_text("\n".join(lines) + "\n")
    return updates


def fill_cache(lock: Lock, cache: Path, published: Path | None) -> tuple[int, int, int]:
    """Every locked .deb into ``cache``, checked. Returns (already there, copied, downloaded)."""
    cache.mkdir(parents=True, exist_ok=True)
    counts = [0, 0, 0]
    for e in lock.entries:
        target = cache / e.filename
        if target.exists() and sha256_file(target) == e.sha256:
            counts[0] += 1
            continue
        source = published / e.filename if published else None
        if source is not None and source.exists():
            shutil.copyfile(source, target)
            counts[1] += 1
        elif published is not None and published.resolve() != cache.resolve():
            raise LockError(f"{e.filename} is not in the published package folder {published}")
        else:
            target.write_bytes(_download(e.url))
            counts[2] += 1
        if sha256_file(target) != e.sha256:
            target.unlink()
            raise LockError(f"{e.filename}: SHA-256 differs from the lock; file removed")
    return counts[0], counts[1], counts[2]


def write_repository(lock: Lock, cache: Path, repo: Path) -> None:
    """A flat apt repository of exactly the locked files: Packages and Release, no signature
    (the files were checked against the lock's hashes)."""
    repo.mkdir(parents=True, exist_ok=True)
    stanzas: list[str] = []
    for e in lock.entries:
        deb = cache / e.filename
        link = repo / e.filename
        if not link.exists():
            try:
                link.hardlink_to(deb)
            except OSError:
                shutil.copyfile(deb, link)
        control = subprocess.run(["dpkg-deb", "-f", str(deb)], check=True,
                                 capture_output=True, text=True).stdout.rstrip("\n")  # fmt: skip
        stanzas.append(f"{control}\nFilename: ./{e.filename}\nSize: {deb.stat().st_size}\n"
                       f"SHA256: {e.sha256}\n")  # fmt: skip
    packages = "\n".join(stanzas).encode()
    (repo / "Packages").write_bytes(packages)
    (repo / "Release").write_text(
        "Origin: ceremony-image-lock\nLabel: ceremony-image-lock\nSuite: bookworm\n"
        "Codename: bookworm\nArchitectures: amd64 all\nSHA256:\n"
        f" {hashlib.sha256(packages).hexdigest()} {len(packages)} Packages\n"
    )


def identity_lines(lock: Lock, host: dict[str, str]) -> list[str]:
    behind = lock.header.get("security-behind-at-lock", "not recorded")
    return [
        f"lock_date={lock.header.get('lock-date', 'not recorded')}",
        f"security_fixes_missing_at_lock={behind}",
        "build_tools=" + ", ".join(f"{n} {v}" for n, v in host.items()),
    ]


def report(updates: list[Update]) -> None:
    if not updates:
        print("image: security: no pinned package has a newer version in "
              + " or ".join(UPDATE_SUITES))  # fmt: skip
        return
    print(f"image: security: {len(updates)} pinned package(s) have a newer version; "
          "refresh with 'make image-lock':")  # fmt: skip
    for u in updates:
        print(f"image:   {u}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="debian_lock.py")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lock")
    p.add_argument("--installed", type=Path, required=True)
    p.add_argument("--debs", type=Path, required=True)
    p.add_argument("--cache", type=Path, required=True)
    p.add_argument("--index-cache", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("fetch")
    p.add_argument("--lock", type=Path, required=True)
    p.add_argument("--cache", type=Path, required=True)
    p.add_argument("--published", type=Path)
    p.add_argument("--repo", type=Path, required=True)
    p = sub.add_parser("security")
    p.add_argument("--lock", type=Path, required=True)
    p.add_argument("--index-cache", type=Path, required=True)
    p = sub.add_parser("tools")
    p.add_argument("--lock", type=Path, required=True)
    p = sub.add_parser("identity")
    p.add_argument("--lock", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "lock":
            updates = make_lock(args.installed, args.debs, args.cache, args.index_cache, args.out)
            print(f"image: wrote {args.out} ({len(read_lock(args.out).entries)} packages)")
            report(updates)
        elif args.command == "fetch":
            lock = read_lock(args.lock)
            had, copied, fetched = fill_cache(lock, args.cache, args.published)
            write_repository(lock, args.cache, args.repo)
            source = f", {copied} from {args.published}" if args.published else ""
            print(f"image: {len(lock.entries)} locked .debs checked in {args.cache} ({had} cached"
                  f"{source}, {fetched} downloaded from Debian)")  # fmt: skip
        elif args.command == "security":
            lock = read_lock(args.lock)
            indexes = {s: parse_packages(fetch_index(a, s, args.index_cache))
                       for a, s in SUITES if s in UPDATE_SUITES}  # fmt: skip
            report(pending_updates(lock.entries, indexes))
        elif args.command == "tools":
            diffs = tool_differences(read_lock(args.lock).header, host_tools())
            if diffs:
                print("image: WARNING: this machine's build tools differ from the lock's; the ISO"
                      " will likely not match a published one:", file=sys.stderr)  # fmt: skip
                for d in diffs:
                    print(f"image:   {d}", file=sys.stderr)
        else:
            print("\n".join(identity_lines(read_lock(args.lock), host_tools())))
    except LockError as err:
        print(f"image: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
