"""`ceremony authorize` as a real process, and the payload table it shares with the desktop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony import keys
from ceremony.gap import (
    Operation,
    Registration,
    Request,
    RequestContents,
    SessionCode,
    new_request,
    open_bundle,
    parse_bundle,
    parse_session_code,
    verify_bundle,
)
from ceremony.operations.install import install_payload
from ceremony.secret import Secret
from ceremony.shares import split
from tests.cli import run_authorize, run_ceremony
from tests.vault_support import checktick_email_key, checktick_kek_key

KEK = bytes(range(100, 132))
USER, SURVEY, EMAIL = "42", "s-7", "ann@checktick.test"


@dataclass
class Room:
    component: Secret
    vault: Secret
    shares: list[str]
    tmp: Path
    memory: Path  # memory-only: where a real room keeps its session key

    def registration(self) -> Registration:
        return Registration(
            keys.export_signing_public_key(self.component),
            keys.fingerprints(self.component, self.vault),
        )

    def escrow(self, iterations: int = 200_000) -> RequestContents:
        with keys.xor(self.component, self.vault) as platform:
            p = platform.reveal()
            kek_key = checktick_kek_key(p, USER, SURVEY, iterations)
            email_key = checktick_email_key(p, USER, iterations // 2)
        nonce = bytes(12)
        return RequestContents(
            Secret(self.vault.reveal(), "vault"),
            escrow_path=f"users/{USER}/surveys/{SURVEY}/recovery-kek",
            encrypted_kek=nonce + AESGCM(kek_key).encrypt(nonce, KEK, None),
            encrypted_email=nonce + AESGCM(email_key).encrypt(nonce, EMAIL.encode(), None),
        )

    def request(
        self,
        operation: Operation,
        ttl: timedelta = timedelta(minutes=30),
        session: SessionCode | None = None,
        contents: RequestContents | None = None,
    ) -> tuple[Request, Secret, Path]:
        params = (
            {"user": USER, "survey": SURVEY, "ticket": "T-77"}
            if operation == "recover-escrow"
            else {}
        )
        registration = None if operation in ("install", "adopt") else self.registration()
        request, private = new_request(
            operation,
            params,
            "v1",
            ttl,
            registration=registration,
            session=session,
            contents=contents,
        )
        path = self.tmp / f"{operation}-{request.id[:8]}.request"
        path.write_text(request.file_text())
        return request, private, path


@pytest.fixture
def room(tmp_path: Path, memory_tmp: Path) -> Iterator[Room]:
    with keys.new_component() as component, keys.new_component() as vault:
        yield Room(component, vault, split(component, 2, 3), tmp_path, memory_tmp)


def _stdin(shares: list[str]) -> str:
    return "\n".join(shares) + "\n"


def _session(room: Room) -> tuple[SessionCode, Path]:
    made = run_ceremony("session", "--out", str(room.memory / "room"), "--json")
    assert made.returncode == 0, made.stderr
    summary = json.loads(made.stdout)
    key_file = Path(summary["session_key_file"])
    assert key_file.stat().st_mode & 0o777 == 0o600
    code = parse_session_code(summary["session_code"])
    assert parse_session_code(summary["typed_code"]) == code
    assert summary["check_words"] == list(code.check_words())
    return code, key_file


def test_recover_escrow_in_three_crossings_releases_only_the_kek(room: Room) -> None:
    code, key_file = _session(room)
    request, private, path = room.request("recover-escrow", session=code, contents=room.escrow())
    out = room.tmp / "answer.bundle"
    text_out = room.tmp / "answer.txt"
    fingerprint = keys.fingerprint(room.component, "custodian")
    result = run_authorize(
        "--request",
        str(path),
        "--session-key",
        str(key_file),
        "--out",
        str(out),
        "--text-out",
        str(text_out),
        "--ceremony-id",
        "drill-7",
        "--expect-fingerprint",
        fingerprint.lower(),
        "--json",
        stdin=_stdin([room.shares[2], room.shares[0]]),
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["bundle"] == str(out) and summary["operation"] == "recover-escrow"
    assert (summary["user"], summary["survey"], summary["email"], summary["ticket"]) == (
        USER,
        SURVEY,
        EMAIL,
        "T-77",
    )
    assert summary["request_id"] == request.id
    assert summary["check_words"] == list(request.check_words())
    assert summary["fingerprints"] == keys.fingerprints(room.component, room.vault)
    assert not key_file.exists()  # the session key is wiped once used
    assert out.stat().st_mode & 0o777 == 0o600
    bundle = parse_bundle(out.read_bytes())
    assert parse_bundle(text_out.read_text()) == bundle
    assert summary["digest"] == __import__("hashlib").sha256(out.read_bytes()).hexdigest()
    verify_bundle(bundle, request, keys.export_signing_public_key(room.component))
    assert open_bundle(bundle, private) == {"payload_version": 2, "kek": KEK.hex()}
    assert bundle.header.ceremony_id == "drill-7"
    for secret in (room.component.reveal().hex(), room.vault.reveal().hex()):
        assert secret not in out.read_bytes().hex() + result.stdout + result.stderr
    for share in room.shares:
        assert share not in result.stdout + result.stderr


def test_authorize_verify_from_a_typed_code_carries_no_key_half(room: Room) -> None:
    request, private, _ = room.request("verify")
    out = room.tmp / "verify.bundle"
    result = run_authorize(
        "--request",
        request.typed_code().lower(),
        "--out",
        str(out),
        stdin=_stdin(room.shares[:2]),
    )
    assert result.returncode == 0, result.stderr
    assert " ".join(request.check_words()) in result.stderr
    assert "Recovery drill" in result.stderr
    assert "Bundle written to" in result.stdout
    bundle = parse_bundle(out.read_bytes())
    verify_bundle(bundle, request, keys.export_signing_public_key(room.component))
    payload = open_bundle(bundle, private)
    assert set(payload) == {"payload_version", "attestation"}
    assert payload["attestation"]["export_key_check"] == keys.export_key_check_of(room.component)
    assert payload["attestation"]["request_id"] == request.id
    assert room.component.reveal().hex() not in json.dumps(payload)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("install", "genesis"),
        ("wrong fingerprint", "differs from the fingerprint"),
        ("expired", "expired"),
        ("no shares", "No shares"),
        ("one share", "share"),
        ("exists", "already exists"),
        ("garbage", "Group 2 contains '!'"),
    ],
)
def test_authorize_refusals_are_one_line_and_write_nothing(
    room: Room, case: str, message: str
) -> None:
    operation: Operation = "install" if case == "install" else "verify"
    ttl = timedelta(seconds=1) if case == "expired" else timedelta(minutes=30)
    _, _, path = room.request(operation, ttl)
    if case == "expired":
        stale = new_request(
            "verify",
            {},
            "v1",
            ttl,
            now=datetime.now(UTC) - timedelta(hours=1),
            registration=room.registration(),
        )
        path.write_text(stale[0].file_text())
    out = room.tmp / "refused.bundle"
    if case == "exists":
        out.write_bytes(b"keep me")
    args = ["--request", "not a code!" if case == "garbage" else str(path)]
    args += ["--out", str(out)]
    if case == "wrong fingerprint":
        args += ["--expect-fingerprint", "0000-0000-0000"]
    shares = {"no shares": [], "one share": room.shares[:1]}.get(case, room.shares[:2])
    result = run_authorize(*args, stdin=_stdin(shares) if shares else "")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()[-1]) > 10
    if case == "exists":
        assert out.read_bytes() == b"keep me"
    else:
        assert not out.exists()


def test_payload_table(room: Room) -> None:
    with keys.new_component() as vault:
        genesis = install_payload(vault, "slip39", 2, 3)
        assert genesis["vault_component"] == vault.reveal().hex()
    assert set(genesis) == {
        "payload_version",
        "vault_component",
        "share_scheme",
        "threshold",
        "count",
    }
    assert (genesis["share_scheme"], genesis["threshold"], genesis["count"]) == ("slip39", 2, 3)
    assert room.component.reveal().hex() not in json.dumps(genesis)
