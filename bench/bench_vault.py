"""Protocol v2 end to end: apply against the Vault double, one OpenBao node and a 3-node
OpenBao Raft cluster; 8 and 32 concurrent applies of one recover-escrow bundle (the
outcomes counted); and the room's recover-escrow.

Each apply gets a fresh request and bundle (not timed). The room-side
recover-escrow (open the request, rebuild the platform key, CheckTick's three
PBKDF2 chains, decrypt KEK and e-mail, seal) is compared with CheckTick's own
recovery path, which runs the same chains: its KEK derivation and its
``verify_user_identity_email`` check, written here from docs/design.md ("CheckTick compatibility").
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony import gap
from ceremony.errors import VaultError
from ceremony.operations.recover_escrow import RULES as RECOVER_ESCROW
from ceremony.operations.table import Room
from ceremony.vaultops import VaultConfig, apply_bundle, connect
from ceremony.vaultops.paths import MASTER_KEY
from tests.openbao_cluster import Cluster, cluster_deployment
from tests.openbao_support import OpenBao
from tests.vault_support import (
    SURVEY,
    USER,
    Deployment,
    checktick_email_key,
    checktick_kek_key,
    start_deployment,
    write_escrow,
)

ROUNDS = 5
RATIO_ROUNDS = 11
ITERATIONS = 200_000


def _prepared(operation: gap.Operation) -> tuple[Deployment, bytes]:
    dep = start_deployment()
    if operation == "adopt":
        record = {"vault_component": dep.keys.vault.reveal().hex(), "key_size": 512}
        dep.client(token="root-token").create(MASTER_KEY, record, "bench")
    elif operation != "install":
        dep.install()
    if operation in ("adopt", "recover-escrow"):
        write_escrow(dep, bytes(32), iterations=ITERATIONS)
    params = {"user": USER, "survey": SURVEY} if operation == "recover-escrow" else {}
    return dep, dep.bundle_for(dep.request(operation, **params))


def _measure_apply(operation: gap.Operation) -> tuple[float, int]:
    times, counts = [], []
    for _ in range(ROUNDS):
        dep, bundle = _prepared(operation)
        try:
            dep.double.reset_log()
            start = time.perf_counter()
            dep.apply(bundle)
            times.append(time.perf_counter() - start)
            counts.append(dep.double.request_count)
        finally:
            dep.double.stop()
    return statistics.median(times), max(counts)


def _room_and_checktick() -> tuple[float, float, float]:
    """Median seconds of the room's whole recover-escrow and of CheckTick's same three chains,
    and the median of the per-round ratios. The two alternate which goes first, so a busy
    moment of a shared machine falls on both alike."""
    dep = start_deployment()
    try:
        dep.install()
        write_escrow(dep, bytes(32), iterations=ITERATIONS)
        platform = dep.keys.platform()
        root = dep.client(token="root-token")
        stored = root.read(f"users/{USER}/surveys/{SURVEY}/recovery-kek", "bench")
        assert stored is not None
        encrypted_kek = bytes.fromhex(stored.data["encrypted_kek"])
        encrypted_email = bytes.fromhex(stored.data["encrypted_email"])

        def room_once() -> float:
            request = dep.request("recover-escrow", user=USER, survey=SURVEY)
            session = dep.sessions[request.id]
            start = time.perf_counter()
            review = RECOVER_ESCROW.review(request, dep.keys.custodian, session)
            assert request.sealed is not None
            room = Room(request.rehearsal, session_public_key=request.sealed.session_public_key)
            RECOVER_ESCROW.seal(review, request, dep.keys.custodian, "bench", room, "slip39")
            elapsed = time.perf_counter() - start
            review.wipe()
            return elapsed

        def checktick_once() -> float:
            start = time.perf_counter()
            kek_key = checktick_kek_key(platform, USER, SURVEY, ITERATIONS)
            AESGCM(kek_key).decrypt(encrypted_kek[:12], encrypted_kek[12:], None)
            email_key = checktick_email_key(platform, USER, ITERATIONS // 2)
            AESGCM(email_key).decrypt(encrypted_email[:12], encrypted_email[12:], None)
            return time.perf_counter() - start

        room, reference, ratios = [], [], []
        for n in range(RATIO_ROUNDS):
            if n % 2:
                theirs, ours = checktick_once(), room_once()
            else:
                ours, theirs = room_once(), checktick_once()
            room.append(ours)
            reference.append(theirs)
            ratios.append(ours / theirs)
        return statistics.median(room), statistics.median(reference), statistics.median(ratios)
    finally:
        dep.double.stop()


CONCURRENT = (8, 32)
LATENCY_ROUNDS = 7


def _recover_ready(dep: Deployment) -> bytes:
    return dep.authorize_bundle(dep.request("recover-escrow", user=USER, survey=SURVEY))


def _latency(make: Callable[[str], Deployment], label: str) -> dict[str, Any]:
    """Median wall time of one recover-escrow apply (fresh request each round)."""
    times = []
    for n in range(LATENCY_ROUNDS):
        dep = make(f"latency-{n}")
        try:
            bundle = _recover_ready(dep)
            start = time.perf_counter()
            dep.apply(bundle)
            times.append(time.perf_counter() - start)
        finally:
            dep.double.stop()
    return {
        "name": f"apply recover-escrow, {label}",
        "value": statistics.median(times) * 1000,
        "unit": "ms",
        "note": f"median of {LATENCY_ROUNDS}",
    }


def _race(dep: Deployment, n: int, urls: list[str]) -> Counter[str]:
    """n threads apply one recover-escrow bundle at once, spread over ``urls``."""
    bundle = _recover_ready(dep)
    barrier = threading.Barrier(n)

    def one(i: int) -> str:
        client = connect(VaultConfig(urls[i % len(urls)], token=dep.token, timeout=60))
        barrier.wait()
        try:
            return "token" if apply_bundle(client, bundle, wait=30).wrapping_token else "none"
        except VaultError as err:
            return f"refused ({err.code})"

    with ThreadPoolExecutor(n) as pool:
        return Counter(pool.map(one, range(n)))


def _race_rows(
    make: Callable[[str], Deployment], label: str, urls: Callable[[], list[str]]
) -> list[dict[str, Any]]:
    rows = []
    for n in CONCURRENT:
        dep = make(f"race-{n}")
        counts = hasattr(dep.double, "live_wrapping_tokens")
        try:
            before = dep.double.live_wrapping_tokens() if counts else 0
            outcome = _race(dep, n, urls() or [dep.double.url])
            live = dep.double.live_wrapping_tokens() - before if counts else None
        finally:
            dep.double.stop()
        refused = ", ".join(f"{v} {k}" for k, v in sorted(outcome.items()) if k != "token")
        live_note = f"; wrapping tokens made and still live: {live}" if live is not None else ""
        rows.append(
            {
                "name": f"{n} concurrent applies of one recover-escrow bundle, {label}",
                "value": outcome["token"],
                "unit": "tokens",
                "kind": "counted",
                "note": f"tokens shown (must be 1); the others: {refused}{live_note}",
            }
        )
    return rows


def _online_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def on_double(label: str) -> Deployment:
        dep = start_deployment(label)
        dep.install()
        write_escrow(dep, bytes(32), iterations=1000)
        return dep

    rows.append(_latency(on_double, "Vault double"))
    rows += _race_rows(on_double, "Vault double", list)
    server = OpenBao().start()
    try:

        def on_bao(label: str) -> Deployment:
            dep = start_deployment(label, server=server)
            dep.install()
            write_escrow(dep, bytes(32), iterations=1000)
            return dep

        rows.append(_latency(on_bao, "one OpenBao node"))
        rows += _race_rows(on_bao, "one OpenBao node", list)
    finally:
        server.stop()
    cluster = Cluster(3).start()
    try:

        def on_cluster(label: str) -> Deployment:
            dep = cluster_deployment(cluster, label)
            dep.install()
            write_escrow(dep, bytes(32), iterations=1000)
            return dep

        rows.append(_latency(on_cluster, "3-node OpenBao Raft cluster, on the leader"))
        rows += _race_rows(
            on_cluster,
            "3-node OpenBao Raft cluster, spread over the nodes",
            lambda: [node.url for node in cluster.nodes],
        )
    finally:
        cluster.stop()
    return rows


def run() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = _online_rows()
    for operation in gap.OPERATIONS:
        seconds, requests = _measure_apply(operation)
        rows.append(
            {
                "name": f"apply {operation}: HTTP requests",
                "value": requests,
                "unit": "requests",
                "kind": "counted",
                "note": "fewer is better",
            }
        )
        rows.append({"name": f"apply {operation}", "value": seconds * 1000, "unit": "ms"})
    room, reference, ratio = _room_and_checktick()
    rows += [
        {
            "name": "room recover-escrow (open, 3 PBKDF2 chains, decrypt, seal)",
            "value": room * 1000,
            "unit": "ms",
            "note": "2 x 200 000 + 100 000 iterations",
        },
        {
            "name": "CheckTick's recovery path, same chains",
            "value": reference * 1000,
            "unit": "ms",
            "note": "KEK + verify_user_identity_email",
        },
        {
            "name": "room / CheckTick",
            "value": ratio,
            "unit": "x",
            "note": "median of 11 alternating rounds; target at most 1.2",
        },
    ]
    return rows
