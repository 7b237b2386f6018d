"""Writing files a custodian asked for: owner-only, never overwriting."""

from __future__ import annotations

import os
from pathlib import Path

from ceremony.errors import CeremonyError

__all__ = ["write_private_bytes"]


def write_private_bytes(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CeremonyError(f"{path.name} already exists; choose another name.") from None
    except OSError as err:
        raise CeremonyError(f"Cannot create {path.name}: {err.strerror}.") from None
    with os.fdopen(fd, "wb") as out:
        out.write(data)
