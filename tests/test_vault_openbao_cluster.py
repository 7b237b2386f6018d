"""One approval, one key, on a 3-node OpenBao Raft cluster: racing applies over every node,
and the leader killed in the middle of an apply."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import hvac
import pytest

from ceremony import gap
from ceremony.errors import VaultError
from ceremony.vaultops import (
    VaultConfig,
    apply_bundle,
    connect,
)
from tests.openbao_cluster import Cluster, cluster_deployment
from tests.vault_support import ADMIN_ID, SURVEY, USER, write_escrow

pytestmark = pytest.mark.slow

KEK = bytes(range(64, 96))
CEREMONY = Path(sys.executable).parent / "ceremony"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    started = Cluster(3).start()
    try:
        yield started
    finally:
        started.stop()


def _released(cluster: Cluster, request_id: str) -> int:
    node = cluster.leader() or cluster.nodes[0]
    client = cluster.client(node)
    count, n = 0, 1
    while True:
        try:
            attempt = client.secrets.kv.v2.read_secret_version(
                f"ceremony/releases/{request_id}/attempt-{n}",
                mount_point="secret",
                raise_on_deleted_version=True,
            )
        except hvac.exceptions.InvalidPath:
            return count
        assert attempt
        try:
            outcome = client.secrets.kv.v2.read_secret_version(
                f"ceremony/releases/{request_id}/outcome-{n}",
                mount_point="secret",
                raise_on_deleted_version=True,
            )["data"]["data"]
        except hvac.exceptions.InvalidPath:
            outcome = {}
        count += outcome.get("state") == "released"
        n += 1


def _escrow_trail(cluster: Cluster) -> dict[str, Any]:
    client = cluster.client(cluster.leader() or cluster.nodes[0])
    data = client.secrets.kv.v2.read_secret_version(
        f"users/{USER}/surveys/{SURVEY}/recovery-kek",
        mount_point="secret",
        raise_on_deleted_version=True,
    )["data"]["data"]
    return dict(data["audit_trail"])


def test_applies_spread_over_every_node_release_one_token(cluster: Cluster) -> None:
    dep = cluster_deployment(cluster, "spread")
    dep.install()
    write_escrow(dep, KEK, iterations=1000)
    request = dep.request("recover-escrow", user=USER, survey=SURVEY)
    bundle = dep.authorize_bundle(request)
    n = 12
    barrier = threading.Barrier(n)

    def run(i: int) -> str:
        node = cluster.nodes[i % 3]
        client = connect(VaultConfig(node.url, token=dep.token, timeout=30))
        barrier.wait()
        try:
            result = apply_bundle(client, bundle, wait=30)
        except VaultError as err:
            return f"refused:{err.code}:{err.message}"
        return f"ok:{result.wrapping_token}"

    with ThreadPoolExecutor(n) as pool:
        outcomes = list(pool.map(run, range(n)))
    tokens = [o.removeprefix("ok:") for o in outcomes if o.startswith("ok:")]
    assert len(tokens) == 1, outcomes
    for refused in (o for o in outcomes if not o.startswith("ok:")):
        assert refused.split(":")[1] in {"replay", "in-progress", "unknown-request"}, refused
    assert _released(cluster, request.id) == 1
    root = cluster.client(cluster.leader() or cluster.nodes[0])
    assert root.sys.unwrap(tokens[0])["data"]["kek"] == KEK.hex()
    assert _escrow_trail(cluster)["accessed_by"] == [ADMIN_ID]


def _apply_process(url: str, token: str, bundle: Path, wait: str = "2s") -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
    env.update(VAULT_ADDR=url, VAULT_TOKEN=token, VAULT_TIMEOUT="5")
    return subprocess.Popen(
        [str(CEREMONY), "vault", "apply", str(bundle), "--json", "--wait-for-other", wait],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_killing_the_leader_mid_apply_leaves_one_release_or_a_usable_request(
    cluster: Cluster, tmp_path: Path
) -> None:
    dep = cluster_deployment(cluster, "failover")
    dep.install()
    write_escrow(dep, KEK, iterations=1000)
    request = dep.request("recover-escrow", user=USER, survey=SURVEY)
    path = tmp_path / "bundle.ctb"
    path.write_bytes(dep.authorize_bundle(request))
    leader = cluster.leader()
    assert leader is not None
    follower = next(n for n in cluster.nodes if n is not leader)
    watcher = cluster.client(follower)
    procs = [_apply_process(leader.url, dep.token, path) for _ in range(3)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill the leader once a release has started
        try:
            watcher.secrets.kv.v2.read_secret_version(
                f"ceremony/releases/{request.id}/attempt-1",
                mount_point="secret",
                raise_on_deleted_version=True,
            )
            break
        except hvac.exceptions.InvalidPath:
            time.sleep(0.01)
    cluster.kill(leader)
    tokens: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        if proc.returncode == 0:
            tokens.append(json.loads(out)["wrapping_token"])
        else:
            line = err.decode().strip()
            assert line.startswith("ceremony: ") and "\n" not in line, line
    assert len(tokens) <= 1
    survivor = cluster.wait_for_new_leader()
    released_before = _released(cluster, request.id)
    assert released_before <= 1 and len(tokens) <= released_before
    retry_tokens: list[str] = []
    if released_before == 1 and not tokens:
        # "released" landed as the leader died, unconfirmed and never shown: only an
        # administrator's --release-again (which revokes the unseen token) gets it out
        admin = connect(VaultConfig(survivor.url, token=cluster.root_token, timeout=30))
        again = apply_bundle(admin, path.read_bytes(), release_again=True)
        assert again.status == "released again" and again.wrapping_token
        retry_tokens.append(again.wrapping_token)
    deadline = time.monotonic() + 120
    while not retry_tokens and time.monotonic() < deadline:  # a plain retry on a survivor
        proc = _apply_process(survivor.url, dep.token, path)
        out, err = proc.communicate(timeout=120)
        if proc.returncode == 0:
            retry_tokens.append(json.loads(out)["wrapping_token"])
            break
        if "already applied" in err.decode():
            break
        time.sleep(1)
    assert len(tokens) + len(retry_tokens) == 1, (tokens, retry_tokens)
    assert _released(cluster, request.id) == 1 + (released_before == 1 and not tokens)
    root = cluster.client(survivor)
    assert root.sys.unwrap((tokens + retry_tokens)[0])["data"]["kek"] == KEK.hex()
    assert _escrow_trail(cluster)["accessed_by"] == [ADMIN_ID] * _released(cluster, request.id)
    gap.parse_bundle(path.read_bytes())  # the bundle itself is untouched
