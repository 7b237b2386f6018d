"""Measure the medium this machine booted from and write /run/ceremony-image.

The ISO cannot hold its own SHA-256, so it is measured at boot: find the block device
carrying this image's ISO 9660 volume, take exactly the ISO's bytes (the volume size,
or the end of the backup GPT header when that lies further) and hash them. The result
is what a custodian compares with the published SHA-256 of the release.

Before the app starts, the result is shown on the screen (tty1) and the console as hex and
as the word code witnesses read aloud (ceremony.room.image_identity), and the boot waits for
Enter (at most a minute) so it can be compared; the self-test boot does not wait.
"""

import hashlib
import select
import struct
import sys
from pathlib import Path

from ceremony.room.image_identity import measured_text

VOLUME_ID = b"CEREMONY_LIVE"
IDENTITY = Path("/etc/ceremony-image")
OUT = Path("/run/ceremony-image")
CHUNK = 4 << 20
WAIT_S = 60.0


def image_bytes(dev: Path) -> int | None:
    """The ISO's length on ``dev``, or None when ``dev`` does not hold this image."""
    try:
        with dev.open("rb") as f:
            f.seek(16 * 2048)
            pvd = f.read(2048)
            f.seek(512)
            gpt = f.read(512)
    except OSError:
        return None
    if pvd[1:6] != b"CD001" or pvd[40:72].rstrip(b" ") != VOLUME_ID:
        return None
    end = struct.unpack_from("<I", pvd, 80)[0] * 2048
    if gpt[:8] == b"EFI PART":
        end = max(end, (struct.unpack_from("<Q", gpt, 32)[0] + 1) * 512)
    return end


def sha256(dev: Path, length: int) -> str:
    digest = hashlib.sha256()
    with dev.open("rb") as f:
        left = length
        while left:
            block = f.read(min(CHUNK, left))
            if not block:
                raise OSError(f"{dev} ended before the image did")
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def banner(fields: dict[str, str]) -> str:
    digest = fields.get("iso_sha256", "")
    rule = "=" * 72
    lines = [rule, f" Custodian Ceremony live image, commit {fields.get('commit', '?')[:12]}"]
    if len(digest) == 64:
        groups = [digest[i : i + 8] for i in range(0, 64, 8)]
        lines += [
            " SHA-256 this computer measured of its boot medium:",
            "   " + " ".join(groups[:4]),
            "   " + " ".join(groups[4:]),
            " " + measured_text(digest),
            " Compare the hash or the words with the published ones before any share is typed.",
        ]
    else:
        lines.append(" The boot medium could not be measured: check the stick on another computer.")
    return "\n".join([*lines, rule, ""])


def show(text: str, wait: bool) -> None:
    """On the console (the unit sends stdout there) and on tty1 when that is not the console."""
    print(text, flush=True)
    active = Path("/sys/class/tty/console/active")
    consoles = active.read_text().split() if active.exists() else []
    try:
        with open("/dev/tty1", "r+", encoding="utf-8") as tty:
            if not any(c in ("tty0", "tty1") for c in consoles):
                tty.write("\033[2J\033[H" + text)
            if wait:
                tty.write(f" Press Enter to start (starts by itself in {WAIT_S:.0f} s).\n")
                tty.flush()
                if select.select([tty], [], [], WAIT_S)[0]:
                    tty.readline()
    except OSError:
        pass


def main() -> int:
    lines = IDENTITY.read_text().splitlines() if IDENTITY.exists() else []
    for block in sorted(Path("/sys/block").iterdir()):
        dev = Path("/dev") / block.name
        length = image_bytes(dev)
        if length is not None:
            lines += [
                f"iso_device={dev}",
                f"iso_bytes={length}",
                f"iso_sha256={sha256(dev, length)}",
            ]
            break
    else:
        lines.append("iso_sha256=unknown (the boot medium is no longer attached)")
    OUT.write_text("\n".join(lines) + "\n")
    OUT.chmod(0o644)
    fields = dict(line.split("=", 1) for line in lines if "=" in line)
    selftest = " ceremony.selftest " in f" {Path('/proc/cmdline').read_text().strip()} "
    show(banner(fields), wait=not selftest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
