"""The attacks on the online record, each run on a real OpenBao with operator tokens.

Every `ceremony vault` here is a separate process holding a token made with
`bao token create -policy=checktick-ceremony` (the operator policy alone), the way
docs/vault-deployment.md tells an administrator to make it; the attacker's own
writes go through the `bao` command with that same token.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import hvac
import pytest

from ceremony import gap
from ceremony.errors import VaultError
from ceremony.operations.install import install_payload
from ceremony.operations.verify import attest
from ceremony.vaultops import AUDITOR_POLICY_NAME, apply_bundle, audit_entries
from ceremony.vaultops.evidence import NOT_SIGNED, drill_due, drill_records
from ceremony.vaultops.requesting import registration
from tests.openbao_support import OpenBao, openbao_server
from tests.vault_support import (
    ADMIN_ID,
    CEREMONY_ID,
    SURVEY,
    USER,
    Deployment,
    double_deployment,
    start_deployment,
    write_escrow,
)

__all__ = ["double_deployment", "openbao_server"]

KEK = bytes(range(32, 64))
CEREMONY = Path(sys.executable).parent / "ceremony"


@pytest.fixture
def bao(openbao_server: OpenBao) -> Deployment:
    dep = start_deployment("attacks", server=openbao_server)
    dep.install()
    write_escrow(dep, KEK, iterations=1000)
    return dep


def _env(dep: Deployment, token: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
    return {**env, "VAULT_ADDR": dep.double.url, "VAULT_TOKEN": token or dep.token}


def _applies(dep: Deployment, bundle: Path, n: int, *extra: str) -> list[tuple[int, str, str]]:
    """n `ceremony vault apply` processes started together; (exit code, stdout, stderr) each."""
    procs = [
        subprocess.Popen(
            [str(CEREMONY), "vault", "apply", str(bundle), "--json", *extra],
            env=_env(dep),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(n)
    ]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        out.append((proc.returncode, stdout.decode(), stderr.decode()))
    return out


def _bao(dep: Deployment, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The `bao` command with the operator's token."""
    server: OpenBao = dep.double.server
    return subprocess.run(
        [str(server.binary), *args],
        env={**server.env(dep.token)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _root(dep: Deployment) -> hvac.Client:
    return hvac.Client(url=dep.double.url, token="root-token", timeout=10)


def _escrow(dep: Deployment) -> dict[str, Any]:
    return dict(dep.snapshot()[f"users/{USER}/surveys/{SURVEY}/recovery-kek"])


def _recover_bundle(dep: Deployment, tmp_path: Path) -> tuple[gap.Request, Path]:
    request = dep.request("recover-escrow", user=USER, survey=SURVEY)
    path = tmp_path / "bundle.ctb"
    path.write_bytes(dep.authorize_bundle(request))
    return request, path


@pytest.mark.parametrize("n", [8, 32])
def test_concurrent_applies_of_one_recover_escrow_bundle_release_one_token(
    bao: Deployment, tmp_path: Path, n: int
) -> None:
    request, bundle = _recover_bundle(bao, tmp_path)
    results = _applies(bao, bundle, n)
    tokens = [json.loads(out)["wrapping_token"] for code, out, _ in results if code == 0]
    assert len(tokens) == 1, [err for _, _, err in results]
    for code, _, err in results:
        if code != 0:
            line = err.strip()
            assert line.startswith("ceremony: ") and "\n" not in line, err
    assert bao.double.live_wrapping_tokens() == 1
    assert _root(bao).sys.unwrap(tokens[0])["data"]["kek"] == KEK.hex()
    assert _escrow(bao)["audit_trail"]["accessed_by"] == [ADMIN_ID]
    entries = [e for e in audit_entries(bao.client()) if e["operation"] == "recover-escrow"]
    assert len(entries) == 1 and entries[0]["verified"]
    log = {
        k: v for k, v in bao.snapshot().items() if k.startswith(f"ceremony/releases/{request.id}/")
    }
    assert sum(1 for v in log.values() if v.get("state") == "released") == 1


def test_a_request_record_written_back_after_use_opens_nothing(
    bao: Deployment, tmp_path: Path
) -> None:
    request, bundle = _recover_bundle(bao, tmp_path)
    saved = _bao(bao, "kv", "get", "-format=json", f"secret/ceremony/requests/{request.id}")
    assert saved.returncode == 0, saved.stderr  # the operator may read it before the apply
    record = json.loads(saved.stdout)["data"]["data"]
    [(code, out, err)] = _applies(bao, bundle, 1)
    assert code == 0, err
    assert _root(bao).sys.unwrap(json.loads(out)["wrapping_token"])["data"]["kek"] == KEK.hex()
    trail_before = _escrow(bao)["audit_trail"]
    entries_before = audit_entries(bao.client())
    put = _bao(
        bao, "kv", "put", f"secret/ceremony/requests/{request.id}", "-", stdin=json.dumps(record)
    )
    assert put.returncode == 0, put.stderr  # re-creating the key is allowed ...
    [(code, _, err)] = _applies(bao, bundle, 1)
    assert code == 2 and "already applied" in err, err  # ... and opens nothing
    assert bao.double.live_wrapping_tokens() == 0
    assert _escrow(bao)["audit_trail"] == trail_before
    assert audit_entries(bao.client()) == entries_before


def test_the_operator_cannot_change_or_delete_claims_releases_or_records(
    bao: Deployment, tmp_path: Path
) -> None:
    request, bundle = _recover_bundle(bao, tmp_path)
    [(code, _, err)] = _applies(bao, bundle, 1)
    assert code == 0, err
    rid = request.id
    for path in (
        f"ceremony/consumed/{rid}",
        f"ceremony/releases/{rid}/attempt-1",
        f"ceremony/releases/{rid}/outcome-1",
        f"ceremony/audit/{rid}",
        "ceremony/registration",
    ):
        for args in (
            ("kv", "put", f"secret/{path}", "state=void"),
            ("kv", "patch", f"secret/{path}", "state=void"),
            ("kv", "delete", f"secret/{path}"),
            ("kv", "destroy", "-versions=1", f"secret/{path}"),
            ("kv", "metadata", "delete", f"secret/{path}"),
            ("kv", "metadata", "put", "-max-versions=1", f"secret/{path}"),
        ):
            done = _bao(bao, *args)
            assert done.returncode != 0 and "permission denied" in done.stderr, (args, done)
    assert bao.snapshot()[f"ceremony/releases/{rid}/outcome-1"]["state"] == "released"


def _verify_bundle(dep: Deployment, holders: list[str], now: datetime | None = None) -> bytes:
    request = dep.request("verify")
    shares = [{"set_id": "S1", "share": str(i + 1), "holder": h} for i, h in enumerate(holders)]
    return attest(
        request, dep.keys.custodian, CEREMONY_ID, now, evidence={"shares_checked": shares}
    ).to_bytes()


def test_forged_drills_and_audit_entries_are_marked(bao: Deployment, tmp_path: Path) -> None:
    real = _verify_bundle(bao, ["Ann", "Ben", "Cat"])
    assert bao.apply(real).status == "applied"
    drill = next(iter(drill_records(bao.client())))
    forged_shares = {**drill, "shares_checked": [{"set_id": "S1", "share": "9", "holder": "Zed"}]}
    forged_shares.pop("_name")
    fakes = {
        "ceremony/drills/00000000000000000000000000000001": {
            "request_id": "00000000000000000000000000000001",
            "drilled_at": datetime.now(UTC).isoformat(),
            "result": "The quorum rebuilt the registered custodian component.",
        },
        "ceremony/drills/00000000000000000000000000000002": forged_shares,
        "ceremony/audit/00000000000000000000000000000003": {
            "time": datetime.now(UTC).isoformat(),
            "operation": "verify",
            "request_id": "00000000000000000000000000000003",
            "bundle_digest": "0" * 64,
        },
    }
    for path, record in fakes.items():
        put = _bao(bao, "kv", "put", f"secret/{path}", "-", stdin=json.dumps(record))
        assert put.returncode == 0, put.stderr  # the operator may create these ...
    auditor = bao.double.create_token([AUDITOR_POLICY_NAME])
    result = subprocess.run(
        [str(CEREMONY), "vault", "audit", "--json"],
        env=_env(bao, auditor),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)["entries"]
    by_name = {(e["kind"], e["name"]): e for e in entries}
    for rid in ("1", "2", "3"):
        kind = "audit" if rid == "3" else "drill"
        entry = by_name[(kind, rid.rjust(32, "0"))]
        assert not entry["verified"] and entry["problem"].startswith(NOT_SIGNED), entry
    genuine = [e for e in entries if e["name"] == drill["request_id"]]
    assert len(genuine) == 2 and all(e["verified"] for e in genuine)  # its drill and audit entry
    text = subprocess.run(
        [str(CEREMONY), "vault", "audit"],
        env=_env(bao, auditor),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert text.stdout.count(f"NOT VERIFIED: {NOT_SIGNED}") == 3, text.stdout
    due = drill_due(registration(bao.client()) or {}, drill_records(bao.client()))
    assert "Zed" not in due.holders_missed  # the forged drill's holder counts for nothing


def test_a_drill_record_made_ahead_of_its_apply_is_caught(bao: Deployment) -> None:
    """The operator has the verify bundle before applying it and writes the drill first."""
    bundle = _verify_bundle(bao, ["Ann", "Ben"])
    parsed = gap.parse_bundle(bundle)
    stored = bao.client().read(f"ceremony/requests/{parsed.request_id}", "test")
    assert stored is not None
    early = {
        "request_id": parsed.request_id,
        "bundle_digest": gap.bundle_digest(parsed),
        "bundle": parsed.text_line(),
        "request_key": stored.data["private_key"],
        "shares_checked": [{"set_id": "S1", "share": "1", "holder": "Everyone"}],
    }
    path = f"secret/ceremony/drills/{parsed.request_id}"
    assert _bao(bao, "kv", "put", path, "-", stdin=json.dumps(early)).returncode == 0
    bao.apply(bundle)
    [drill] = [e for e in audit_entries(bao.client()) if e["kind"] == "drill"]
    assert not drill["verified"] and "shares checked" in drill["problem"], drill


def test_a_server_error_while_wrapping_leaves_the_request_usable(
    double_deployment: Deployment,
) -> None:
    """A 5xx on demand needs the double: the request is not consumed without a release."""
    dep = double_deployment
    dep.install()
    write_escrow(dep, KEK, iterations=1000)
    request = dep.request("recover-escrow", user=USER, survey=SURVEY)
    bundle = dep.authorize_bundle(request)
    dep.double.inject("unavailable", path="sys/wrapping/wrap", method="POST")
    with pytest.raises(VaultError) as err:
        dep.apply(bundle)
    assert err.value.code == "unavailable" and "Nothing was released" in err.value.message
    dep.double.clear_faults()
    again = dep.apply(bundle)  # a plain retry, no waiting: the failed run voided its attempt
    assert again.status == "applied" and again.wrapping_token
    assert dep.double.live_wrapping_tokens() == 1
    with pytest.raises(VaultError) as replay:
        dep.apply(bundle)
    assert replay.value.code == "replay"


def test_drills_fall_due_and_name_holders(bao: Deployment) -> None:
    now = datetime.now(UTC)
    assert bao.apply(_verify_bundle(bao, ["Ann", "Ben", "Cat"])).status == "applied"
    registered = registration(bao.client()) or {}
    drills = drill_records(bao.client())
    assert drill_due(registered, drills, now).warnings() == []
    later = drill_due(registered, drills, now + timedelta(days=200))
    assert later.overdue and later.holders_missed == ("Ann", "Ben", "Cat")
    assert "182 days" in later.warnings()[0] and "the install did not say" in later.warnings()[0]


def test_status_warns_when_no_drill_came_within_the_interval(openbao_server: OpenBao) -> None:
    dep = start_deployment("due", server=openbao_server)
    request = dep.request("install")
    payload = {**install_payload(dep.keys.vault, "slip39", 2, 3), "drill_interval_days": 1}
    bundle = gap.seal_bundle(
        request, payload, dep.keys.custodian, CEREMONY_ID, dep.keys.fingerprints()
    )
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    apply_bundle(
        dep.installer(),
        bundle.to_bytes(),
        three_days_ago,
        expect_export_key=dep.export_key_check(),
    )
    result = subprocess.run(
        [str(CEREMONY), "vault", "status"],
        env=_env(dep),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Drills: every 1 days" in result.stdout
    assert "WARNING: A drill is due: no verified drill is recorded" in result.stdout


def test_a_second_release_needs_an_administrator_and_an_unused_first_token(
    bao: Deployment, tmp_path: Path
) -> None:
    """The first token was lost before anyone unwrapped it; the request key is back in place."""
    request, bundle = _recover_bundle(bao, tmp_path)
    saved = bao.client().read(f"ceremony/requests/{request.id}", "test")
    assert saved is not None
    live = bao.double.live_wrapping_tokens()  # the shared server keeps earlier tests' tokens
    [(code, out, err)] = _applies(bao, bundle, 1)
    assert code == 0, err
    lost = json.loads(out)["wrapping_token"]
    root = bao.client(token="root-token")
    assert root.create(f"ceremony/requests/{request.id}", saved.data, "test")
    [(code, _, err)] = _applies(bao, bundle, 1, "--release-again")  # the operator alone: no
    assert code == 2 and "administrator" in err, err
    assert bao.double.live_wrapping_tokens() == live + 1
    again = apply_bundle(root, bundle.read_bytes(), release_again=True)  # an administrator
    assert again.status == "released again" and again.wrapping_token
    with pytest.raises(hvac.exceptions.InvalidRequest):
        _root(bao).sys.unwrap(lost)  # revoked before the second release
    assert _root(bao).sys.unwrap(again.wrapping_token)["data"]["kek"] == KEK.hex()
    trail = _escrow(bao)["audit_trail"]
    assert trail["custodian_ceremony_requests"] == [request.id, f"{request.id}#2"]
    assert trail["accessed_by"] == [ADMIN_ID, ADMIN_ID]
    releases = sorted(
        e.get("release", 1)
        for e in audit_entries(bao.client())
        if e["operation"] == "recover-escrow" and e["verified"]
    )
    assert releases == [1, 2]
    assert root.create(f"ceremony/requests/{request.id}", saved.data, "test")
    with pytest.raises(VaultError) as third:  # the second token was unwrapped: delivered
        apply_bundle(root, bundle.read_bytes(), release_again=True)
    assert third.value.code == "delivered"
