"""Search files and text for any trace of a secret: component bytes (raw, hex, base64),
whole shares, and every run of three consecutive share words."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SecretNeedles:
    needles: dict[str, bytes] = field(default_factory=dict)

    def add_component(self, name: str, raw: bytes) -> None:
        self.needles[f"{name} raw"] = raw
        self.needles[f"{name} hex"] = raw.hex().encode()
        self.needles[f"{name} HEX"] = raw.hex().upper().encode()
        b64 = base64.b64encode(raw)
        self.needles[f"{name} base64"] = b64[:40]  # a prefix survives line wrapping less often
        self.needles[f"{name} base64url"] = base64.urlsafe_b64encode(raw)[:40]

    def add_share(self, name: str, text: str) -> None:
        self.needles[f"{name} text"] = text.encode()
        words = text.split()
        if len(words) >= 3:
            for i in range(len(words) - 2):
                self.needles[f"{name} words {i + 1}-{i + 3}"] = " ".join(words[i : i + 3]).encode()
        else:  # legacy: the hex part in 64-digit pieces
            hex_part = text.rsplit("-", 1)[-1]
            for i in range(0, len(hex_part) - 63, 64):
                self.needles[f"{name} hex {i}"] = hex_part[i : i + 64].encode()

    def find_in(self, data: bytes) -> list[str]:
        lowered = data.lower()
        hits = []
        for name, needle in self.needles.items():
            case_sensitive = name.endswith((" raw", " base64", " base64url"))
            if needle in data if case_sensitive else needle.lower() in lowered:
                hits.append(name)
        return hits


def files_under(roots: Iterable[Path], skip: Iterable[Path] = ()) -> list[Path]:
    skipped = {p.resolve() for p in skip}
    found = []
    for root in roots:
        if not root.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            dirnames[:] = [
                d
                for d in dirnames
                if (here / d).resolve() not in skipped
                and d not in {".venv", ".git", "__pycache__", ".mypy_cache"}
            ]
            for f in filenames:
                p = here / f
                if p.resolve() not in skipped and p.is_file() and not p.is_symlink():
                    found.append(p)
    return found


def scan(
    roots: Iterable[Path], needles: SecretNeedles, allowed: Iterable[Path] = ()
) -> dict[str, list[str]]:
    """Map of file -> needle names found, for every file not explicitly allowed."""
    allowed_set = {p.resolve() for p in allowed}
    result: dict[str, list[str]] = {}
    for path in files_under(roots):
        if path.resolve() in allowed_set:
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        hits = needles.find_in(data)
        if hits:
            result[str(path)] = hits
    return result
