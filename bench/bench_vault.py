"""`ceremony vault apply` against the Vault double: HTTP requests made and time per apply.

Each apply gets a fresh request and bundle (not timed). recover-escrow is timed
with CheckTick's PBKDF2 cost (2 x 200 000 iterations) and without it (1
iteration each), to show how much of an apply is CheckTick's derivation.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from typing import Any

from ceremony import gap
from ceremony.vaultops import CHECKTICK_PBKDF2_ITERATIONS, apply_bundle
from ceremony.vaultops.paths import MASTER_KEY
from tests.vault_support import SURVEY, USER, Deployment, start_deployment, write_escrow

ROUNDS = 5


def _prepared(operation: gap.Operation, iterations: int) -> tuple[Deployment, bytes]:
    dep = start_deployment()
    if operation == "adopt":
        record = {"vault_component": dep.keys.vault.reveal().hex(), "key_size": 512}
        dep.client(token="root-token").create(MASTER_KEY, record, "bench")
    elif operation != "install":
        apply_bundle(dep.client(), dep.install_bundle(dep.request("install")))
    params = {"user": USER, "survey": SURVEY} if operation == "recover-escrow" else {}
    if params:
        write_escrow(dep, bytes(32), iterations=iterations)
    return dep, dep.bundle_for(dep.request(operation, **params))


def _measure(operation: gap.Operation, iterations: int) -> tuple[float, int]:
    times, counts = [], []
    for _ in range(ROUNDS):
        dep, bundle = _prepared(operation, iterations)
        try:
            client = dep.client()
            dep.double.reset_log()
            start = time.perf_counter()
            apply_bundle(client, bundle, pbkdf2_iterations=iterations)
            times.append(time.perf_counter() - start)
            counts.append(dep.double.request_count)
        finally:
            dep.double.stop()
    return statistics.median(times), max(counts)


def run() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for operation in gap.OPERATIONS:
        seconds, requests = _measure(operation, CHECKTICK_PBKDF2_ITERATIONS)
        note = "with CheckTick's PBKDF2 (2 x 200 000)" if operation == "recover-escrow" else ""
        rows.append(
            {
                "name": f"apply {operation}: HTTP requests",
                "value": requests,
                "unit": "requests",
                "note": "fewer is better",
            }
        )
        rows.append(
            {"name": f"apply {operation}", "value": seconds * 1000, "unit": "ms", "note": note}
        )
    seconds, _ = _measure("recover-escrow", 1)
    rows.append(
        {
            "name": "apply recover-escrow without PBKDF2 cost",
            "value": seconds * 1000,
            "unit": "ms",
            "note": "1 iteration per derivation",
        }
    )
    start = time.perf_counter()
    user_key = hashlib.pbkdf2_hmac("sha256", bytes(64), b"salt", CHECKTICK_PBKDF2_ITERATIONS, 32)
    hashlib.pbkdf2_hmac("sha256", user_key, b"salt", CHECKTICK_PBKDF2_ITERATIONS, 32)
    rows.append(
        {
            "name": "CheckTick KEK key derivation alone",
            "value": (time.perf_counter() - start) * 1000,
            "unit": "ms",
            "note": "2 x PBKDF2-HMAC-SHA256",
        }
    )
    return rows
