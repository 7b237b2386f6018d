"""Shared pieces for the ``ceremony vault`` tests: a prepared double, keys, bundles, escrow.

The offline side is played with the library the desktop app and ``ceremony
authorize`` use (``ceremony.operations.authorize`` and ``ceremony.gap``), including the
room's session key for recover-escrow and adopt. The CheckTick escrow is
written here from the derivation in docs/design.md ("CheckTick compatibility"), independently of
``ceremony.operations.escrow``, so the two implementations check each other.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony import gap, keys
from ceremony.operations.adopt import Adopt
from ceremony.operations.install import install_payload
from ceremony.operations.recover_escrow import RecoverEscrow
from ceremony.operations.table import Room, RoomOperation, operation
from ceremony.secret import Secret
from ceremony.vaultops import (
    INSTALL_POLICY_NAME,
    POLICY_NAME,
    VaultClient,
    VaultConfig,
    apply_bundle,
    connect,
    setup,
)
from ceremony.vaultops.apply import ApplyResult
from ceremony.vaultops.requesting import create_request
from tests.openbao_support import OpenBao
from tests.vault_double import VaultDouble

BACKENDS = ("double", "openbao")  # the conformance suite runs on both

CEREMONY_ID = "20260314-TEST01"
USER, SURVEY = "42", "climate-2026"
EMAIL = "ann.example@checktick.test"
ADMIN_ID = 7
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


class SharedOpenBao:
    """The session's OpenBao seen as one deployment's server: stop() leaves it running."""

    def __init__(self, server: OpenBao) -> None:
        self.server = server
        self.url = server.url
        self.root_token = server.root_token

    def create_token(self, policies: list[str], ttl: int = 3600) -> str:
        return self.server.create_token(policies, ttl)

    @property
    def kv(self) -> Any:
        return self.server.kv

    def live_wrapping_tokens(self) -> int:
        return self.server.live_wrapping_tokens()

    def add_approle(self, name: str, role_id: str, secret_id: str, policies: list[str]) -> None:
        self.server.add_approle(name, role_id, secret_id, policies)

    def stop(self) -> None:
        """Nothing: the next deployment resets the shared server."""


@dataclass
class Deployment:
    double: Any  # VaultDouble, or SharedOpenBao for the real server
    keys: Keys
    token: str  # holds only the operator policy
    install_token: str = ""  # holds only the install policy
    rehearsal: bool = False
    iterations: int = 200_000  # PBKDF2 of the escrow this deployment wrote (fewer in fast tests)
    sessions: dict[str, Secret] = field(default_factory=dict)  # request id -> room session key

    def client(self, timeout: float = 10.0, token: str | None = None) -> VaultClient:
        return connect(VaultConfig(self.double.url, token=token or self.token, timeout=timeout))

    def installer(self) -> VaultClient:
        return self.client(token=self.install_token)

    def env(self) -> dict[str, str]:
        return {"VAULT_ADDR": self.double.url, "VAULT_TOKEN": self.token}

    def install_env(self) -> dict[str, str]:
        return {"VAULT_ADDR": self.double.url, "VAULT_TOKEN": self.install_token}

    def request(self, operation: gap.Operation, **params: str) -> gap.Request:
        """A request as the online side makes it; the room's session key is kept for answering."""
        registering = operation in gap.REGISTERING_OPERATIONS
        client = self.installer() if registering else self.client()
        if operation not in gap.SESSION_OPERATIONS:
            return create_request(client, operation, params, TTL)
        code, private = gap.new_session()
        request = create_request(
            client,
            operation,
            params,
            TTL,
            session=code,
            admin_id=ADMIN_ID if operation == "recover-escrow" else None,
        )
        self.sessions[request.id] = private
        return request

    def install_bundle(self, request: gap.Request) -> bytes:
        """What a genesis ceremony seals in answer to an install request."""
        payload = install_payload(self.keys.vault, "slip39", 2, 3)
        bundle = gap.seal_bundle(
            request,
            payload,
            self.keys.custodian,
            CEREMONY_ID,
            self.keys.fingerprints(),
            rehearsal=self.rehearsal,
        )
        return bundle.to_bytes()

    def authorize_bundle(self, request: gap.Request, custodian: Secret | None = None) -> bytes:
        """What the room seals from the rebuilt custodian component."""
        component = custodian or self.keys.custodian
        session = self.sessions.get(request.id)
        room = Room(
            rehearsal=request.rehearsal,
            session_public_key=request.sealed.session_public_key if request.sealed else None,
        )
        rules: RoomOperation = operation(request.operation)
        if request.operation == "recover-escrow":  # this escrow's PBKDF2 cost
            rules = RecoverEscrow(self.iterations, self.iterations // 2)
        elif request.operation == "adopt":
            rules = Adopt(self.iterations, self.iterations // 2)
        review = rules.review(request, component, session)
        try:
            return rules.seal(review, request, component, CEREMONY_ID, room, "checktick").to_bytes()
        finally:
            review.wipe()

    def bundle_for(self, request: gap.Request) -> bytes:
        if request.operation == "install":
            return self.install_bundle(request)
        return self.authorize_bundle(request)

    def export_key_check(self) -> str:
        return keys.export_key_check_of(self.keys.custodian)

    def apply(self, bundle: bytes, timeout: float = 10.0, **kwargs: Any) -> ApplyResult:
        """Apply as the right operator would: install and adopt with the install policy and code."""
        parsed = gap.parse_bundle(bundle)
        if parsed.operation in gap.REGISTERING_OPERATIONS:
            kwargs.setdefault("expect_export_key", self.export_key_check())
            return apply_bundle(self.client(timeout, self.install_token), bundle, **kwargs)
        return apply_bundle(self.client(timeout), bundle, **kwargs)

    def install(self) -> ApplyResult:
        return self.apply(self.install_bundle(self.request("install")))

    def snapshot(self) -> dict[str, Any]:
        return dict(self.double.kv.snapshot())


def start_deployment(
    label: str = "deployment", rehearsal: bool = False, server: OpenBao | None = None
) -> Deployment:
    """A prepared Vault: the double (fresh), or the session's OpenBao (reset)."""
    double: Any
    if server is None:
        double = VaultDouble("root-token").start()
    else:
        server.reset()
        double = SharedOpenBao(server)
    root = connect(VaultConfig(double.url, token="root-token"))
    setup(root, rehearsal=rehearsal)
    token = double.create_token([POLICY_NAME])
    install_token = double.create_token([INSTALL_POLICY_NAME])
    return Deployment(double, Keys.make(label), token, install_token, rehearsal)


@pytest.fixture(params=BACKENDS)
def deployment(request: pytest.FixtureRequest) -> Iterator[Deployment]:
    """The conformance suite's deployment: once on the double, once on OpenBao."""
    server = request.getfixturevalue("openbao_server") if request.param == "openbao" else None
    dep = start_deployment(server=server)
    try:
        yield dep
    finally:
        dep.double.stop()


@pytest.fixture
def double_deployment() -> Iterator[Deployment]:
    """The double only: for what a real server cannot do on demand (faults, lost answers)."""
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


def checktick_email_key(platform: bytes, user: str, iterations: int) -> bytes:
    salt = f"email-verification-{user}".encode()
    return hashlib.pbkdf2_hmac("sha256", platform[:32], salt, iterations, 32)


def write_escrow(
    dep: Deployment,
    kek: bytes,
    user: str = USER,
    survey: str = SURVEY,
    iterations: int = 200_000,
    email: str = EMAIL,
) -> None:
    """An escrow as CheckTick writes it (its email key uses half the KEK iterations)."""
    dep.iterations = iterations
    key = checktick_kek_key(dep.keys.platform(), user, survey, iterations)
    nonce = hashlib.sha256(b"nonce" + kek).digest()[:12]
    email_key = checktick_email_key(dep.keys.platform(), user, iterations // 2)
    email_nonce = hashlib.sha256(b"email nonce" + kek).digest()[:12]
    record = {
        "encrypted_kek": (nonce + AESGCM(key).encrypt(nonce, kek, None)).hex(),
        "encrypted_email": (
            email_nonce + AESGCM(email_key).encrypt(email_nonce, email.encode(), None)
        ).hex(),
        "platform_key_version": "v1",
        "created_at": datetime(2026, 1, 5, tzinfo=UTC).isoformat(),
        "algorithm": "AES-256-GCM",
        "requires_verification": True,
        "purpose": "ethical-recovery",
        "audit_trail": {"created_by": user, "accessed_by": [], "access_timestamps": []},
    }
    root = connect(VaultConfig(dep.double.url, token="root-token"))
    assert root.create(f"users/{user}/surveys/{survey}/recovery-kek", record, "test escrow")


# -- comparing states across deployments ---------------------------------------------

_VOLATILE = {
    "run",
    "attempt",
    "resumed_at",
    "host",
    "user",
    "private_key",
    "request",
    "bundle",
    "request_key",
    "accessor",
}
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
