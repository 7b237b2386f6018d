"""Genesis: a new key split, from plan to sealed install bundle and ceremony record.

The steps every front end shares (the desktop wizard, ``ceremony genesis`` and
the rehearsal): generate both components, split the custodian one, describe
each custodian's sheet, check in memory that the shares rebuild it, and
describe the ceremony record; ``ceremony.operations.install`` seals the install
bundle for Vault. Nothing here prints or writes; callers decide where each
piece goes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from typing import Final

from ceremony import keys
from ceremony.errors import CeremonyError, ShareError
from ceremony.evidence.check_value import check_value
from ceremony.gap import Bundle, bundle_digest
from ceremony.paper import (
    Attendee,
    BundleDigest,
    EnvironmentRow,
    GroupRow,
    Paper,
    RecordData,
    ShareAssignment,
    SheetData,
    VerificationResult,
)
from ceremony.passphrase import check_iteration_exponent
from ceremony.secret import Secret
from ceremony.shares import (
    Group,
    Scheme,
    SharePolicy,
    canonical,
    combine,
    inspect,
    split_policy,
)
from ceremony.shares.secret_text import check_not_secret

__all__ = [
    "GenesisKeys",
    "GenesisPlan",
    "generate",
    "genesis_record",
    "rebuild_subsets",
]

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
    # Named groups (SLIP-39's two levels). Empty: the plain form, any ``threshold`` of
    # ``custodians``. Use :meth:`with_policy` to fill custodians and threshold from them.
    groups: tuple[Group, ...] = ()
    group_threshold: int = 1

    @classmethod
    def with_policy(
        cls,
        policy: SharePolicy,
        *,
        organisation: str,
        key_version: str,
        witness: str,
        scheme: Scheme = "slip39",
        paper: Paper = "a4",
        rehearsal: bool = False,
        titles: tuple[str, ...] = (),
        iteration_exponent: int = 1,
    ) -> GenesisPlan:
        """A plan for ``policy``: plain or grouped, custodians in sheet order."""
        return cls(
            organisation=organisation,
            key_version=key_version,
            custodians=policy.custodians,
            threshold=policy.threshold,
            witness=witness,
            scheme=scheme,
            paper=paper,
            rehearsal=rehearsal,
            titles=titles,
            groups=policy.groups if policy.grouped else (),
            group_threshold=policy.group_threshold if policy.grouped else 1,
            iteration_exponent=iteration_exponent,
        )

    @property
    def policy(self) -> SharePolicy:
        if self.groups:
            return SharePolicy(self.groups, self.group_threshold)
        return SharePolicy.plain(self.custodians, self.threshold)

    def title_of(self, index: int) -> str:
        """The title of custodian ``index`` (1-based), or "" when none was given."""
        return self.titles[index - 1].strip() if index <= len(self.titles) else ""

    def check(self) -> None:
        if self.groups:
            self._check_facts()
            policy = self.policy
            policy.check()
            if tuple(n.strip() for n in self.custodians) != policy.custodians:
                raise CeremonyError("The custodians do not match the groups; list them again.")
            if self.scheme != "slip39":
                raise CeremonyError("CheckTick's legacy format has no groups; choose SLIP-39.")
            return
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
        self._check_facts()

    def _check_facts(self) -> None:
        if not self.organisation.strip():
            raise CeremonyError("Give the organisation's name; it is printed on every sheet.")
        for text in (self.organisation, self.witness):  # before any key exists
            check_not_secret(text, "the share sheets, the transcript and the record")
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
        policy = plan.policy
        group_number, member = policy.locate(index)
        group = policy.groups[group_number - 1]
        return SheetData(
            organisation=plan.organisation,
            custodian=plan.custodians[index - 1].strip(),
            index=member,
            count=len(group.members),
            threshold=group.threshold,
            set_id=self.set_id,
            key_version=plan.key_version,
            ceremony_id=self.ceremony_id,
            date=f"{self.started:%Y-%m-%d}",
            fingerprint=self.fingerprints["custodian"],
            share=self.shares[index - 1],
            scheme=plan.scheme,
            rehearsal=plan.rehearsal,
            group=policy.group_name(group_number) if policy.grouped else "",
            policy_text=policy.sheet_wording(index) if policy.grouped else "",
            group_threshold=policy.group_threshold,
            group_count=len(policy.groups),
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
        checked = []
        for subset in rebuild_subsets(self.plan.policy):
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
        policy = self.plan.policy
        lines = [f"# {line}" for line in header]
        for i, (name, share) in enumerate(zip(names, self.shares, strict=True), start=1):
            where = ""
            if policy.grouped:
                g, m = policy.locate(i)
                where = f" ({policy.group_name(g)} share {m})"
            lines += [f"# share {i} of {len(names)}: {name.strip()}{where}", share]
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
        shares = split_policy(
            custodian,
            plan.policy,
            plan.scheme,
            random_bytes=random_bytes,
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


def rebuild_subsets(policy: SharePolicy) -> list[tuple[int, ...]]:
    """A spread of smallest sheet sets (1-based sheet numbers) that must rebuild the key.

    Plain: the first and last few threshold-sized subsets. Groups: for the first
    and last few choices of enough groups, the first and the last members of each.
    """
    half = MAX_CHECKED_SUBSETS // 2
    if not policy.grouped:
        g = policy.groups[0]
        subsets = list(combinations(range(1, len(g.members) + 1), g.threshold))
        return list(dict.fromkeys(subsets[:half] + subsets[-half:]))
    choices = list(combinations(range(1, len(policy.groups) + 1), policy.group_threshold))
    out: list[tuple[int, ...]] = []
    for chosen in dict.fromkeys(choices[:half] + choices[-half:]):
        for end in ("first", "last"):
            sheets: list[int] = []
            for number in chosen:
                group = policy.groups[number - 1]
                count = len(group.members)
                members = range(1, group.threshold + 1)
                if end == "last":
                    members = range(count - group.threshold + 1, count + 1)
                sheets += [policy.sheet_number(number, m) for m in members]
            out.append(tuple(sheets))
    return list(dict.fromkeys(out))


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
    policy = plan.policy
    labels = [""] * len(names)
    if policy.grouped:
        for i in range(1, len(names) + 1):
            g, m = policy.locate(i)
            labels[i - 1] = f"{policy.group_name(g)} {m} of {len(policy.groups[g - 1].members)}"
    # Check values only while the shares are in memory; a wiped set records none.
    checks = [check_value(t) for t in genesis.shares] if genesis.shares else [""] * len(names)
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
            ShareAssignment(i, n, genesis.verified.get(i, ""), labels[i - 1], checks[i - 1])
            for i, n in enumerate(names, 1)
        ),
        groups=tuple(GroupRow(g.name, g.members, g.threshold) for g in plan.groups),
        group_threshold=plan.group_threshold,
        policy_text=policy.describe(),
        environment=tuple(environment),
        verification=tuple(verification),
        bundles=tuple(
            BundleDigest(f"{b.operation} bundle for request {b.request_id}", bundle_digest(b))
            for b in bundles
        ),
        deviations=deviations,
        rehearsal=plan.rehearsal,
    )
