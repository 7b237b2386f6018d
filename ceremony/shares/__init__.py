"""Share formats: SLIP-39 (default) and CheckTick's legacy format.

``split`` and ``combine`` work on :class:`~ceremony.secret.Secret` components;
``inspect`` reads what a single share says about itself, with no quorum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from shamir_mnemonic import Share

from ceremony.errors import ShareError
from ceremony.secret import Secret
from ceremony.shares import checktick, slip39
from ceremony.shares.policy import Group, PolicyProblem, SharePolicy, parse_group

__all__ = [
    "Group",
    "PolicyProblem",
    "Scheme",
    "ShareInfo",
    "SharePolicy",
    "canonical",
    "combine",
    "detect_scheme",
    "inspect",
    "locate_wrong_word",
    "parse_group",
    "split",
    "split_policy",
]

Scheme = Literal["slip39", "checktick"]


def locate_wrong_word(words: Sequence[str]) -> tuple[int, str] | None:
    """The one wrong word of a SLIP-39 share and its correction: (0-based index, word).

    None when the checksum holds or when more than one word is wrong. The word is
    secret: show it only where the share itself may be shown.
    """
    found = slip39.locate_wrong_word(" ".join(words))
    return (found.position - 1, found.word) if found is not None else None


SCHEMES: tuple[Scheme, ...] = ("slip39", "checktick")
SCHEME_NAMES: dict[Scheme, str] = {"slip39": "SLIP-39", "checktick": "CheckTick legacy"}


@dataclass(frozen=True)
class ShareInfo:
    """What one share says about itself. Nothing secret."""

    scheme: Scheme
    set_id: str | None  # SLIP-39 identifier as 5 digits; legacy shares have none
    index: int  # 1-based, as printed
    threshold: int | None  # legacy shares do not record it
    count: int | None  # SLIP-39 does not record it either; known only from the sheet
    word_count: int
    extendable: bool = False
    group: int = 1  # 1-based group number; 1 for the plain form and legacy shares
    group_threshold: int = 1  # groups needed to rebuild
    group_count: int = 1  # groups in the set
    secret_bytes: int | None = None  # component length; legacy shares do not say

    @property
    def grouped(self) -> bool:
        return self.group_count > 1 or self.group_threshold > 1

    def describe(self) -> str:
        if self.grouped:
            parts = [
                SCHEME_NAMES[self.scheme],
                f"group {self.group} of {self.group_count}, share {self.index}",
            ]
        else:
            parts = [SCHEME_NAMES[self.scheme], f"share {self.index}"]
        if self.set_id:
            parts.append(f"set {self.set_id}")
        if self.threshold and self.grouped:
            parts.append(
                f"any {self.threshold} of this group's shares complete it, "
                f"and any {self.group_threshold} complete groups rebuild the key"
            )
        elif self.threshold:
            parts.append(f"any {self.threshold} rebuild the key")
        if self.secret_bytes:
            parts.append(f"a {self.secret_bytes}-byte key")
        return ", ".join(parts)


def detect_scheme(text: str) -> Scheme:
    """Which format a pasted or typed share is in."""
    stripped = text.strip()
    if not stripped:
        raise ShareError("The share is empty.", code="empty")
    if checktick.looks_like_checktick(stripped) or (stripped[:2] == "80" and "-" in stripped):
        return "checktick"
    if any(ch.isalpha() for ch in stripped):
        return "slip39"
    raise ShareError(
        "This is neither a SLIP-39 share (words) nor a CheckTick share (80<n>-<n>-<hex>).",
        code="format",
    )


def canonical(text: str) -> str:
    """One spelling per share: full lower-case words, or the legacy text as CheckTick writes it."""
    if detect_scheme(text) == "checktick":
        return checktick.parse(text).text()
    return " ".join(slip39.normalise(text))


def slip39_info(share: Share) -> ShareInfo:
    """What a decoded SLIP-39 share says about itself."""
    return ShareInfo(
        scheme="slip39",
        set_id=f"{share.identifier:05d}",
        index=share.index + 1,
        threshold=share.member_threshold,
        count=None,
        word_count=len(share.words()),
        extendable=share.extendable,
        group=share.group_index + 1,
        group_threshold=share.group_threshold,
        group_count=share.group_count,
        secret_bytes=len(share.value),
    )


def legacy_info(share: checktick.LegacyShare) -> ShareInfo:
    return ShareInfo("checktick", None, share.index, None, None, 1)


def inspect(text: str) -> ShareInfo:
    if detect_scheme(text) == "checktick":
        return legacy_info(checktick.parse(text))
    return slip39_info(slip39.decode(text))


def split(
    component: Secret,
    threshold: int,
    count: int,
    scheme: Scheme = "slip39",
    passphrase: bytes = b"",
    random_bytes: Callable[[int], bytes] | None = None,
    iteration_exponent: int = 1,
) -> list[str]:
    """Share texts for ``component``, in index order 1..count."""
    if scheme == "slip39":
        return slip39.split(
            component,
            threshold,
            count,
            passphrase=passphrase,
            random_bytes=random_bytes,
            iteration_exponent=iteration_exponent,
        )
    if scheme == "checktick":
        if passphrase:
            raise ShareError("CheckTick shares cannot carry a passphrase.")
        if iteration_exponent != 1:
            raise ShareError("CheckTick shares have no iteration exponent; leave it out.")
        if random_bytes is None:
            return checktick.split(component, threshold, count)
        rb = random_bytes
        return checktick.split(
            component,
            threshold,
            count,
            random_below=lambda p: int.from_bytes(rb(288), "big") % p,
        )
    raise ShareError(f"Unknown share format {scheme!r}; choose slip39 or checktick.")


def split_policy(
    component: Secret,
    policy: SharePolicy,
    scheme: Scheme = "slip39",
    passphrase: bytes = b"",
    random_bytes: Callable[[int], bytes] | None = None,
    iteration_exponent: int = 1,
) -> list[str]:
    """Share texts for ``policy``, in sheet order (group after group, members in order)."""
    policy.check()
    if not policy.grouped:
        group = policy.groups[0]
        return split(
            component,
            group.threshold,
            len(group.members),
            scheme,
            passphrase,
            random_bytes,
            iteration_exponent,
        )
    if scheme != "slip39":
        raise ShareError("CheckTick's legacy format has no groups; use SLIP-39 for named groups.")
    made = slip39.split_groups(
        component,
        policy.group_threshold,
        policy.slip39_groups(),
        passphrase=passphrase,
        random_bytes=random_bytes,
        iteration_exponent=iteration_exponent,
    )
    return [share for group in made for share in group]


def combine(shares: Sequence[str], passphrase: bytes = b"") -> Secret:
    """Rebuild a component from shares of one format (detected)."""
    if not shares:
        raise ShareError("No shares were given.", code="too_few")
    schemes = {detect_scheme(s) for s in shares}
    if len(schemes) > 1:
        raise ShareError("SLIP-39 and CheckTick shares cannot be mixed.", code="mixed")
    if schemes == {"checktick"}:
        if passphrase:
            raise ShareError("CheckTick shares have no passphrase; leave it empty.")
        return checktick.combine(shares)
    return slip39.combine(shares, passphrase)
