"""Evidence the room's bundles carry, stored and checked online, on the double and on OpenBao:
the transcript digest, the drill interval, the holders, the shares a drill checked, drills that
fall due."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ceremony import gap
from ceremony.errors import BundleError
from ceremony.evidence.bundle_fields import bundle_fields
from ceremony.evidence.check_value import check_value
from ceremony.evidence.model import Evidence, ShareMade
from ceremony.operations.install import install_payload
from ceremony.operations.verify import attest
from ceremony.shares import split
from ceremony.vaultops import AUDITOR_POLICY_NAME, audit_entries, drill_warnings, status
from ceremony.vaultops.evidence import drill_due, drill_records
from ceremony.vaultops.paths import AUDIT, DRILLS
from ceremony.vaultops.requesting import registration
from tests.cli import run_authorize
from tests.openbao_support import openbao_server
from tests.vault_support import (
    CEREMONY_ID,
    SURVEY,
    USER,
    Deployment,
    deployment,
    start_deployment,
    write_escrow,
)

__all__ = ["deployment", "openbao_server"]

TRANSCRIPT = "ab" * 32
CEREMONY = Path(sys.executable).parent / "ceremony"


def _install(
    dep: Deployment,
    interval: int | None,
    when: datetime | None = None,
    holders: list[str] | None = None,
) -> None:
    request = dep.request("install")
    payload = {**install_payload(dep.keys.vault, "slip39", 2, 3), "transcript_sha256": TRANSCRIPT}
    if interval is not None:
        payload["drill_interval_days"] = interval
    if holders is not None:
        payload["holders"] = holders
    bundle = gap.seal_bundle(
        request, payload, dep.keys.custodian, CEREMONY_ID, dep.keys.fingerprints()
    )
    dep.apply(bundle.to_bytes(), now=when)


def _drill(dep: Deployment, holders: list[str]) -> None:
    request = dep.request("verify")
    shares = [{"set_id": "S1", "share": str(i + 1), "holder": h} for i, h in enumerate(holders)]
    evidence = {"shares_checked": shares, "transcript_sha256": TRANSCRIPT}
    dep.apply(attest(request, dep.keys.custodian, CEREMONY_ID, evidence=evidence).to_bytes())


def test_the_transcript_digest_is_stored_with_each_operation(deployment: Deployment) -> None:
    _install(deployment, 30)
    _drill(deployment, ["Ann", "Ben"])
    write_escrow(deployment, bytes(32), iterations=1000)
    assert registration(deployment.client())["drill_interval_days"] == 30  # type: ignore[index]
    entries = audit_entries(deployment.client())
    assert {e["operation"] for e in entries} == {"install", "verify", "drill"}
    assert all(e["transcript_sha256"] == TRANSCRIPT and e["verified"] for e in entries), entries
    request = deployment.request("recover-escrow", user=USER, survey=SURVEY)
    deployment.apply(deployment.authorize_bundle(request))  # an older bundle: no digest
    [escrow] = [e for e in audit_entries(deployment.client()) if e["operation"] == "recover-escrow"]
    assert "transcript_sha256" not in escrow and escrow["verified"]


def test_a_drill_is_due_and_names_who_was_not_in_one(deployment: Deployment) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=40)
    _install(deployment, 30, long_ago)
    due = drill_warnings(deployment.client())
    assert due is not None and due.overdue and due.interval_recorded
    assert "no verified drill is recorded" in due.warnings()[0]
    _drill(deployment, ["Ann", "Ben", "Cat"])
    due = drill_warnings(deployment.client())
    assert due is not None and not due.overdue and due.warnings() == []
    assert status(deployment.client()).summary()["drills"]["overdue"] is False
    later = drill_due(
        registration(deployment.client()) or {},
        drill_records(deployment.client()),
        datetime.now(UTC) + timedelta(days=31),
    )
    assert later.overdue and later.holders_missed == ("Ann", "Ben", "Cat")
    assert "30 days" in later.warnings()[0] and "Ann, Ben, Cat" in later.warnings()[1]


def test_an_install_without_an_interval_uses_the_default(deployment: Deployment) -> None:
    _install(deployment, None)
    due = drill_warnings(deployment.client())
    assert due is not None and due.interval_days == 182 and not due.interval_recorded
    assert not due.overdue and due.holders_missed == ()


def _vault(dep: Deployment, token: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`ceremony vault ...` as its own process, with this token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
    env.update(VAULT_ADDR=dep.double.url, VAULT_TOKEN=token)
    done = subprocess.run(
        [str(CEREMONY), "vault", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_a_holder_no_drill_ever_checked_is_named(deployment: Deployment) -> None:
    """The holders come from the verified install, so one never seen in a drill is named."""
    holders = ["Ann", "Ben", "Cat", "Dan"]
    _install(deployment, 30, datetime.now(UTC) - timedelta(days=40), holders)
    assert registration(deployment.client())["holders"] == holders  # type: ignore[index]
    auditor = deployment.double.create_token([AUDITOR_POLICY_NAME])
    before = _vault(deployment, auditor, "status").stdout
    assert (
        "checked the share of: Ann (never in a drill), Ben (never in a drill), "
        "Cat (never in a drill), Dan (never in a drill)."
    ) in before, before
    _drill(deployment, ["Ann", "Ben", "Cat"])  # Dan did not come
    for command in ("status", "audit"):
        text = _vault(deployment, auditor, command).stdout
        assert "checked the share of: Dan (never in a drill)." in text, text
        assert "A drill is due" not in text  # the drill itself was on time
    summary = json.loads(_vault(deployment, auditor, "audit", "--json").stdout)["drills"]
    assert summary["holders_not_drilled_within_interval"] == ["Dan"]
    assert summary["holders_never_drilled"] == ["Dan"]
    later = drill_due(
        registration(deployment.client()) or {},
        drill_records(deployment.client()),
        datetime.now(UTC) + timedelta(days=31),
    )
    assert later.holders_missed == ("Ann", "Ben", "Cat", "Dan")
    assert later.never_drilled == ("Dan",)
    assert "Ann, Ben, Cat, Dan (never in a drill)." in later.warnings()[1]


def test_a_recent_install_names_nobody_yet(deployment: Deployment) -> None:
    """The genesis read every sheet back: within the first interval nothing is missed."""
    _install(deployment, 30, holders=["Ann", "Ben"])
    due = drill_warnings(deployment.client())
    assert due is not None and due.holders_missed == () and due.warnings() == []


def test_an_install_whose_holders_are_not_a_list_of_names_is_refused(
    deployment: Deployment,
) -> None:
    for holders in ([], ["Ann", "Ann"], ["Ann", ""], ["Ann\n"], "Ann", [1]):
        request = deployment.request("install")
        payload = {**install_payload(deployment.keys.vault, "slip39", 2, 3), "holders": holders}
        bundle = gap.seal_bundle(
            request, payload, deployment.keys.custodian, CEREMONY_ID, deployment.keys.fingerprints()
        )
        with pytest.raises(BundleError) as err:
            deployment.apply(bundle.to_bytes())
        assert err.value.code == "payload" and "holders" in err.value.message, holders
        assert registration(deployment.client()) is None


def test_records_an_operator_shaped_to_mislead_are_printed_inert(deployment: Deployment) -> None:
    """Escapes, line breaks, a list for parameters, a time with no zone: one entry each, as text."""
    _install(deployment, 30, holders=["Ann", "Ben"])
    client = deployment.client()
    fake = "2026-12-01T00:00:00+00:00  install        request X  ceremony Y  key v1"
    forged: dict[str, dict[str, Any]] = {
        "ceremony/audit/" + "1" * 32: {"time": "9999\x1b[8m", "operation": {"op": 1}},
        "ceremony/audit/" + "2" * 32: {"time": "9998", "operation": "verify\n" + fake},
        "ceremony/drills/" + "3" * 32: {"drilled_at": "9997\x1b[1A", "params": ["x"]},
        "ceremony/requests/" + "4" * 32: {
            "operation": "verify\x1b[2K",
            "params": ["x"],
            "expires_at": "2026-01-01T00:00:00",
        },
    }
    for path, record in forged.items():
        assert client.create(path, record, "forging a record")
    auditor = deployment.double.create_token([AUDITOR_POLICY_NAME])
    audit = _vault(deployment, auditor, "audit").stdout
    assert "\x1b" not in audit and fake not in audit.splitlines()
    assert audit.count("NOT VERIFIED") == 3, audit
    assert "params=['x']" in audit and "{'op': 1}" in audit
    for token in (auditor, deployment.token):
        text = _vault(deployment, token, "status").stdout
        assert "\x1b" not in text
    assert "verify\\x1b[2K params=['x']  expired 2026-01-01T00:00:00" in text


def _sealed_install(dep: Deployment, extra: dict[str, Any], when: datetime) -> None:
    request = dep.request("install")
    payload = {**install_payload(dep.keys.vault, "slip39", 2, 3), **extra}
    bundle = gap.seal_bundle(
        request,
        payload,
        dep.keys.custodian,
        CEREMONY_ID,
        dep.keys.fingerprints(),
        rehearsal=dep.rehearsal,
    )
    dep.apply(bundle.to_bytes(), now=when)


def test_a_rehearsal_drill_copied_into_a_production_vault_clears_nothing(
    deployment: Deployment,
) -> None:
    """Signed with the real export key, but a practice Vault's: never a verified drill here."""
    long_ago = datetime.now(UTC) - timedelta(days=40)
    holders = {"holders": ["Ann", "Ben"], "drill_interval_days": 30}
    _sealed_install(deployment, holders, long_ago)
    practice = start_deployment(rehearsal=True)  # same keys, on the double
    try:
        _sealed_install(practice, holders, long_ago)
        request = practice.request("verify")
        assert request.rehearsal
        shares = [
            {"set_id": "S1", "share": str(i), "holder": h} for i, h in ((1, "Ann"), (2, "Ben"))
        ]
        evidence = {"shares_checked": shares, "transcript_sha256": TRANSCRIPT}
        drill = attest(
            request, practice.keys.custodian, CEREMONY_ID, rehearsal=True, evidence=evidence
        )
        practice.apply(drill.to_bytes())
        assert drill_warnings(practice.client()).warnings() == []  # type: ignore[union-attr]
        copies = {f"{DRILLS}/{d.pop('_name')}": d for d in drill_records(practice.client())}
        for entry in audit_entries(practice.client()):
            if entry["operation"] == "verify":
                stored = practice.client().read(f"{AUDIT}/{entry['name']}", "reading")
                assert stored is not None
                copies[f"{AUDIT}/{entry['name']}"] = stored.data
    finally:
        practice.double.stop()
    assert len(copies) == 2
    client = deployment.client()
    for path, record in copies.items():
        assert client.create(path, record, "copying a practice record")
    auditor = deployment.double.create_token([AUDITOR_POLICY_NAME])
    for token in (auditor, deployment.token):
        text = _vault(deployment, token, "status").stdout
        assert "A drill is due: no verified drill is recorded" in text, text
        assert "checked the share of: Ann (never in a drill), Ben (never in a drill)." in text
    audit = _vault(deployment, auditor, "audit").stdout
    reason = "rehearsal bundle and this is a production Vault"
    assert audit.count("NOT VERIFIED") == 2 and audit.count(reason) == 2, audit
    entries = json.loads(_vault(deployment, auditor, "audit", "--json").stdout)
    assert entries["drills"]["overdue"] is True, entries


def test_a_drill_through_authorize_clears_the_holders_the_install_registered(
    deployment: Deployment, tmp_path: Path
) -> None:
    """authorize names holders "holder of share N": they are matched by share, not by name."""
    component = deployment.keys.custodian
    sheets = split(component, 2, 3)
    made = tuple(
        ShareMade(str(i), name, check_value(sheet))
        for i, (name, sheet) in enumerate(zip(["Ann", "Ben", "Cat"], sheets, strict=True), 1)
    )
    fields = bundle_fields("install", Evidence("genesis", CEREMONY_ID, shares=made), TRANSCRIPT)
    fields["drill_interval_days"] = 30
    _sealed_install(deployment, fields, datetime.now(UTC) - timedelta(days=40))
    auditor = deployment.double.create_token([AUDITOR_POLICY_NAME])
    before = _vault(deployment, auditor, "status").stdout
    assert "Ann (never in a drill), Ben (never in a drill), Cat (never in a drill)" in before
    request = deployment.request("verify")
    path, out = tmp_path / "verify.request", tmp_path / "verify.bundle"
    path.write_text(request.file_text())
    done = run_authorize(
        *("--request", str(path), "--out", str(out)), stdin="\n".join(sheets) + "\n"
    )
    assert done.returncode == 0, done.stderr
    deployment.apply(out.read_bytes())
    [drill] = drill_records(deployment.client())
    assert {s["holder"] for s in drill["shares_checked"]} == {
        f"holder of share {i}" for i in (1, 2, 3)
    }
    for token in (auditor, deployment.token):
        text = _vault(deployment, token, "status").stdout
        assert "checked the share of" not in text and "A drill is due" not in text, text
    summary = json.loads(_vault(deployment, auditor, "audit", "--json").stdout)["drills"]
    assert summary["holders_not_drilled_within_interval"] == []
    assert summary["holders_never_drilled"] == []


def test_an_install_whose_share_holders_do_not_name_its_holders_is_refused(
    deployment: Deployment,
) -> None:
    ann = {"share": "1", "holder": "Ann"}
    for pairs in ([], [ann, ann], [{"share": "1", "holder": "Zed"}], [{"share": "1"}], "1=Ann"):
        request = deployment.request("install")
        payload = {
            **install_payload(deployment.keys.vault, "slip39", 2, 3),
            "holders": ["Ann", "Ben"],
            "share_holders": pairs,
        }
        bundle = gap.seal_bundle(
            request, payload, deployment.keys.custodian, CEREMONY_ID, deployment.keys.fingerprints()
        )
        with pytest.raises(BundleError) as err:
            deployment.apply(bundle.to_bytes())
        assert err.value.code == "payload" and "share_holders" in err.value.message, pairs
        assert registration(deployment.client()) is None
