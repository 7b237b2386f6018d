"""`ceremony vault ...` as real processes against the double over real HTTP."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import hvac
import pytest
import zxingcpp
from PIL import Image

from ceremony import gap, keys
from ceremony.secret import Secret
from ceremony.shares import combine
from ceremony.vaultops.paths import MASTER_KEY
from tests.cli import run_authorize, run_ceremony
from tests.openbao_support import openbao_server
from tests.vault_double import VaultDouble
from tests.vault_support import (
    EMAIL,
    SURVEY,
    USER,
    Deployment,
    Keys,
    deployment,
    double_deployment,
    start_deployment,
    write_escrow,
)

__all__ = ["deployment", "double_deployment", "openbao_server"]

KEK = bytes.fromhex("5a" * 32)


def vault(dep: Deployment, *args: str, env: dict[str, str] | None = None, stdin: str = "") -> Any:
    return run_ceremony("vault", *args, env={**dep.env(), **(env or {})}, stdin=stdin)


def ok_json(result: Any) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def one_line_error(result: Any) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line: str = lines[0]
    assert line.startswith("ceremony: ")
    return line


def authorize(request_code: str, shares: list[str], out: Path, *extra: str) -> dict[str, Any]:
    """The room's answer to the practice Vault: a rehearsal (a real room refuses its requests)."""
    result = run_authorize(
        "--rehearsal",
        "--request",
        request_code,
        "--out",
        str(out),
        "--ceremony-id",
        "20260314-DRILL1",
        "--json",
        *extra,
        stdin="\n".join(shares) + "\n",
    )
    return dict(ok_json(result))


@pytest.fixture
def practice() -> Any:
    """A practice Vault: the headless genesis here runs on a networked machine (rehearsal)."""
    dep = start_deployment("practice", rehearsal=True)
    try:
        yield dep
    finally:
        dep.double.stop()


def test_whole_flow(practice: Deployment, tmp_path: Path, memory_tmp: Path) -> None:
    deployment = practice
    root_env = {"VAULT_TOKEN": "root-token"}
    setup = vault(deployment, "setup", "--rehearsal", env=root_env)
    assert setup.returncode == 0, setup.stderr
    assert "KV version 2" in setup.stdout and "practice Vault" in setup.stdout
    install_env = deployment.install_env()

    # online: the install request, as a file and a QR image (install policy)
    request_file, png = tmp_path / "install-request.txt", tmp_path / "install-request.png"
    made = ok_json(
        vault(
            deployment,
            "request",
            "install",
            "--out",
            str(request_file),
            "--qr-png",
            str(png),
            "--json",
            env=install_env,
        )
    )
    assert made["file"] == str(request_file) and len(made["check_words"]) == 4
    assert made["rehearsal"] is True
    decoded = zxingcpp.read_barcodes(Image.open(png))
    assert [d.text for d in decoded] == [made["qr_payload"]]
    parsed = gap.parse_request(made["code"])
    assert parsed.id == made["id"] and list(parsed.check_words()) == made["check_words"]

    # offline: headless genesis answers it
    out = tmp_path / "genesis"
    genesis = run_ceremony(
        "genesis",
        "--custodians",
        "Ann,Ben,Cat",
        "--threshold",
        "2",
        "--request",
        str(request_file),
        "--out",
        str(out),
        "--rehearsal",
        "--shares-text",
        "--json",
    )
    summary = ok_json(genesis)
    shares = [
        line
        for line in Path(summary["shares_text"]).read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    # install needs the export key check typed from the record, and the install policy
    missing = one_line_error(vault(deployment, "apply", summary["bundle"], env=install_env))
    assert "--expect-export-key" in missing
    code = summary["export_key_check"]
    applied = ok_json(
        vault(
            deployment,
            "apply",
            summary["bundle"],
            "--expect-export-key",
            code.lower(),
            "--json",
            env=install_env,
        )
    )
    assert applied == {
        **applied,
        "operation": "install",
        "request_id": made["id"],
        "status": "applied",
    }
    assert "wrapping_token" not in applied
    state = ok_json(vault(deployment, "status", "--json"))
    assert state["registration"]["fingerprints"] == summary["fingerprints"]
    assert state["registration"]["export_key_check"] == code
    assert state["practice_vault"] is True
    assert state["pending_requests"] == []

    # CheckTick's own read gives the vault component back
    checktick = hvac.Client(url=deployment.double.url, token="root-token", timeout=5)
    read = checktick.secrets.kv.v2.read_secret_version(MASTER_KEY, raise_on_deleted_version=True)
    vault_component = Secret(bytes.fromhex(read["data"]["data"]["vault_component"]))
    custodian = combine(shares[:2])
    assert keys.fingerprints(custodian, vault_component) == summary["fingerprints"]
    registered = checktick.secrets.kv.v2.read_secret_version(
        "ceremony/registration", raise_on_deleted_version=True
    )["data"]["data"]
    assert registered["holders"] == ["Ann", "Ben", "Cat"]  # from the genesis, for drills due

    # a recovery drill (operator policy)
    verify = ok_json(vault(deployment, "request", "verify", "--json"))
    drill = authorize(verify["code"], shares[1:], tmp_path / "verify.ctb")
    assert drill["export_key_check"] == code
    applied = ok_json(vault(deployment, "apply", drill["bundle"], "--json"))
    assert applied["operation"] == "verify" and applied["status"] == "applied"
    # what the room's "the answer got out" check asks the Vault side to read back
    assert applied["bundle_digest"] == gap.bundle_digest(
        gap.parse_bundle(Path(drill["bundle"]).read_bytes())
    )
    replay = one_line_error(vault(deployment, "apply", drill["bundle"]))
    assert "already applied" in replay

    # individual recovery of one escrowed KEK in three crossings, CheckTick's real PBKDF2 cost
    escrow_keys = Deployment(deployment.double, Keys(custodian, vault_component), "")
    write_escrow(escrow_keys, KEK)
    session = ok_json(run_ceremony("session", "--out", str(memory_tmp / "room"), "--json"))
    recover = ok_json(
        vault(
            deployment,
            "request",
            "recover-escrow",
            "--user",
            USER,
            "--survey",
            SURVEY,
            "--session",
            session["typed_code"],
            "--admin-id",
            "7",
            "--notes",
            "Identity checked by video call",
            "--ticket",
            "RT-1",
            "--json",
        )
    )
    released = authorize(
        recover["code"],
        [shares[0], shares[2]],
        tmp_path / "recover.ctb",
        "--session-key",
        session["session_key_file"],
    )
    assert (released["user"], released["survey"], released["ticket"]) == (USER, SURVEY, "RT-1")
    assert released["email"] == EMAIL
    assert not Path(session["session_key_file"]).exists()
    applied = ok_json(vault(deployment, "apply", released["bundle"], "--wrap-ttl", "10m", "--json"))
    assert applied["operation"] == "recover-escrow" and applied["request_id"] == recover["id"]
    assert applied["wrap_ttl_seconds"] == 600
    assert KEK.hex() not in json.dumps(applied)
    unwrapped = checktick.sys.unwrap(applied["wrapping_token"])["data"]
    assert unwrapped == {"kek": KEK.hex(), "user_id": USER, "survey_id": SURVEY}
    trail = checktick.secrets.kv.v2.read_secret_version(
        f"users/{USER}/surveys/{SURVEY}/recovery-kek", raise_on_deleted_version=True
    )["data"]["data"]["audit_trail"]
    assert trail["accessed_by"] == [7]
    assert trail["last_verification_notes"] == "Identity checked by video call"

    audit = ok_json(vault(deployment, "audit", "--json"))
    entries = [e for e in audit["entries"] if e["kind"] == "audit"]
    assert [e["operation"] for e in entries] == ["recover-escrow", "verify", "install"]
    assert [e["operation"] for e in audit["entries"] if e["kind"] == "drill"] == ["drill"]
    assert all(e["verified"] for e in audit["entries"]), audit
    text = vault(deployment, "audit")
    assert text.returncode == 0 and text.stdout.index("recover-escrow") < text.stdout.index(
        "install"
    )


def test_request_prints_code_qr_and_check_words(deployment: Deployment) -> None:
    result = vault(deployment, "request", "install", env=deployment.install_env())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Request ") and "Check words:" in result.stdout
    assert any("█" in line or "▀" in line or "▄" in line for line in lines)  # terminal QR
    typed = result.stdout.split("Typed code:\n", 1)[1]
    assert gap.parse_request(typed).operation == "install"
    status = vault(deployment, "status")
    assert "Pending requests: 1" in status.stdout and "install" in status.stdout


def test_request_argument_refusals(deployment: Deployment) -> None:
    assert "needs --user and --survey" in one_line_error(
        vault(deployment, "request", "recover-escrow", "--user", "1")
    )
    assert "takes no --user" in one_line_error(
        vault(deployment, "request", "verify", "--user", "1")
    )
    assert "No key is registered" in one_line_error(vault(deployment, "request", "verify"))
    deployment.install()
    escrow = ("recover-escrow", "--user", "1", "--survey", "2")
    assert "--admin-id" in one_line_error(vault(deployment, "request", *escrow))
    assert "needs --session CODE" in one_line_error(
        vault(deployment, "request", *escrow, "--admin-id", "7")
    )
    code = gap.new_session()[0].typed_code()
    too_long = vault(
        deployment, "request", *escrow, "--admin-id", "7", "--session", code, "--ttl", "25h"
    )
    assert "between 1 second and 24 hours" in one_line_error(too_long)
    typo = code[:3] + ("X" if code[3] != "X" else "Y") + code[4:]
    assert "does not check out" in one_line_error(
        vault(deployment, "request", *escrow, "--admin-id", "7", "--session", typo)
    )
    assert (
        "not a CheckTick user id"
        in vault(deployment, "request", *escrow, "--admin-id", "seven").stderr
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_wrong_address_is_one_line(deployment: Deployment) -> None:
    line = one_line_error(
        vault(deployment, "status", env={"VAULT_ADDR": f"http://127.0.0.1:{closed_port()}"})
    )
    assert "Cannot reach Vault" in line
    assert "not an address" in one_line_error(
        vault(deployment, "status", env={"VAULT_ADDR": "vault.example"})
    )
    assert "VAULT_ADDR is not set" in one_line_error(
        vault(deployment, "status", env={"VAULT_ADDR": ""})
    )


def test_bad_token_is_one_line(deployment: Deployment) -> None:
    line = one_line_error(vault(deployment, "audit", env={"VAULT_TOKEN": "hvs.not-a-token"}))
    assert "refused the token" in line and "hvs.not-a-token" not in line
    assert "No Vault credentials" in one_line_error(
        vault(deployment, "audit", env={"VAULT_TOKEN": ""})
    )


def test_approle_login(deployment: Deployment) -> None:
    deployment.install()
    deployment.double.add_approle("ceremony", "role-1", "secret-1", ["checktick-ceremony"])
    good = {"VAULT_TOKEN": "", "VAULT_ROLE_ID": "role-1", "VAULT_SECRET_ID": "secret-1"}
    assert vault(deployment, "audit", env=good).returncode == 0
    made = ok_json(vault(deployment, "request", "verify", "--json", env=good))  # operator work
    assert len(made["check_words"]) == 4
    bad = one_line_error(vault(deployment, "audit", env={**good, "VAULT_SECRET_ID": "s3cr3t-typo"}))
    assert "AppRole login" in bad and "s3cr3t-typo" not in bad
    assert "needs both" in one_line_error(
        vault(deployment, "audit", env={**good, "VAULT_SECRET_ID": ""})
    )


def test_sealed_unavailable_timeout_and_policy_are_one_line(double_deployment: Deployment) -> None:
    double: VaultDouble = double_deployment.double
    double.seal()
    assert "sealed" in vault(double_deployment, "status").stdout  # status still describes it
    assert "Vault is sealed" in one_line_error(vault(double_deployment, "audit"))
    double.unseal()
    double.inject("unavailable", path="secret/metadata/ceremony/audit/")
    assert "unavailable (503)" in one_line_error(vault(double_deployment, "audit"))
    double.inject("delay", path="secret/metadata/ceremony/audit/", seconds=60)
    line = one_line_error(vault(double_deployment, "audit", env={"VAULT_TIMEOUT": "0.5"}))
    assert "did not answer within 0.5 s" in line
    double.clear_faults()
    assert "policy does not allow" in one_line_error(vault(double_deployment, "setup"))


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_bad_tls_setting_is_one_line(double_deployment: Deployment, value: str) -> None:
    assert "VAULT_TLS_VERIFY" in one_line_error(
        vault(double_deployment, "status", env={"VAULT_TLS_VERIFY": value})
    )


def test_missing_cacert_is_one_line(deployment: Deployment, tmp_path: Path) -> None:
    line = one_line_error(
        vault(deployment, "status", env={"VAULT_CACERT": str(tmp_path / "missing.pem")})
    )
    assert "VAULT_CACERT" in line


def test_tls_against_plain_http_is_one_line(deployment: Deployment) -> None:
    https = deployment.double.url.replace("http://", "https://")
    line = one_line_error(vault(deployment, "status", env={"VAULT_ADDR": https}))
    assert "TLS handshake" in line
