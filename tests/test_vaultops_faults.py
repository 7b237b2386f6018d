"""Every fault of the double at every step of `apply`, for every operation.

For each step, a fresh deployment gets the fault at exactly that request of the
apply. The apply must either fail with a one-line VaultError naming the fault,
or (for faults after the effect is recorded) succeed; in between, every path in
Vault holds its value from before or from after a clean apply, except the
recover-escrow release log, which may hold attempts without a release. Once the
fault is gone the same bundle completes, or is refused as already applied when
an answer was lost after the effect landed, and the end state equals that of an
apply without faults: one release, never two.
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
        """The normalized state; the release log summed up as how many releases it holds."""
        snapshot = self.dep.snapshot()
        prefix = f"ceremony/releases/{self.request.id}/"
        log = {k: v for k, v in snapshot.items() if k.startswith(prefix)}
        rest = {k: v for k, v in snapshot.items() if k not in log}
        state = normalized(rest, self.request.id, self.digest)
        state["releases"] = sum(1 for v in log.values() if v.get("state") == "released")
        return state

    def apply(self, timeout: float = 10.0) -> Any:
        return self.dep.apply(self.bundle, timeout, wait=0.3)


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
        done = max(
            r.number
            for r in log
            if r.method == "POST" and ("/audit/" in r.path or "/outcome-" in r.path)
        )
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
        raise AssertionError(f"{where}: half-written {path}: {value}")


def _assert_refused(prepared: Prepared, where: str) -> None:
    """After success a replay is refused; a plain apply never releases twice."""
    with pytest.raises(VaultError) as err:
        prepared.apply()
    assert err.value.code == "replay", where


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
                    assert result.status == "applied", where
                except VaultError as err:  # the lost answer came after the effect
                    assert err.code == "replay" and first.code in AMBIGUOUS, f"{where}: {err}"
            else:
                assert result.status == "applied", where
                _assert_refused(prepared, where)
            end = prepared.state()
            if first is None and result.warnings and operation == "recover-escrow":
                # the key could not be destroyed; it stays while --release-again could use it
                end.pop("ceremony/requests/ID", None)
                assert "destroyed" in result.warnings[0], where
            assert end == after, where
        finally:
            double.stop()
