"""Files a custodian asked for: created new, owner-only, never overwriting."""

from __future__ import annotations

import os
from pathlib import Path

from ceremony.errors import CeremonyError

__all__ = ["create_private_file"]


def create_private_file(path: str | Path, data: bytes | str) -> Path:
    """Create ``path`` with mode 0600 and write ``data``; refuse to overwrite anything."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CeremonyError(
            f"{target} already exists; choose a new name or an empty folder."
        ) from None
    except OSError as err:
        raise CeremonyError(f"Cannot create {target}: {err.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
    except OSError as err:
        target.unlink(missing_ok=True)
        raise CeremonyError(f"Cannot write {target}: {err.strerror}.") from None
    return target
