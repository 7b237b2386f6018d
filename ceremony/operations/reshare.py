"""Re-share: the component the old shares rebuilt, split again for new custodians.

The key does not change, so neither does its fingerprint; only the share set
does. The new set may use named groups, and a legacy CheckTick set migrates to
SLIP-39 this way; afterwards every sheet of the old set is to be destroyed
(:func:`revoked_lines` says which, for the screen and the record). The new set is
described by the same :class:`~ceremony.operations.genesis.GenesisKeys`
a genesis makes (sheets, re-entry checks, rebuild check, wipe), with no vault
component: a re-share never answers an install request.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from ceremony import keys
from ceremony.operations.genesis import GenesisKeys, GenesisPlan
from ceremony.secret import Secret
from ceremony.shares import inspect, split_policy

__all__ = ["reshare", "revoked_lines"]


def reshare(
    plan: GenesisPlan,
    component: Secret,
    ceremony_id: str,
    *,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> GenesisKeys:
    """New shares of ``component`` for ``plan``'s custodians. The caller's secret is not wiped."""
    plan.check()
    custodian = Secret(component.reveal(), "custodian component")  # its own copy to wipe
    try:
        shares = split_policy(custodian, plan.policy, plan.scheme, random_bytes=random_bytes)
    except BaseException:
        custodian.wipe()
        raise
    return GenesisKeys(
        plan=plan,
        ceremony_id=ceremony_id,
        started=now(),
        custodian=custodian,
        vault=Secret(b"", "no vault component"),
        shares=shares,
        fingerprints={"custodian": keys.fingerprint(custodian, "custodian")},
        set_id=inspect(shares[0]).set_id,
    )


def revoked_lines(
    scheme_name: str, set_id: str | None, used: Sequence[int], key_version: str = ""
) -> tuple[str, ...]:
    """What to destroy after a re-share, one line per fact, safe for the record.

    ``used`` are the old share numbers entered today; every sheet of the old set
    is revoked, including those not brought.
    """
    which = f"set {set_id}" if set_id else "the old set (legacy shares carry no set id)"
    version = f" of key version {key_version}" if key_version else ""
    numbers = ", ".join(map(str, used)) or "none"
    return (
        f"Every {scheme_name} sheet of {which}{version}: revoked, destroy it.",
        f"Old shares used today: {numbers}; sheets not brought are revoked too.",
        "Until destroyed, the old sheets still rebuild the same key.",
    )
