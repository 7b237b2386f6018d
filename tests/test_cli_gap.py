"""`ceremony authorize` as a real process, and the payload table it shares with the desktop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ceremony import keys
from ceremony.authorize import authorization_payload, install_payload
from ceremony.errors import GapError
from ceremony.gap import (
    Operation,
    Request,
    new_request,
    open_bundle,
    parse_bundle,
    verify_bundle,
)
from ceremony.secret import Secret
from ceremony.shares import split
from tests.cli import run_ceremony


@dataclass
class Room:
    component: Secret
    shares: list[str]
    tmp: Path

    def request(
        self, operation: Operation, ttl: timedelta = timedelta(minutes=30)
    ) -> tuple[Request, Secret, Path]:
        params = {"user": "42", "survey": "s-7"} if operation == "recover-escrow" else {}
        request, private = new_request(operation, params, "v1", ttl)
        path = self.tmp / f"{operation}-{request.id[:8]}.request"
        path.write_text(request.file_text())
        return request, private, path


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    with keys.new_component() as component:
        yield Room(component, split(component, 2, 3), tmp_path)


def _stdin(shares: list[str]) -> str:
    return "\n".join(shares) + "\n"


def test_authorize_recover_escrow_seals_the_component_for_the_request(room: Room) -> None:
    request, private, path = room.request("recover-escrow")
    out = room.tmp / "answer.bundle"
    text_out = room.tmp / "answer.txt"
    fingerprint = keys.fingerprint(room.component, "custodian")
    result = run_ceremony(
        "authorize",
        "--request",
        str(path),
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
    assert summary["request_id"] == request.id
    assert summary["check_words"] == list(request.check_words())
    assert summary["fingerprints"] == {"custodian": fingerprint}
    assert out.stat().st_mode & 0o777 == 0o600
    bundle = parse_bundle(out.read_bytes())
    assert parse_bundle(text_out.read_text()) == bundle
    assert summary["digest"] == __import__("hashlib").sha256(out.read_bytes()).hexdigest()
    verify_bundle(bundle, request, keys.export_signing_public_key(room.component))
    payload = open_bundle(bundle, private)
    assert payload["custodian_component"] == room.component.reveal().hex()
    assert payload["fingerprints"] == {"custodian": fingerprint}
    assert payload["export_public_key"] == keys.export_signing_public_key(room.component).hex()
    assert bundle.header.ceremony_id == "drill-7"
    for share in room.shares:
        assert share not in result.stdout + result.stderr


def test_authorize_verify_from_a_typed_code_carries_no_key_half(room: Room) -> None:
    request, private, _ = room.request("verify")
    out = room.tmp / "verify.bundle"
    result = run_ceremony(
        "authorize",
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
    assert set(payload) == {"payload_version", "fingerprints", "export_public_key"}
    assert room.component.reveal().hex() not in json.dumps(payload)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("install", "genesis"),
        ("wrong fingerprint", "not the expected 0000-0000-0000"),
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
        stale = new_request("verify", {}, "v1", ttl, now=datetime.now(UTC) - timedelta(hours=1))
        path.write_text(stale[0].file_text())
    out = room.tmp / "refused.bundle"
    if case == "exists":
        out.write_bytes(b"keep me")
    args = ["authorize", "--request", "not a code!" if case == "garbage" else str(path)]
    args += ["--out", str(out)]
    if case == "wrong fingerprint":
        args += ["--expect-fingerprint", "0000-0000-0000"]
    shares = {"no shares": [], "one share": room.shares[:1]}.get(case, room.shares[:2])
    result = run_ceremony(*args, stdin=_stdin(shares) if shares else "")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()[-1]) > 10
    if case == "exists":
        assert out.read_bytes() == b"keep me"
    else:
        assert not out.exists()


def test_payload_table(room: Room) -> None:
    escrow = new_request("recover-escrow", {"user": "1", "survey": "2"}, "v1", timedelta(hours=1))
    payload = authorization_payload(escrow[0], room.component)
    assert payload["custodian_component"] == room.component.reveal().hex()
    adopt = new_request("adopt", {}, "v1", timedelta(hours=1))[0]
    assert "custodian_component" not in authorization_payload(adopt, room.component)
    install = new_request("install", {}, "v1", timedelta(hours=1))[0]
    with pytest.raises(GapError):
        authorization_payload(install, room.component)
    with keys.new_component() as vault:
        genesis = install_payload(room.component, vault, "slip39", 2, 3)
        assert genesis["vault_component"] == vault.reveal().hex()
        assert genesis["fingerprints"] == keys.fingerprints(room.component, vault)
    assert (genesis["share_scheme"], genesis["threshold"], genesis["count"]) == ("slip39", 2, 3)
