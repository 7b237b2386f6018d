"""Every fault of the double at every step of `apply`, for every operation.

For each step, a fresh deployment gets the fault at exactly that request of the
apply. The apply must either fail with a one-line VaultError naming the fault,
or (for faults after the effect is recorded) succeed; in between, every path in
Vault holds its value from before or from after a clean apply, except the claim,
which may say "claimed". Once the fault is gone the same bundle completes, or
is refused as already applied when an answer was lost after the effect landed
(recover-escrow instead releases the KEK again while the request key is still
there, so a lost confirmation never costs a new quorum ceremony), and the end
state equals that of an apply without faults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ceremony import gap
from ceremony.errors import VaultError
from ceremony.vaultops.paths import MASTER_KEY
from tests.vault_double import FaultKind
from tests.vault_support import SURVEY, USER, Deployment, normalized, start_deployment, write_escrow

ITERATIONS = 1000  # CheckTick's PBKDF2 cost is measured in the benchmark, not paid here
OPERATIONS: tuple[gap.Operation, ...] = ("install", "adopt", "verify", "recover-escrow")
KINDS: tuple[FaultKind, ...] = ("sealed", "unavailable", "drop", "delay", "expire_token")
CODES: dict[FaultKind, set[str]] = {
    "sealed": {"sealed"},
    "unavailable": {"unavailable"},
    "drop": {"dropped"},
    "delay": {"timeout"},
    "expire_token": {"token"},
}
AMBIGUOUS = {"dropped", "timeout"}  # the request may have taken effect


@dataclass
class Prepared:
    dep: Deployment
    request: gap.Request
    bundle: bytes

    @property
    def digest(self) -> str:
        return gap.bundle_digest(gap.parse_bundle(self.bundle))

    def state(self) -> dict[str, Any]:
        return normalized(self.dep.snapshot(), self.request.id, self.digest)

    def apply(self, timeout: float = 10.0) -> Any:
        return self.dep.apply(self.bundle, timeout)


def prepare(operation: gap.Operation) -> Prepared:
    dep = start_deployment()
    if operation == "adopt":
        root = dep.client(token="root-token")
        record = {"vault_component": dep.keys.vault.reveal().hex(), "key_size": 512}
        assert root.create(MASTER_KEY, record, "test")
    elif operation != "install":
        dep.install()
    params = {"user": USER, "survey": SURVEY} if operation == "recover-escrow" else {}
    if operation in ("adopt", "recover-escrow"):
        write_escrow(dep, bytes(range(32)), iterations=ITERATIONS)
    request = dep.request(operation, **params)
    return Prepared(dep, request, dep.bundle_for(request))


def baseline(operation: gap.Operation) -> tuple[dict[str, Any], dict[str, Any], int, int]:
    """States before and after a clean apply, its request count, and which marks it done."""
    prepared = prepare(operation)
    try:
        before = prepared.state()
        prepared.dep.double.reset_log()
        prepared.apply()
        log = prepared.dep.double.requests
        done = max(r.number for r in log if r.method == "POST" and "/consumed/" in r.path)
        return before, prepared.state(), len(log), done
    finally:
        prepared.dep.double.stop()


def assert_no_half_state(
    mid: dict[str, Any], before: dict[str, Any], after: dict[str, Any], where: str
) -> None:
    for path in set(mid) | set(before) | set(after):
        value = mid.get(path)
        if value in (before.get(path), after.get(path)):
            continue
        claimed = path == "ceremony/consumed/ID" and value is not None
        assert claimed and value["state"] == "claimed", f"{where}: half-written {path}: {value}"
        assert value["bundle_digest"] == "DIGEST"


_FINISHED: dict[str, set[str]] = {
    "install": {"applied"},
    "adopt": {"applied"},
    "verify": {"applied"},
    "recover-escrow": {"applied", "released again"},
}


def _assert_refused_or_released_again(prepared: Prepared, where: str) -> None:
    """After success: a replay is refused, unless a recover-escrow key was left to destroy."""
    try:
        result = prepared.apply()
    except VaultError as err:
        assert err.code == "replay", where
        return
    assert prepared.request.operation == "recover-escrow", where
    assert result.status == "released again", where


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_fault_at_every_step(operation: gap.Operation, kind: FaultKind) -> None:
    before, after, steps, done_step = baseline(operation)
    assert steps >= 6
    for step in range(1, steps + 1):
        where = f"{operation}, {kind} at request {step}"
        prepared = prepare(operation)
        double = prepared.dep.double
        try:
            assert prepared.state() == before, where
            double.reset_log()
            double.inject(kind, at_request=step, seconds=60)
            first: VaultError | None = None
            try:
                result = prepared.apply(timeout=1.0 if kind == "delay" else 10.0)
            except VaultError as err:
                first = err
            assert double.faults.fired() == 1, where
            double.clear_faults()
            assert_no_half_state(prepared.state(), before, after, where)
            if step < done_step:  # nothing may claim success before the effect is recorded
                assert first is not None, where
            if first is not None:
                assert first.code in CODES[kind], f"{where}: {first.code}: {first.message}"
                assert "\n" not in first.message and "Traceback" not in first.message
                try:
                    result = prepared.apply()
                    assert result.status in _FINISHED[operation], where
                except VaultError as err:  # the lost answer came after the effect
                    assert err.code == "replay" and first.code in AMBIGUOUS, f"{where}: {err}"
            else:
                assert result.status == "applied", where
                _assert_refused_or_released_again(prepared, where)
            assert prepared.state() == after, where
        finally:
            double.stop()
