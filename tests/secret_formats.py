"""Every way a share or a component can be written, for pushing through non-secret fields."""

from __future__ import annotations

import base64
import json
import random
from functools import cache
from pathlib import Path

from ceremony.paper import layout_legacy
from ceremony.paper.qr import share_qr_text
from ceremony.secret import Secret
from ceremony.shares import split

DATA = Path(__file__).parent / "data"


def _legacy_vector(name: str) -> str:
    vectors = json.loads((DATA / name).read_text())["vectors"]
    shares = vectors[0]["shares"]
    first: str = shares[0]
    return first


def _sheet_lines(share: str) -> str:
    """A legacy share as typed from its sheet: prefix, then numbered lines with check letters."""
    layout = layout_legacy(share)
    lines = [f"{line.number}. {' '.join(line.groups)} {line.check}" for line in layout.lines]
    return layout.prefix + " " + " ".join(lines)


@cache
def secret_texts() -> dict[str, str]:
    """name -> text, for each format a secret could be typed or pasted in."""
    rng = random.Random(18)
    raw = rng.randbytes(64)
    short = rng.randbytes(32)
    component = Secret(raw, "component")
    share = split(component, 2, 3, "slip39", random_bytes=rng.randbytes)[1]
    share_32 = split(Secret(short, "component"), 2, 3, "slip39", random_bytes=rng.randbytes)[0]
    words = share.split()
    legacy = _legacy_vector("checktick_legacy_vectors.json")
    return {
        "SLIP-39 share words": share,
        "SLIP-39 words, 4-letter prefixes": " ".join(w[:4] for w in words),
        "SLIP-39 QR text (capital prefixes)": share_qr_text(share, "slip39"),
        "SLIP-39 words numbered as on the sheet": " ".join(
            f"{n}. {w}" for n, w in enumerate(words, 1)
        ),
        "SLIP-39 three words from the middle": " ".join(words[20:23]),
        "SLIP-39 prefixes without spaces": "".join(w[:4] for w in words[10:16]),
        "SLIP-39 share of a 32-byte key": share_32,
        "legacy share": legacy,
        "legacy share in capitals": legacy.upper(),
        "legacy share as typed from its sheet": _sheet_lines(legacy),
        "legacy share of a 32-byte key": _legacy_vector("checktick_legacy_vectors_32.json"),
        "component hex": raw.hex(),
        "component HEX in groups": " ".join(raw.hex().upper()[i : i + 4] for i in range(0, 128, 4)),
        "component hex with colons": ":".join(f"{b:02x}" for b in raw),
        "component base64": base64.b64encode(raw).decode(),
        "component base64url": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "component base32": base64.b32encode(raw).decode(),
        "32-byte component hex": short.hex(),
        "32-byte component base64": base64.b64encode(short).decode(),
    }
