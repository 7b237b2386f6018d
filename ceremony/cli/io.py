"""Reading secrets safely: from stdin or a hidden prompt, never from argv."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from ceremony.errors import CeremonyError

__all__ = ["read_passphrase", "read_secret_lines", "write_private_file"]


def read_secret_lines(prompt: str = "Enter shares, one per line; an empty line ends") -> list[str]:
    """Non-blank lines from stdin. On a terminal, a hidden prompt per line."""
    if sys.stdin.isatty():
        print(prompt, file=sys.stderr)
        lines: list[str] = []
        while True:
            line = getpass.getpass(f"share {len(lines) + 1}: ")
            if not line.strip():
                break
            lines.append(line.strip())
        return lines
    return [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]


def read_passphrase(prompt_flag: bool, file: str | None, *, confirm: bool = False) -> bytes:
    """The SLIP-39 passphrase: from a hidden prompt, a file, or empty."""
    if prompt_flag and file:
        raise CeremonyError("Give either --passphrase-prompt or --passphrase-file, not both.")
    if file:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except OSError as err:
            raise CeremonyError(
                f"Cannot read the passphrase file {file}: {err.strerror}."
            ) from None
        return text.rstrip("\r\n").encode("utf-8")
    if prompt_flag:
        first = getpass.getpass("SLIP-39 passphrase: ")
        if confirm and getpass.getpass("Repeat the passphrase: ") != first:
            raise CeremonyError("The two passphrases differ. Nothing was written.")
        return first.encode("utf-8")
    return b""


def write_private_file(path: str | Path, text: str) -> None:
    """Write a file only its owner can read (mode 0600), refusing to overwrite."""
    target = Path(path)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CeremonyError(f"{target} already exists; choose a new file name.") from None
    except OSError as err:
        raise CeremonyError(f"Cannot create {target}: {err.strerror}.") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
