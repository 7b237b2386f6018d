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
from ceremony.operations.install import install_payload
from ceremony.operations.verify import attest
from ceremony.vaultops import AUDITOR_POLICY_NAME, audit_entries, drill_warnings, status
from ceremony.vaultops.evidence import drill_due, drill_records
from ceremony.vaultops.requesting import registration
from tests.openbao_support import openbao_server
from tests.vault_support import CEREMONY_ID, SURVEY, USER, Deployment, deployment, write_escrow

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
