"""A whole genesis with a throwaway key and no Vault, for practice and for `make run`.

It makes the component, splits it, renders the share sheets and the ceremony
record, writes the shares to a text file (mode 0600) as a custodian would copy
them, and then proves that what was written rebuilds the component. Everything
is marked as a rehearsal. The desktop app's rehearsal mode uses the same steps.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Final

from ceremony import keys
from ceremony.errors import CeremonyError, ShareError
from ceremony.paper import (
    REHEARSAL_TEXT,
    Attendee,
    EnvironmentRow,
    Paper,
    RecordData,
    ShareAssignment,
    SheetData,
    VerificationResult,
    render_record,
    render_share_sheets,
)
from ceremony.secret import Secret
from ceremony.shares import Scheme, combine, inspect, split

__all__ = [
    "RECORD_FILE",
    "SHARES_FILE",
    "SHEETS_FILE",
    "RehearsalPlan",
    "RehearsalResult",
    "read_shares_file",
    "run_rehearsal",
]

SHEETS_FILE: Final = "share-sheets.pdf"
RECORD_FILE: Final = "ceremony-record.pdf"
SHARES_FILE: Final = "shares.txt"
MAX_CHECKED_SUBSETS: Final = 8


@dataclass(frozen=True)
class RehearsalPlan:
    custodians: tuple[str, ...] = ("Ann", "Ben", "Cat", "Dan")
    threshold: int = 3
    paper: Paper = "a4"
    scheme: Scheme = "slip39"
    organisation: str = "Rehearsal organisation"
    witness: str = "Witness"
    key_version: str = "rehearsal"

    def check(self) -> None:
        names = [n.strip() for n in self.custodians]
        if any(not n for n in names):
            raise CeremonyError("A custodian name is empty; give every custodian a name.")
        if len(set(names)) != len(names):
            raise CeremonyError("Two custodians have the same name; names must differ.")
        if not 2 <= len(names) <= 16:
            raise CeremonyError("A share set needs between 2 and 16 custodians.")
        if not 2 <= self.threshold <= len(names):
            raise CeremonyError(
                f"The threshold must be between 2 and the number of custodians ({len(names)})."
            )


@dataclass(frozen=True)
class RehearsalResult:
    out_dir: Path
    sheets: Path
    record: Path
    shares_file: Path
    ceremony_id: str
    set_id: str | None
    fingerprints: dict[str, str]
    checked_subsets: tuple[tuple[int, ...], ...]  # share indices that rebuilt the component


def run_rehearsal(
    out_dir: str | Path,
    plan: RehearsalPlan = RehearsalPlan(),
    *,
    environment: Sequence[EnvironmentRow] | None = None,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> RehearsalResult:
    """Run the rehearsal into ``out_dir`` (created; existing files are never overwritten)."""
    plan.check()
    started = now()
    out = Path(out_dir)
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:
        raise CeremonyError(f"Cannot create the folder {out}: {err.strerror}.") from None
    ceremony_id = f"REHEARSAL-{started:%Y%m%d-%H%M}-{random_bytes(2).hex().upper()}"
    names = tuple(n.strip() for n in plan.custodians)
    env_rows = tuple(environment) if environment is not None else _environment_rows()

    with (
        keys.new_component(random_bytes=random_bytes) as component,
        keys.new_component(random_bytes=random_bytes) as vault,
    ):
        prints = keys.fingerprints(component, vault)
        shares = split(
            component, plan.threshold, len(names), plan.scheme, random_bytes=random_bytes
        )
        set_id = inspect(shares[0]).set_id
        sheets = [
            SheetData(
                organisation=plan.organisation,
                custodian=name,
                index=i,
                count=len(names),
                threshold=plan.threshold,
                set_id=set_id,
                key_version=plan.key_version,
                ceremony_id=ceremony_id,
                date=f"{started:%Y-%m-%d}",
                fingerprint=prints["custodian"],
                share=share,
                scheme=plan.scheme,
                rehearsal=True,
            )
            for i, (name, share) in enumerate(zip(names, shares, strict=True), start=1)
        ]
        sheets_path = _write_private(out / SHEETS_FILE, render_share_sheets(sheets, plan.paper))
        shares_path = _write_private(
            out / SHARES_FILE, _shares_text(names, shares, ceremony_id).encode("utf-8")
        )
        del sheets, shares
        checked = _check_written_shares(shares_path, plan.threshold, component)

    verification = tuple(
        VerificationResult(
            f"Shares {', '.join(map(str, subset))} from {SHARES_FILE}",
            "passed",
            f"rebuilt the component; custodian fingerprint {prints['custodian']}",
        )
        for subset in checked
    )
    record = RecordData(
        organisation=plan.organisation,
        ceremony_id=ceremony_id,
        kind="genesis",
        started_at=f"{started:%Y-%m-%d %H:%M:%S} UTC",
        ended_at=f"{now():%Y-%m-%d %H:%M:%S} UTC",
        key_version=plan.key_version,
        scheme=plan.scheme,
        threshold=plan.threshold,
        count=len(names),
        set_id=set_id,
        attendees=(*(Attendee(n, "custodian") for n in names), Attendee(plan.witness, "witness")),
        fingerprints=tuple(prints.items()),
        shares=tuple(
            ShareAssignment(i, n, f"rebuilt from {SHARES_FILE}")
            for i, n in enumerate(names, start=1)
        ),
        environment=env_rows,
        verification=verification,
        deviations="Rehearsal with a throwaway key: no Vault, no bundle, no re-entry by hand. "
        "Shred every printed page afterwards.",
        rehearsal=True,
    )
    record_path = _write_private(out / RECORD_FILE, render_record(record, plan.paper))
    return RehearsalResult(
        out_dir=out,
        sheets=sheets_path,
        record=record_path,
        shares_file=shares_path,
        ceremony_id=ceremony_id,
        set_id=set_id,
        fingerprints=prints,
        checked_subsets=checked,
    )


def _environment_rows() -> tuple[EnvironmentRow, ...]:
    from ceremony.environment import check_environment

    report = check_environment(rehearsal=True)
    return tuple(EnvironmentRow(*row) for row in report.as_record_rows())


def _shares_text(names: Sequence[str], shares: Sequence[str], ceremony_id: str) -> str:
    lines = [
        f"# {REHEARSAL_TEXT}",
        f"# Ceremony {ceremony_id}: throwaway shares for practice. Delete after the rehearsal.",
        "# One share per line; lines starting with # are comments.",
    ]
    for i, (name, share) in enumerate(zip(names, shares, strict=True), start=1):
        lines += [f"# share {i} of {len(shares)}: {name}", share]
    return "\n".join(lines) + "\n"


def read_shares_file(path: Path) -> list[str]:
    """The shares in a rehearsal shares file, in order."""
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _check_written_shares(
    path: Path, threshold: int, component: Secret
) -> tuple[tuple[int, ...], ...]:
    """Rebuild the component from the file as written: a few threshold-sized subsets."""
    shares = read_shares_file(path)
    subsets = list(combinations(range(1, len(shares) + 1), threshold))
    picked = subsets[: MAX_CHECKED_SUBSETS // 2] + subsets[-(MAX_CHECKED_SUBSETS // 2) :]
    checked: list[tuple[int, ...]] = []
    for subset in dict.fromkeys(picked):
        with combine([shares[i - 1] for i in subset]) as rebuilt:
            if rebuilt != component:
                raise ShareError(
                    f"Shares {', '.join(map(str, subset))} as written do not rebuild the "
                    "component; the rehearsal output is not usable."
                )
        checked.append(subset)
    return tuple(checked)


def _write_private(path: Path, data: bytes) -> Path:
    """Create ``path`` with mode 0600; never overwrite (an old rehearsal stays as it was)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CeremonyError(f"{path} already exists; choose an empty folder.") from None
    except OSError as err:
        raise CeremonyError(f"Cannot create {path}: {err.strerror}.") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path
