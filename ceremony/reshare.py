"""Re-share: the component the old shares rebuilt, split again for new custodians.

The key does not change, so neither does its fingerprint; only the share set
does. The new set is described by the same :class:`~ceremony.genesis.GenesisKeys`
a genesis makes (sheets, re-entry checks, rebuild check, wipe), with no vault
component: a re-share never answers an install request.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from ceremony import keys
from ceremony.genesis import GenesisKeys, GenesisPlan
from ceremony.secret import Secret
from ceremony.shares import inspect, split

__all__ = ["reshare"]


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
        shares = split(
            custodian, plan.threshold, len(plan.custodians), plan.scheme, random_bytes=random_bytes
        )
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
