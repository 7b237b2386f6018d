"""Genesis: a new key split, from plan to sealed install bundle and ceremony record.

The steps every front end shares (the desktop wizard, ``ceremony genesis`` and
the rehearsal): generate both components, split the custodian one, describe
each custodian's sheet, check in memory that the shares rebuild it, seal the
install bundle for Vault, and describe the ceremony record. Nothing here
prints or writes; callers decide where each piece goes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from typing import Final

from ceremony import keys
from ceremony.authorize import install_payload
from ceremony.errors import CeremonyError, GapError, ShareError
from ceremony.gap import Bundle, Request, bundle_digest, seal_bundle
from ceremony.paper import (
    Attendee,
    BundleDigest,
    EnvironmentRow,
    Paper,
    RecordData,
    ShareAssignment,
    SheetData,
    VerificationResult,
)
from ceremony.passphrase import check_iteration_exponent
from ceremony.secret import Secret
from ceremony.shares import Scheme, canonical, combine, inspect, split

__all__ = ["GenesisKeys", "GenesisPlan", "generate", "genesis_record", "seal_install"]

MAX_CHECKED_SUBSETS: Final = 8
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class GenesisPlan:
    """What the custodians decided before any key exists."""

    organisation: str
    key_version: str
    custodians: tuple[str, ...]
    threshold: int
    witness: str
    scheme: Scheme = "slip39"
    paper: Paper = "a4"
    rehearsal: bool = False
    titles: tuple[str, ...] = ()  # each custodian's title in the organisation, same order
    iteration_exponent: int = 1  # SLIP-39's; printed on each sheet

    def title_of(self, index: int) -> str:
        """The title of custodian ``index`` (1-based), or "" when none was given."""
        return self.titles[index - 1].strip() if index <= len(self.titles) else ""

    def check(self) -> None:
        names = [n.strip() for n in self.custodians]
        if any(not n for n in names):
            raise CeremonyError("A custodian name is empty; give every custodian a name.")
        if len(set(n.casefold() for n in names)) != len(names):
            raise CeremonyError("Two custodians have the same name; names must differ.")
        if not 2 <= len(names) <= 16:
            raise CeremonyError("A share set needs between 2 and 16 custodians.")
        if not 2 <= self.threshold <= len(names):
            raise CeremonyError(
                f"The threshold must be between 2 and the number of custodians ({len(names)})."
            )
        if not self.organisation.strip():
            raise CeremonyError("Give the organisation's name; it is printed on every sheet.")
        if not self.key_version.strip():
            raise CeremonyError("Give a key version label, e.g. v1; it is printed on every sheet.")
        if not self.witness.strip():
            raise CeremonyError("Name the witness; the record has a signature line for them.")
        check_iteration_exponent(self.iteration_exponent)


@dataclass(repr=False)
class GenesisKeys:
    """The secret state of a genesis in progress. Call :meth:`wipe` when done."""

    plan: GenesisPlan
    ceremony_id: str
    started: datetime
    custodian: Secret
    vault: Secret
    shares: list[str]
    fingerprints: dict[str, str]
    set_id: str | None
    verified: dict[int, str] = field(default_factory=dict)  # index -> how it was verified

    def __repr__(self) -> str:
        return f"<GenesisKeys {self.ceremony_id} {self.fingerprints}>"

    @property
    def export_key_check(self) -> str:
        """What the printed record carries and `ceremony vault apply --expect-export-key` needs."""
        return keys.export_key_check_of(self.custodian)

    def sheet(self, index: int) -> SheetData:
        """Sheet data for custodian ``index`` (1-based). Holds the share: print, then drop."""
        plan = self.plan
        return SheetData(
            organisation=plan.organisation,
            custodian=plan.custodians[index - 1].strip(),
            index=index,
            count=len(plan.custodians),
            threshold=plan.threshold,
            set_id=self.set_id,
            key_version=plan.key_version,
            ceremony_id=self.ceremony_id,
            date=f"{self.started:%Y-%m-%d}",
            fingerprint=self.fingerprints["custodian"],
            share=self.shares[index - 1],
            scheme=plan.scheme,
            rehearsal=plan.rehearsal,
        )

    def sheets(self) -> list[SheetData]:
        return [self.sheet(i) for i in range(1, len(self.shares) + 1)]

    def matches_share(self, index: int, text: str) -> bool:
        """Whether a re-entered share is exactly the one printed for ``index``.

        Raises ShareError when the text is not a readable share at all, so the
        custodian hears what is wrong with it (unknown word, checksum, length).
        """
        with (
            Secret(canonical(text).encode()) as entered,
            Secret(canonical(self.shares[index - 1]).encode()) as printed,
        ):
            return entered == printed

    def check_rebuild(self, shares: Sequence[str] | None = None) -> tuple[tuple[int, ...], ...]:
        """Rebuild the component from a spread of threshold-sized subsets of ``shares``.

        By default the shares in memory; a caller may pass the shares as read back
        from a file it wrote, to prove what is on disk.
        """
        texts = list(self.shares if shares is None else shares)
        subsets = list(combinations(range(1, len(texts) + 1), self.plan.threshold))
        half = MAX_CHECKED_SUBSETS // 2
        checked = []
        for subset in dict.fromkeys(subsets[:half] + subsets[-half:]):
            with combine([texts[i - 1] for i in subset]) as rebuilt:
                if rebuilt != self.custodian:
                    raise ShareError(
                        f"Shares {', '.join(map(str, subset))} do not rebuild the component. "
                        "Stop the ceremony: nothing should be printed or exported."
                    )
            checked.append(subset)
        return tuple(checked)

    def shares_text(self, header: Sequence[str] = ()) -> str:
        """The shares as a text file: comment lines, then each custodian's share on its own line."""
        names = self.plan.custodians
        lines = [f"# {line}" for line in header]
        for i, (name, share) in enumerate(zip(names, self.shares, strict=True), start=1):
            lines += [f"# share {i} of {len(names)}: {name.strip()}", share]
        return "\n".join(lines) + "\n"

    def wipe(self) -> None:
        self.custodian.wipe()
        self.vault.wipe()
        self.shares.clear()


def generate(
    plan: GenesisPlan,
    contributions: Iterable[bytes | str] = (),
    *,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    now: Clock = _utc_now,
    ceremony_id: str | None = None,
) -> GenesisKeys:
    """Both components, the custodian shares and the fingerprints."""
    plan.check()
    started = now()
    if ceremony_id is None:
        prefix = "REHEARSAL-" if plan.rehearsal else ""
        ceremony_id = f"{prefix}{started:%Y%m%d-%H%M}-{random_bytes(2).hex().upper()}"
    parts = list(contributions)
    custodian = keys.new_component(parts, random_bytes=random_bytes)
    vault = keys.new_component(random_bytes=random_bytes)
    try:
        shares = split(
            custodian, plan.threshold, len(plan.custodians), plan.scheme, random_bytes=random_bytes,
            iteration_exponent=plan.iteration_exponent,
        )
    except BaseException:
        custodian.wipe()
        vault.wipe()
        raise
    return GenesisKeys(
        plan=plan,
        ceremony_id=ceremony_id,
        started=started,
        custodian=custodian,
        vault=vault,
        shares=shares,
        fingerprints=keys.fingerprints(custodian, vault),
        set_id=inspect(shares[0]).set_id,
    )


def seal_install(genesis: GenesisKeys, request: Request, now: datetime | None = None) -> Bundle:
    """The sealed, signed install bundle that answers the Vault side's install request."""
    if request.operation != "install":
        raise GapError(
            f"This request asks for {request.describe()}; a genesis answers an install request.",
            code="operation",
        )
    if request.key_version != genesis.plan.key_version:
        raise GapError(
            f"The request is for key version {request.key_version!r} but this ceremony's key "
            f"version is {genesis.plan.key_version!r}. Use the same label on both sides.",
            code="key-version",
        )
    payload = install_payload(
        genesis.vault,
        genesis.plan.scheme,
        genesis.plan.threshold,
        len(genesis.plan.custodians),
    )
    try:
        return seal_bundle(
            request,
            payload,
            genesis.custodian,
            genesis.ceremony_id,
            genesis.fingerprints,
            now=now,
            rehearsal=genesis.plan.rehearsal,
        )
    finally:
        payload.clear()


def genesis_record(
    genesis: GenesisKeys,
    *,
    ended: datetime,
    environment: Sequence[EnvironmentRow] = (),
    verification: Sequence[VerificationResult] = (),
    bundles: Sequence[Bundle] = (),
    deviations: str = "",
) -> RecordData:
    """The ceremony record of a genesis. Holds no secret by construction."""
    plan = genesis.plan
    names = [n.strip() for n in plan.custodians]
    return RecordData(
        organisation=plan.organisation,
        ceremony_id=genesis.ceremony_id,
        kind="genesis",
        started_at=f"{genesis.started:%Y-%m-%d %H:%M:%S} UTC",
        ended_at=f"{ended:%Y-%m-%d %H:%M:%S} UTC",
        key_version=plan.key_version,
        scheme=plan.scheme,
        threshold=plan.threshold,
        count=len(names),
        set_id=genesis.set_id,
        attendees=(
            *(Attendee(n, "custodian", plan.title_of(i)) for i, n in enumerate(names, 1)),
            Attendee(plan.witness, "witness"),
        ),
        fingerprints=(
            *genesis.fingerprints.items(),
            ("export key check", genesis.export_key_check),
        ),
        shares=tuple(
            ShareAssignment(i, n, genesis.verified.get(i, "")) for i, n in enumerate(names, 1)
        ),
        environment=tuple(environment),
        verification=tuple(verification),
        bundles=tuple(
            BundleDigest(f"{b.operation} bundle for request {b.request_id}", bundle_digest(b))
            for b in bundles
        ),
        deviations=deviations,
        rehearsal=plan.rehearsal,
    )
