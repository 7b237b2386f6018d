"""Measure the medium this machine booted from and write /run/ceremony-image.

The ISO cannot hold its own SHA-256, so it is measured at boot: find the block device
carrying this image's ISO 9660 volume, take exactly the ISO's bytes (the volume size,
or the end of the backup GPT header when that lies further) and hash them. The result
is what a custodian compares with the published SHA-256 of the release.
"""

import hashlib
import struct
import sys
from pathlib import Path

VOLUME_ID = b"CEREMONY_LIVE"
IDENTITY = Path("/etc/ceremony-image")
OUT = Path("/run/ceremony-image")
CHUNK = 4 << 20


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
