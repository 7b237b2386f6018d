"""Search files and text for any trace of a secret: component bytes (raw, hex, base64),
whole shares, and every run of three consecutive share words."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_WORD = re.compile(rb"[a-z]+")
MAX_SCANNED_BYTES = 64 * 1024 * 1024


@dataclass
class SecretNeedles:
    needles: dict[str, bytes] = field(default_factory=dict)  # searched as substrings
    word_runs: dict[tuple[bytes, ...], str] = field(default_factory=dict)  # three words -> name

    def add_component(self, name: str, raw: bytes) -> None:
        self.needles[f"{name} raw"] = raw
        self.needles[f"{name} hex"] = raw.hex().encode()
        self.needles[f"{name} HEX"] = raw.hex().upper().encode()
        b64 = base64.b64encode(raw)
        self.needles[f"{name} base64"] = b64[:40]  # a prefix survives line wrapping less often
        self.needles[f"{name} base64url"] = base64.urlsafe_b64encode(raw)[:40]

    def add_share(self, name: str, text: str) -> None:
        self.needles[f"{name} text"] = text.encode()
        words = text.encode().lower().split()
        if len(words) >= 3:
            # Words 1-4 are the set id and threshold, shared by many sets: runs start at word 5.
            for i in range(4, len(words) - 2):
                self.word_runs[tuple(words[i : i + 3])] = f"{name} words {i + 1}-{i + 3}"
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
        if self.word_runs:
            words = _WORD.findall(lowered)
            for i in range(len(words) - 2):
                run = self.word_runs.get((words[i], words[i + 1], words[i + 2]))
                if run is not None:
                    hits.append(run)
        return hits


def pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return ""
    return "\n".join(page.get_textpage().get_text_range() for page in doc)


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
    roots: Iterable[Path],
    needles: SecretNeedles,
    allowed: Iterable[Path] = (),
    since: float | None = None,
) -> dict[str, list[str]]:
    """Map of file -> needle names found, for every file not explicitly allowed.

    With ``since`` (a time.time() value), only files written since then are read:
    a run cannot have left a secret in a file it did not touch.
    """
    allowed_set = {p.resolve() for p in allowed}
    result: dict[str, list[str]] = {}
    for path in files_under(roots):
        if path.resolve() in allowed_set:
            continue
        try:
            info = path.stat()
            if since is not None and max(info.st_mtime, info.st_ctime) < since:
                continue
            if info.st_size > MAX_SCANNED_BYTES:  # wheels and images of other work, not ours
                continue
            data = path.read_bytes()
        except OSError:
            continue
        hits = needles.find_in(data)
        if data.startswith(b"%PDF"):  # compressed streams hide text from a byte search
            hits += needles.find_in(pdf_text(data).encode("utf-8"))
        if hits:
            result[str(path)] = hits
    return result


SYSTEM_PLACES = (Path("/tmp"), Path("/var/spool/cups"), Path("/var/log/cups"))


@dataclass
class AtRest:
    """Fresh HOME, TMPDIR and working directory for one test, and the check that follows it."""

    home: Path
    tmp: Path
    work: Path
    started: float

    @property
    def kept(self) -> Path:
        """Where commands run in memory-only folders leave a copy of them (tests/cli.py)."""
        return self.tmp / "memory-folders-after-each-run"

    def command_env(self) -> dict[str, str]:
        """The environment for ``tests.cli.run_ceremony``: these folders, and keep the tmpfs."""
        self.kept.mkdir(exist_ok=True)
        return {
            "HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "CEREMONY_TEST_KEEP": str(self.kept),
        }

    def leftovers(
        self, needles: SecretNeedles, allowed: Iterable[Path] = ()
    ) -> dict[str, list[str]]:
        roots = [self.home, self.tmp, self.work, *SYSTEM_PLACES]
        return scan(roots, needles, allowed=allowed, since=self.started)
