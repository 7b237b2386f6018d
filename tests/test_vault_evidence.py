"""Evidence the room's bundles carry, stored and checked online, on the double and on OpenBao:
the transcript digest, the drill interval, the shares a drill checked, drills that fall due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ceremony import gap
from ceremony.operations.install import install_payload
from ceremony.operations.verify import attest
from ceremony.vaultops import audit_entries, drill_warnings, status
from ceremony.vaultops.evidence import drill_due, drill_records
from ceremony.vaultops.requesting import registration
from tests.openbao_support import openbao_server
from tests.vault_support import CEREMONY_ID, SURVEY, USER, Deployment, deployment, write_escrow

__all__ = ["deployment", "openbao_server"]

TRANSCRIPT = "ab" * 32


def _install(dep: Deployment, interval: int | None, when: datetime | None = None) -> None:
    request = dep.request("install")
    payload = {**install_payload(dep.keys.vault, "slip39", 2, 3), "transcript_sha256": TRANSCRIPT}
    if interval is not None:
        payload["drill_interval_days"] = interval
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
