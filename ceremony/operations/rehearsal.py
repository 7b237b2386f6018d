"""A whole genesis with a throwaway key and no Vault, for practice and for `make run`.

It makes the component, splits it, renders the share sheets and the ceremony
record, writes the shares to a text file (mode 0600) as a custodian would copy
them, and then proves that what was written rebuilds the component. Everything
is marked as a rehearsal. The desktop app's rehearsal mode uses the same steps.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from ceremony.errors import CeremonyError
from ceremony.files import create_private_file
from ceremony.operations.genesis import GenesisKeys, GenesisPlan, generate, genesis_record
from ceremony.paper import (
    REHEARSAL_TEXT,
    EnvironmentRow,
    Paper,
    VerificationResult,
    render_record,
    render_share_sheets,
)
from ceremony.shares import Group, Scheme, SharePolicy

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


@dataclass(frozen=True)
class RehearsalPlan:
    custodians: tuple[str, ...] = ("Ann", "Ben", "Cat", "Dan")
    threshold: int = 3
    paper: Paper = "a4"
    scheme: Scheme = "slip39"
    organisation: str = "Rehearsal organisation"
    witness: str = "Witness"
    key_version: str = "rehearsal"
    groups: tuple[Group, ...] = ()  # named groups instead of custodians/threshold
    group_threshold: int = 1

    def genesis_plan(self) -> GenesisPlan:
        if self.groups:
            return GenesisPlan.with_policy(
                SharePolicy(self.groups, self.group_threshold),
                organisation=self.organisation,
                key_version=self.key_version,
                witness=self.witness,
                scheme=self.scheme,
                paper=self.paper,
                rehearsal=True,
            )
        return GenesisPlan(
            organisation=self.organisation,
            key_version=self.key_version,
            custodians=tuple(n.strip() for n in self.custodians),
            threshold=self.threshold,
            witness=self.witness,
            scheme=self.scheme,
            paper=self.paper,
            rehearsal=True,
        )

    def check(self) -> None:
        self.genesis_plan().check()


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
    genesis_plan = plan.genesis_plan()
    genesis_plan.check()
    out = Path(out_dir)
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:
        raise CeremonyError(f"Cannot create the folder {out}: {err.strerror}.") from None
    env_rows = tuple(environment) if environment is not None else _environment_rows()

    genesis = generate(genesis_plan, random_bytes=random_bytes, now=now)
    try:
        sheets_path = create_private_file(
            out / SHEETS_FILE, render_share_sheets(genesis.sheets(), plan.paper)
        )
        shares_path = _write_practice_shares(out, genesis)
        checked = genesis.check_rebuild(read_shares_file(shares_path))
        record = genesis_record(
            genesis,
            ended=now(),
            environment=env_rows,
            verification=_rebuilt_from_file(genesis, checked),
            deviations="Rehearsal with a throwaway key: no Vault, no bundle, no re-entry by "
            "hand. Shred every printed page afterwards.",
        )
        record_path = create_private_file(out / RECORD_FILE, render_record(record, plan.paper))
        return RehearsalResult(
            out_dir=out,
            sheets=sheets_path,
            record=record_path,
            shares_file=shares_path,
            ceremony_id=genesis.ceremony_id,
            set_id=genesis.set_id,
            fingerprints=dict(genesis.fingerprints),
            checked_subsets=checked,
        )
    finally:
        genesis.wipe()


def _write_practice_shares(out: Path, genesis: GenesisKeys) -> Path:
    """The shares as a custodian would copy them, marked as throwaway."""
    return create_private_file(
        out / SHARES_FILE,
        genesis.shares_text(
            [
                REHEARSAL_TEXT,
                f"Ceremony {genesis.ceremony_id}: throwaway shares for practice. "
                "Delete after the rehearsal.",
                "One share per line; lines starting with # are comments.",
            ]
        ),
    )


def _rebuilt_from_file(
    genesis: GenesisKeys, checked: tuple[tuple[int, ...], ...]
) -> tuple[VerificationResult, ...]:
    """The record's verification rows: each subset of the written shares that rebuilt the key.

    Marks every share verified, as re-entry would in a real ceremony.
    """
    verification = tuple(
        VerificationResult(
            f"Shares {', '.join(map(str, subset))} from {SHARES_FILE}",
            "passed",
            f"rebuilt the component; custodian fingerprint {genesis.fingerprints['custodian']}",
        )
        for subset in checked
    )
    genesis.verified.update(
        {i: f"rebuilt from {SHARES_FILE}" for i in range(1, len(genesis.plan.custodians) + 1)}
    )
    return verification


def _environment_rows() -> tuple[EnvironmentRow, ...]:
    from ceremony.room.environment import check_environment

    report = check_environment(rehearsal=True)
    return tuple(EnvironmentRow(*row) for row in report.as_record_rows())


def read_shares_file(path: Path) -> list[str]:
    """The shares in a rehearsal shares file, in order."""
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
