"""Re-share keeps the key and makes a new set; recovery and re-share records hold no secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ceremony import gap, keys
from ceremony.operations.genesis import GenesisPlan
from ceremony.operations.records import SharesUsed, recovery_record, reshare_record
from ceremony.operations.reshare import reshare
from ceremony.operations.verify import attest
from ceremony.paper import VerificationResult, render_record
from ceremony.shares import combine, inspect, split
from tests.pdf_pages import all_text
from tests.secret_scan import SecretNeedles

PLAN = GenesisPlan("Example Trust", "2025-2", ("Eve", "Fay", "Gus"), 2, "Wendy")
WHEN = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def test_reshare_splits_the_same_component_into_a_new_set() -> None:
    with keys.new_component() as component:
        old = split(component, 3, 4)
        new = reshare(PLAN, component, "C-1", now=lambda: WHEN)
        assert new.fingerprints == {"custodian": keys.fingerprint(component, "custodian")}
        assert inspect(new.shares[0]).set_id != inspect(old[0]).set_id
        assert new.check_rebuild() == ((1, 2), (1, 3), (2, 3))
        with combine(new.shares[1:]) as rebuilt:
            assert rebuilt == component
        new.wipe()
        assert not component.wiped  # the caller's copy is the caller's to wipe
        assert new.custodian.wiped and new.shares == []


def test_reshare_record_names_the_old_shares_and_holds_no_secret() -> None:
    needles = SecretNeedles()
    with keys.new_component() as component:
        old = split(component, 3, 4)
        new = reshare(PLAN, component, "C-1", now=lambda: WHEN)
        needles.add_component("component", component.reveal())
    for n, share in enumerate(old + new.shares):
        needles.add_share(f"share {n}", share)
    new.verified.update({1: "typed words", 2: "QR scanned", 3: "typed words"})
    used = SharesUsed("slip39", inspect(old[0]).set_id, 3, ((1, "Ann"), (2, "Eve"), (4, "Dan")))
    record = reshare_record(
        new,
        old=used,
        ended=WHEN + timedelta(hours=1),
        verification=(VerificationResult("Share 2 (Fay) read back from paper", "passed"),),
    )
    export_check = new.export_key_check
    new.wipe()
    assert record.kind == "re-share"
    assert record.fingerprints == (
        ("custodian", new.fingerprints["custodian"]),
        ("export key check", export_check),
    )
    assert [s.verified for s in record.shares] == ["typed words", "QR scanned", "typed words"]
    assert record.verification[0].what == f"Old SLIP-39 shares 1, 2, 4 of set {used.set_id}"
    assert record.custodians == ("Eve", "Fay", "Gus", "Ann", "Dan")  # Eve signs once
    pdf = render_record(record)
    assert "re-share" in all_text(pdf).lower()
    assert needles.find_in(pdf) == []


def test_drill_record_lists_the_shares_used_and_the_bundle_digest() -> None:
    with keys.new_component() as component:
        registration = gap.Registration(
            keys.export_signing_public_key(component), keys.fingerprints(component)
        )
        request, private_key = gap.new_request(
            "verify", {}, "2025-1", timedelta(hours=1), registration=registration
        )
        private_key.wipe()
        bundle = attest(request, component, "C-2")
        fingerprints = keys.fingerprints(component)
    used = SharesUsed("checktick", None, None, ((1, "Ann"), (3, "Cat")))
    record = recovery_record(
        kind="drill",
        organisation="Example Trust",
        ceremony_id="C-2",
        started=WHEN,
        ended=WHEN + timedelta(minutes=20),
        key_version="2025-1",
        used=used,
        fingerprints=fingerprints,
        witness="Wendy",
        bundles=(bundle,),
    )
    assert record.kind == "drill" and record.threshold == 2 and record.count == 2
    assert [(s.index, s.custodian) for s in record.shares] == [(1, "Ann"), (3, "Cat")]
    assert record.bundles[0].sha256 == gap.bundle_digest(bundle)
    assert record.witnesses == ("Wendy",)
    assert gap.bundle_digest(bundle) in all_text(render_record(record)).replace("\n", "")
