"""Shared pieces for the ``ceremony vault`` tests: a prepared double, keys, bundles, escrow.

The offline side is played with the library the desktop app and ``ceremony
authorize`` use (``ceremony.authorize`` and ``ceremony.gap``). The CheckTick
escrow is written here from the derivation in DESIGN.md, independently of
``ceremony.vaultops.escrow``, so the two implementations check each other.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony import gap, keys
from ceremony.authorize import authorize, install_payload
from ceremony.secret import Secret
from ceremony.vaultops import POLICY_NAME, VaultClient, VaultConfig, connect, setup
from ceremony.vaultops.requesting import create_request
from tests.vault_double import VaultDouble

CEREMONY_ID = "20260314-TEST01"
USER, SURVEY = "42", "climate-2026"
TTL = timedelta(minutes=30)


def seeded(label: str) -> bytes:
    return hashlib.sha512(label.encode()).digest()


@dataclass
class Keys:
    """Both components of one deployment (the offline side knows them at genesis)."""

    custodian: Secret
    vault: Secret

    @classmethod
    def make(cls, label: str = "deployment") -> Keys:
        return cls(Secret(seeded(label + "/custodian")), Secret(seeded(label + "/vault")))

    def platform(self) -> bytes:
        return bytes(
            a ^ b for a, b in zip(self.custodian.reveal(), self.vault.reveal(), strict=True)
        )

    def fingerprints(self) -> dict[str, str]:
        return keys.fingerprints(self.custodian, self.vault)


@dataclass
class Deployment:
    double: VaultDouble
    keys: Keys
    token: str  # holds only the ceremony policy

    def client(self, timeout: float = 10.0, token: str | None = None) -> VaultClient:
        return connect(VaultConfig(self.double.url, token=token or self.token, timeout=timeout))

    def env(self) -> dict[str, str]:
        return {"VAULT_ADDR": self.double.url, "VAULT_TOKEN": self.token}

    def request(self, operation: gap.Operation, **params: str) -> gap.Request:
        return create_request(self.client(), operation, params, TTL)

    def install_bundle(self, request: gap.Request) -> bytes:
        """What a genesis ceremony seals in answer to an install request."""
        payload = install_payload(self.keys.custodian, self.keys.vault, "slip39", 2, 3)
        bundle = gap.seal_bundle(
            request, payload, self.keys.custodian, CEREMONY_ID, self.keys.fingerprints()
        )
        return bundle.to_bytes()

    def authorize_bundle(self, request: gap.Request, custodian: Secret | None = None) -> bytes:
        """What ``ceremony authorize`` seals from the rebuilt custodian component."""
        return authorize(request, custodian or self.keys.custodian, CEREMONY_ID).to_bytes()

    def bundle_for(self, request: gap.Request) -> bytes:
        if request.operation == "install":
            return self.install_bundle(request)
        return self.authorize_bundle(request)

    def snapshot(self) -> dict[str, Any]:
        return dict(self.double.kv.snapshot())


def start_deployment(label: str = "deployment") -> Deployment:
    double = VaultDouble("root-token").start()
    root = connect(VaultConfig(double.url, token="root-token"))
    setup(root)
    token = double.create_token([POLICY_NAME])
    return Deployment(double, Keys.make(label), token)


@pytest.fixture
def deployment() -> Iterator[Deployment]:
    dep = start_deployment()
    try:
        yield dep
    finally:
        dep.double.stop()


# -- CheckTick's escrow, written the way its server writes it ----------------------


def checktick_kek_key(platform: bytes, user: str, survey: str, iterations: int) -> bytes:
    user_key = hashlib.pbkdf2_hmac(
        "sha256", platform, f"checktick-user-recovery-{user}".encode(), iterations, 32
    )
    salt = f"users/{user}/surveys/{survey}/recovery-kek".encode()
    return hashlib.pbkdf2_hmac("sha256", user_key, salt, iterations, 32)


def write_escrow(
    dep: Deployment, kek: bytes, user: str = USER, survey: str = SURVEY, iterations: int = 200_000
) -> None:
    key = checktick_kek_key(dep.keys.platform(), user, survey, iterations)
    nonce = hashlib.sha256(b"nonce" + kek).digest()[:12]
    record = {
        "encrypted_kek": (nonce + AESGCM(key).encrypt(nonce, kek, None)).hex(),
        "encrypted_email": "00" * 40,
        "platform_key_version": "1",
        "created_at": datetime(2026, 1, 5, tzinfo=UTC).isoformat(),
        "algorithm": "AES-256-GCM",
        "requires_verification": True,
        "purpose": "ethical-recovery",
        "audit_trail": {"created_by": user, "accessed_by": [], "access_timestamps": []},
    }
    root = connect(VaultConfig(dep.double.url, token="root-token"))
    assert root.create(f"users/{user}/surveys/{survey}/recovery-kek", record, "test escrow")


# -- comparing states across deployments ---------------------------------------------

_VOLATILE = {"run", "attempt", "resumed_at", "host", "user", "private_key", "request"}
_OTHER_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def normalized(state: dict[str, Any], request_id: str, digest: str) -> dict[str, Any]:
    """A state with ids, digests, times and run markers replaced, to compare runs.

    This request's id and bundle digest become ``ID`` and ``DIGEST``; ids and
    digests of earlier requests (set up by the test) become ``OTHER``.
    """
    text = json.dumps(state, sort_keys=True).replace(request_id, "ID").replace(digest, "DIGEST")
    text = _OTHER_ID.sub("OTHER", _TIME.sub("TIME", text))

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: "OTHER" if k == "bundle_digest" and v != "DIGEST" else strip(v)
                for k, v in value.items()
                if k not in _VOLATILE
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return dict(strip(json.loads(text)))
