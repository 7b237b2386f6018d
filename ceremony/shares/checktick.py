"""CheckTick's legacy share format, read and write.

``80{i}-{x}-{y}``: Shamir over the RFC 3526 2048-bit MODP prime, points at
x = 1..n, secret = the polynomial at 0 as 64 bytes big-endian, ``y`` lower-case
hex (CheckTick writes it without padding; we pad to at least 256 digits, which
its parser reads the same). Shares carry neither threshold nor checksum, but
the field is 2048 bits and the secret 512: interpolating too few or a wrong
share almost surely lands at 2^512 or above, which we treat as "does not
rebuild a component".

Shares that all lie on one polynomial are recognised in linear time, however
many. Finding the threshold and the odd one out in shares that disagree means
trying subsets, which is exponential: so shares that do not all agree are
cross-checked only up to ``MAX_CHECKED`` of them (2^10 subsets, well under a
second even when nothing matches), and no more than ``MAX_SHARES`` are taken at
all. A set needs only its threshold, plus one to catch a typo.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Final

from ceremony.errors import ShareError
from ceremony.secret import Secret
from ceremony.shares.line_checks import has_line_checks, strip_line_checks

__all__ = [
    "MAX_CHECKED",
    "MAX_SHARES",
    "PRIME",
    "Candidate",
    "LegacyShare",
    "all_agree",
    "candidates",
    "check_addition",
    "combine",
    "disagreement_message",
    "interpolate_at_zero",
    "length_note",
    "looks_like_checktick",
    "parse",
    "split",
    "too_many_message",
]

PRIME: Final = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836"
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804"
    "F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6"
    "955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF",
    16,
)
SECRET_BYTES: Final = 64
SECRET_LIMIT: Final = 1 << (8 * SECRET_BYTES)
# Key versions v2+ have 32-byte components. A 64-byte one below 2^256 has a 2^-256 chance.
SHORT_BYTES: Final = 32
MIN_HEX_DIGITS: Final = 256
MAX_HEX_DIGITS: Final = 512
MAX_INDEX: Final = 255
MAX_CHECKED: Final = 10
MAX_SHARES: Final = 32

_SHAPE = re.compile(r"^80(\d{1,3})-(\d{1,3})-([0-9a-z]+)$")
_PREFIX = re.compile(r"^80\d{1,3}\s*-\s*\d{1,3}\s*-")


@dataclass(frozen=True, repr=False)
class LegacyShare:
    index: int
    y: int

    def __repr__(self) -> str:  # the y value is secret
        return f"<LegacyShare index={self.index}>"

    def text(self) -> str:
        return f"80{self.index}-{self.index}-{self.y:0{MIN_HEX_DIGITS}x}"


def looks_like_checktick(text: str) -> bool:
    compact = "".join(text.split()).lower()
    return compact.startswith("80") and compact.count("-") >= 2 and " " not in compact


def parse(text: str) -> LegacyShare:
    """Parse one legacy share; spaces and line breaks inside it are ignored (paper groups).

    A share typed from one of our legacy sheets may include each line's check
    letters (and line numbers): then every line is checked and a typo is named
    by its line.
    """
    lowered = text.strip().lower()
    head = _PREFIX.match(lowered)
    if head is not None and has_line_checks(lowered[head.end() :]):
        lowered = head.group(0) + strip_line_checks(lowered[head.end() :])
    compact = "".join(lowered.split())
    match = _SHAPE.match(compact)
    if not match:
        raise ShareError(
            "This is not a CheckTick share: it must look like 80<n>-<n>-<hex digits>.",
            code="format",
        )
    prefix_index, x_text, y_text = match.groups()
    index, x = int(prefix_index), int(x_text)
    if index != x or not 1 <= index <= MAX_INDEX:
        raise ShareError(
            f"The share number is inconsistent (80{prefix_index} but x = {x}); "
            "check the first characters.",
            code="format",
        )
    bad = next((i for i, ch in enumerate(y_text) if ch not in "0123456789abcdef"), None)
    if bad is not None:
        raise ShareError(
            f"Character {bad + 1} of the hex part is '{y_text[bad]}', not a hex digit (0-9, a-f).",
            code="character",
        )
    if not MIN_HEX_DIGITS <= len(y_text) <= MAX_HEX_DIGITS:
        raise ShareError(
            f"The hex part has {len(y_text)} digits; a CheckTick share has "
            f"{MIN_HEX_DIGITS} to {MAX_HEX_DIGITS}. A group was probably skipped or typed twice.",
            code="length",
        )
    y = int(y_text, 16)
    if y >= PRIME:
        raise ShareError("The hex part is too large to be a CheckTick share.", code="format")
    return LegacyShare(index, y)


def split(
    component: Secret,
    threshold: int,
    count: int,
    *,
    random_below: Callable[[int], int] = secrets.randbelow,
) -> list[str]:
    """Shares in CheckTick's format, x = 1..count."""
    if not 2 <= threshold <= count <= MAX_INDEX:
        raise ShareError("Choose a threshold of at least 2 and no more than the number of shares.")
    if len(component) not in (SHORT_BYTES, SECRET_BYTES):
        raise ShareError("A CheckTick component is 64 bytes (key version v1) or 32 (v2 and later).")
    secret_int = int.from_bytes(component.view(), "big")
    coefficients = [secret_int] + [random_below(PRIME) for _ in range(threshold - 1)]
    shares = []
    for x in range(1, count + 1):
        y = 0
        for c in reversed(coefficients):
            y = (y * x + c) % PRIME
        shares.append(LegacyShare(x, y).text())
    coefficients.clear()
    return shares


def interpolate_at_zero(shares: Sequence[LegacyShare]) -> int:
    """Lagrange interpolation of the points at x = 0, mod the prime.

    The x values are small integers, so each Lagrange weight is a small exact
    fraction; over one common denominator a single modular inverse suffices
    (four times faster than one inverse per share, which matters when subsets
    are searched).
    """
    nums: list[int] = []
    dens: list[int] = []
    for i, si in enumerate(shares):
        num, den = 1, 1
        for j, sj in enumerate(shares):
            if i != j:
                num *= -sj.index
                den *= si.index - sj.index
        nums.append(num)
        dens.append(den)
    common = 1
    for den in dens:
        common *= den
    total = sum(s.y * num * (common // den) for s, num, den in zip(shares, nums, dens, strict=True))
    return total % PRIME * pow(common % PRIME, -1, PRIME) % PRIME


def too_many_message(count: int) -> str:
    """What to do when ``count`` shares are more than can be checked quickly."""
    if count > MAX_SHARES:
        return (
            f"At most {MAX_SHARES} CheckTick shares can be entered and this is share {count}: "
            "enter only as many as the set needs, plus one to catch a typo."
        )
    return (
        f"These {count} CheckTick shares do not all agree, and more than {MAX_CHECKED} cannot "
        "be cross-checked to find the wrong one: enter only as many as the set needs, plus "
        "one to catch a typo."
    )


def _agreeing_prefix(shares: Sequence[LegacyShare]) -> Candidate | None:
    """The secret, if every share lies on one polynomial; found in linear time.

    The first k shares rebuild a plausible secret once k reaches the threshold
    (fewer give a uniformly random field element); every later share must then
    agree with it. None when they do not all agree.
    """
    for size in range(2, len(shares) + 1):
        value = interpolate_at_zero(shares[:size])
        if value < SECRET_LIMIT:
            others = shares[1:size]  # a different basis of the same size, as ``candidates`` does
            if all(interpolate_at_zero([*others, s]) == value for s in shares[size:]):
                return Candidate(value, size, frozenset(s.index for s in shares))
            return None
    return None


def all_agree(shares: Sequence[LegacyShare]) -> bool:
    """Whether these shares (distinct indices) all lie on one polynomial with a plausible secret."""
    return len(shares) <= MAX_SHARES and _agreeing_prefix(shares) is not None


def check_addition(entered: Sequence[LegacyShare], new: LegacyShare) -> None:
    """Refuse a share beyond ``MAX_CHECKED`` unless every share, it included, agrees.

    Beyond that many, a share that disagrees cannot be found quickly; when the
    shares already entered agree, the new one is the culprit and is named.
    """
    if len(entered) < MAX_CHECKED or all_agree([*entered, new]):
        return
    count = len(entered) + 1
    if count <= MAX_SHARES and all_agree(entered):
        raise ShareError(
            f"Share {new.index} does not agree with the {len(entered)} shares entered, which "
            "all agree: check it for a typo.",
            code="odd_one_out",
        )
    raise ShareError(too_many_message(count), code="too_many")


def _to_secret(value: int) -> Secret:
    length = SHORT_BYTES if value < 1 << (8 * SHORT_BYTES) else SECRET_BYTES
    return Secret(value.to_bytes(length, "big"), "component")


def length_note(component: Secret) -> str:
    """What to tell custodians about a 32-byte component rebuilt from legacy shares."""
    if len(component) != SHORT_BYTES:
        return ""
    return (
        "These legacy shares hold a 32-byte component (key version v2 or later). CheckTick's "
        "own recovery gets them wrong: it returns 64 bytes, 32 zero bytes in front of the "
        "component. Use the component this tool rebuilt."
    )


@dataclass(frozen=True, repr=False)
class Candidate:
    """A secret some subset of the shares rebuilds, and which shares agree with it."""

    value: int
    threshold: int
    agreeing: frozenset[int]  # share indices on the same polynomial

    def __repr__(self) -> str:
        return f"<Candidate threshold={self.threshold} agreeing={sorted(self.agreeing)}>"

    def secret(self) -> Secret:
        return _to_secret(self.value)


def candidates(shares: Sequence[LegacyShare]) -> list[Candidate]:
    """Every secret that a smallest plausible subset rebuilds, most-agreed first.

    The smallest subset size whose interpolation lands below 2^512 is the
    threshold t (fewer points give a uniformly random field element). Each share
    is then checked against each plausible t-subset. A typo in the low digits of
    a share can still land below 2^512, so with exactly t + 1 shares two
    candidates may tie: the caller must then ask for another share or pick the
    one matching the expected custodian fingerprint.

    Bounded so that any input is answered quickly: shares that all agree are
    recognised in linear time; others are searched only up to ``MAX_CHECKED``.
    """
    if len(shares) > MAX_SHARES:
        raise ShareError(too_many_message(len(shares)), code="too_many")
    agreed = _agreeing_prefix(shares) if len(shares) >= 2 else None
    if agreed is not None:
        return [agreed]
    if len(shares) > MAX_CHECKED:
        raise ShareError(too_many_message(len(shares)), code="too_many")
    for size in range(2, len(shares) + 1):
        found: dict[int, Candidate] = {}
        for subset in combinations(shares, size):
            value = interpolate_at_zero(subset)
            if value >= SECRET_LIMIT or value in found:
                continue
            agreeing = frozenset(
                s.index
                for s in shares
                if s in subset or interpolate_at_zero([*subset[1:], s]) == value
            )
            found[value] = Candidate(value, size, agreeing)
        if found:
            return sorted(found.values(), key=lambda c: -len(c.agreeing))
    return []


def combine(texts: Sequence[str]) -> Secret:
    """Rebuild the component from legacy shares; refuses sets that do not rebuild one."""
    shares = [parse(t) for t in texts]
    indices = [s.index for s in shares]
    if len(set(indices)) != len(indices):
        raise ShareError("Two of these shares have the same number.", code="duplicate")
    if len(shares) < 2:
        raise ShareError("At least two CheckTick shares are needed.", code="too_few")
    found = candidates(shares)
    if not found:
        raise ShareError(
            "These shares do not rebuild a component: too few of them, or one is wrong.",
            code="no_result",
        )
    best = found[0]
    if len(best.agreeing) == len(shares):
        return best.secret()
    raise ShareError(disagreement_message(found, indices), code="odd_one_out")


def disagreement_message(found: Sequence[Candidate], indices: Sequence[int]) -> str:
    best = found[0]
    ties = [c for c in found if len(c.agreeing) == len(best.agreeing)]
    if len(ties) == 1:
        odd = sorted(set(indices) - best.agreeing)
        names = ", ".join(map(str, odd))
        return (
            f"Share {names} disagree{'s' if len(odd) == 1 else ''} with the others; "
            "set it aside or check it for a typo."
        )
    suspects = sorted(set().union(*(set(indices) - c.agreeing for c in ties)))
    return (
        f"These shares disagree and it is not clear which is wrong (one of shares "
        f"{', '.join(map(str, suspects))}). Add one more share, or check the result "
        "against the expected custodian fingerprint."
    )
