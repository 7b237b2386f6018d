"""Worst cases of legacy (CheckTick) recovery: shares that do not match make it search subsets.

Before the bounds, 14 mismatched shares took about 12 s and each two more multiplied that
by about 4.5. Now shares that all agree are recognised in linear time (up to ``MAX_SHARES``)
and shares that disagree are cross-checked only up to ``MAX_CHECKED``.
"""

from __future__ import annotations

import random
from typing import Any

from bench.timing import median_seconds
from ceremony.errors import ShareError
from ceremony.secret import Secret
from ceremony.shares import checktick
from ceremony.shares.session import RecoverySession


def mismatched(count: int, seed: int = 1) -> list[str]:
    """Well-formed shares on no common polynomial: every subset must be tried."""
    rng = random.Random(seed)
    return [
        checktick.LegacyShare(x, rng.randrange(checktick.PRIME)).text() for x in range(1, count + 1)
    ]


def many_small_answers(count: int, seed: int = 2) -> list[str]:
    """Shares every pair of which rebuilds a different plausible secret (each then cross-checked).

    y = L * (C + r) with L divisible by every difference of x: each pair's line meets x = 0
    at a whole number near L * C, far below 2^512.
    """
    rng = random.Random(seed)
    lcm = 2520  # lcm(1..9): divisible by every x difference for x in 1..10
    base = 1 << 400
    return [
        checktick.LegacyShare(x, lcm * (base + rng.randrange(1 << 64))).text()
        for x in range(1, count + 1)
    ]


def agreeing(threshold: int, count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    component = Secret(rng.randbytes(checktick.SECRET_BYTES))
    return checktick.split(component, threshold, count, random_below=rng.randrange)


def _session(texts: list[str]) -> None:
    """What `ceremony combine` does: one share at a time, then recover."""
    session = RecoverySession()
    for text in texts:
        session.add(text)
    try:
        session.recover().wipe()
    except ShareError:
        pass
    session.wipe()


def _combine(texts: list[str]) -> None:
    try:
        checktick.combine(texts).wipe()
    except ShareError:
        pass


def run() -> list[dict[str, Any]]:
    n, most = checktick.MAX_CHECKED, checktick.MAX_SHARES
    cases = [
        ("combine, mismatched", _combine, mismatched(n)),
        ("session, mismatched", _session, mismatched(n)),
        ("session, every pair plausible", _session, many_small_answers(n)),
        ("session, mismatched beyond the cap", _session, mismatched(most)),
        ("session, all agree, threshold = count", _session, agreeing(most, most)),
        ("combine, all agree, threshold = count", _combine, agreeing(most, most)),
        ("session, 3 of many agree", _session, agreeing(3, most)),
    ]
    return [
        {
            "name": f"legacy {name} ({len(texts)} shares)",
            "value": round(median_seconds(lambda f=fn, t=texts: f(t), repeat=3), 3),  # type: ignore[misc]
            "unit": "s",
            "note": "worst case; must stay under 1 s",
        }
        for name, fn, texts in cases
    ]
