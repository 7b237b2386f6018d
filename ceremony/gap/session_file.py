"""The headless room's session key on disk: asked for, owner-only, wiped once used.

The desktop app keeps the session key in memory only. ``ceremony session``
writes it to a file because the headless room runs as separate commands; the
file holds one line, ``CTSESSIONKEY2:`` and the key in hex, and
``ceremony authorize`` overwrites it with zeros and removes it once used. In a
real ceremony the folder must be memory-only (tmpfs), as the room's check of
temporary folders defines it (``ceremony.room.tmpfs``): a deleted file on a
disk can be read back.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from ceremony.errors import CeremonyError
from ceremony.files import create_private_file
from ceremony.gap.wire import KEY_BYTES
from ceremony.secret import Secret

__all__ = [
    "check_memory_folder",
    "read_session_key",
    "wipe_file",
    "wipe_session_key",
    "write_session_key",
]

_PREFIX: Final = "CTSESSIONKEY2:"
_SIZE: Final = len(_PREFIX) + 2 * KEY_BYTES + 1


def write_session_key(path: str | Path, private: Secret) -> Path:
    return create_private_file(path, f"{_PREFIX}{private.reveal().hex()}\n")


def check_memory_folder(folder: str | Path, mounts: Path = Path("/proc/mounts")) -> None:
    """Refuse a folder that is not on a memory-only filesystem (the session key's home)."""
    from ceremony.room.tmpfs import MEMORY_FILESYSTEMS, filesystem_of

    try:
        text = mounts.read_text(errors="replace")
    except OSError:
        text = ""
    where = os.path.realpath(folder)
    kind = filesystem_of(where, text)
    if kind not in MEMORY_FILESYSTEMS:
        raise CeremonyError(
            f"{folder} is on {kind}, not in memory: a session key written there could be read "
            "back from the disk after it is wiped. Use a memory-only folder (tmpfs), such as "
            "the ceremony's TMPDIR after `sudo sh ceremony-tmpfs.sh`."
        )


def read_session_key(path: str | Path) -> Secret:
    target = Path(path)
    try:
        with target.open("rb") as fh:
            raw = bytearray(fh.read(_SIZE + 1))
    except OSError as err:
        raise CeremonyError(f"Cannot read the session key {target}: {err.strerror}.") from None
    with Secret.take(raw, "session key file") as text:
        line = bytes(text.view()).strip()
        if not line.startswith(_PREFIX.encode()) or len(line) != _SIZE - 1:
            raise CeremonyError(f"{target} is not a session key file made by `ceremony session`.")
        try:
            return Secret(bytes.fromhex(line[len(_PREFIX) :].decode("ascii")), "session key")
        except ValueError:
            raise CeremonyError(f"{target} is a damaged session key file.") from None


def wipe_session_key(path: str | Path) -> None:
    """Wipe ``path`` if it is a session key file; any other file is left alone."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(len(_PREFIX))
    except OSError:
        return
    if head == _PREFIX.encode():
        wipe_file(path)


def wipe_file(path: str | Path) -> None:
    """Overwrite a file with zeros, flush it to the disk, then remove it."""
    target = Path(path)
    try:
        size = target.stat().st_size
        fd = os.open(target, os.O_WRONLY)
        try:
            os.write(fd, bytes(size))
            os.fsync(fd)
        finally:
            os.close(fd)
        target.unlink()
    except FileNotFoundError:
        return
    except OSError as err:
        raise CeremonyError(
            f"Could not wipe {target} ({err.strerror}); remove it by hand now."
        ) from None
