"""A 3-node OpenBao cluster with integrated storage (Raft) on loopback, for tests and bench.

Node 1 is initialised (one unseal key, for a test) and unsealed; nodes 2 and 3 join
it with `bao operator raft join` and are unsealed; autopilot promotes them to voters.
Every node listens on 127.0.0.1 only, on free ports, and keeps its data in a
temporary folder that is removed when the cluster stops.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import hvac

from ceremony.vaultops import INSTALL_POLICY_NAME, POLICY_NAME, VaultConfig, connect, setup
from tests.openbao_support import bao_binary, free_port, run_bao
from tests.vault_support import Deployment, Keys

__all__ = ["Cluster", "ClusterServer", "Node", "cluster_deployment"]

_CONFIG = """\
storage "raft" {{
  path    = "{data}"
  node_id = "{name}"
}}
listener "tcp" {{
  address         = "127.0.0.1:{port}"
  cluster_address = "127.0.0.1:{cluster_port}"
  tls_disable     = true
}}
api_addr     = "http://127.0.0.1:{port}"
cluster_addr = "http://127.0.0.1:{cluster_port}"
"""


@dataclass
class Node:
    name: str
    port: int
    cluster_port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Cluster:
    def __init__(self, size: int = 3) -> None:
        binary = bao_binary()
        if binary is None:
            raise RuntimeError("bao is not installed: run `make setup` (requirements/test.lock)")
        self.binary = binary
        self.root = Path(tempfile.mkdtemp(prefix="openbao-raft-"))
        self.nodes = [
            Node(f"node{i}", free_port(), free_port(), self.root / f"node{i}")
            for i in range(1, size + 1)
        ]
        self.root_token = ""
        self._unseal_key = ""

    def _env(self, node: Node) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
        env["BAO_ADDR"] = node.url
        if self.root_token:
            env["BAO_TOKEN"] = self.root_token
        return env

    def bao(self, node: Node, *args: str) -> str:
        return run_bao(self.binary, args, self._env(node))

    def _launch(self, node: Node) -> None:
        node.folder.mkdir(parents=True, exist_ok=True)
        config = node.folder.with_suffix(".hcl")
        config.write_text(
            _CONFIG.format(
                data=node.folder, name=node.name, port=node.port, cluster_port=node.cluster_port
            )
        )
        node.process = subprocess.Popen(
            [str(self.binary), "server", f"-config={config}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self._env(node),
            start_new_session=True,
        )
        self.wait(lambda: _answers(node), f"{node.name} to listen")

    def start(self) -> Cluster:
        try:
            for node in self.nodes:
                self._launch(node)
            first = self.nodes[0]
            init = json.loads(
                self.bao(
                    first, "operator", "init", "-key-shares=1", "-key-threshold=1", "-format=json"
                )
            )
            self._unseal_key = str(init["unseal_keys_b64"][0])
            self.root_token = str(init["root_token"])
            self.bao(first, "operator", "unseal", self._unseal_key)
            self.wait(lambda: self.leader() is first, "node1 to lead")
            self.bao(
                first,
                "operator",
                "raft",
                "autopilot",
                "set-config",
                "-server-stabilization-time=1s",
            )
            for node in self.nodes[1:]:
                self.wait(lambda n=node: _joined(self, n, first), f"{node.name} to join")
                self.bao(node, "operator", "unseal", self._unseal_key)
            self.wait(self._all_voters, "every node to become a voter")
            self.bao(first, "secrets", "enable", "-path=secret", "kv-v2")
            self.wait(lambda: _kv_ready(self), "the KV mount to be usable on every node")
        except BaseException:
            self.stop()
            raise
        return self

    def wait(self, ready: object, what: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if callable(ready) and ready():
                    return
            except Exception:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"timed out waiting for {what}")

    def client(self, node: Node, token: str | None = None) -> hvac.Client:
        return hvac.Client(url=node.url, token=token or self.root_token, timeout=10)

    def leader(self) -> Node | None:
        """The active node, as a live node sees it."""
        for node in self.nodes:
            if not node.alive:
                continue
            try:
                status = self.client(node).sys.read_leader_status()
            except Exception:
                continue
            address = str(status.get("leader_address") or "")
            for candidate in self.nodes:
                if candidate.alive and address == candidate.url:
                    return candidate
        return None

    def _all_voters(self) -> bool:
        answer = self.client(self.nodes[0]).adapter.get("/v1/sys/storage/raft/configuration")
        servers = answer["data"]["config"]["servers"]
        return len(servers) == len(self.nodes) and all(s["voter"] for s in servers)

    def kill(self, node: Node) -> None:
        """SIGKILL: the node dies mid-request, as a crashed server would."""
        if node.process is not None and node.alive:
            os.killpg(node.process.pid, signal.SIGKILL)
            node.process.wait(30)

    def wait_for_new_leader(self) -> Node:
        self.wait(lambda: self.leader() is not None, "a new leader", 120)
        leader = self.leader()
        assert leader is not None
        return leader

    def create_token(self, policies: list[str]) -> str:
        node = self.leader() or self.nodes[0]
        args = ["token", "create", "-field=token", *[f"-policy={p}" for p in policies]]
        return self.bao(node, *args).strip()

    def stop(self) -> None:
        for node in self.nodes:
            if node.process is not None:
                if node.alive:
                    os.killpg(node.process.pid, signal.SIGTERM)
                try:
                    node.process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(node.process.pid, signal.SIGKILL)
                    node.process.wait(15)
                node.process = None
        shutil.rmtree(self.root, ignore_errors=True)


def _answers(node: Node) -> bool:
    hvac.Client(url=node.url, timeout=2).sys.read_seal_status()
    return True


def _joined(cluster: Cluster, node: Node, leader: Node) -> bool:
    cluster.bao(node, "operator", "raft", "join", leader.url)
    return True


def _kv_ready(cluster: Cluster) -> bool:
    for node in cluster.nodes:
        client = cluster.client(node)
        client.secrets.kv.v2.create_or_update_secret(
            "probe", secret={"ok": True}, mount_point="secret"
        )
        client.secrets.kv.v2.read_secret_version(
            "probe", mount_point="secret", raise_on_deleted_version=True
        )
    cluster.client(cluster.nodes[0]).secrets.kv.v2.delete_metadata_and_all_versions(
        "probe", mount_point="secret"
    )
    return True


class ClusterServer:
    """The cluster as the deployment helpers see a server: root token, tokens, snapshot."""

    def __init__(self, cluster: Cluster, node_url: str) -> None:
        self.cluster = cluster
        self.url = node_url
        self.root_token = cluster.root_token

    def create_token(self, policies: list[str], ttl: int = 3600) -> str:
        return self.cluster.create_token(policies)

    def stop(self) -> None:
        """The module's fixture stops the cluster."""


def cluster_deployment(cluster: Cluster, label: str) -> Deployment:
    """A fresh deployment on the cluster: its own mount path is the shared secret/, reset."""
    leader = cluster.leader() or cluster.nodes[0]
    root = cluster.client(leader)
    root.sys.disable_secrets_engine("secret")
    root.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    cluster.wait(lambda: _kv_ready(cluster), "the new KV mount on every node")
    server = ClusterServer(cluster, leader.url)
    setup(connect(VaultConfig(leader.url, token=cluster.root_token)))
    dep = Deployment(
        server,
        Keys.make(label),
        cluster.create_token([POLICY_NAME]),
        cluster.create_token([INSTALL_POLICY_NAME]),
    )
    _root_token_for_support(dep, cluster)
    return dep


def _root_token_for_support(dep: Deployment, cluster: Cluster) -> None:
    """write_escrow and the install helpers use the root token "root-token": map it."""
    root = cluster.client(cluster.leader() or cluster.nodes[0])
    try:
        root.auth.token.lookup("root-token")
    except hvac.exceptions.VaultError:
        root.auth.token.create(id="root-token", policies=["root"], no_parent=True)
