"""The genesis core: plan checks, keys, re-entry matching, rebuild check, bundle and record."""

from datetime import UTC, datetime, timedelta

import pytest

from ceremony import keys
from ceremony.errors import CeremonyError, GapError, ShareError
from ceremony.gap import new_request, open_bundle, verify_bundle
from ceremony.operations.genesis import GenesisPlan, generate, genesis_record
from ceremony.operations.install import seal_install
from ceremony.paper import render_record
from tests.secret_scan import SecretNeedles, pdf_text

PLAN = GenesisPlan(
    organisation="Example Health",
    key_version="v3",
    custodians=("Ann", "Ben", "Cat", "Dan"),
    threshold=3,
    witness="Wendy",
    titles=("CFO", "CTO", "", "Legal"),
)


def fixed_random(n: int) -> bytes:
    return bytes((i * 7 + 3) % 256 for i in range(n))


@pytest.mark.parametrize(
    "change,message",
    [
        ({"custodians": ("Ann", "ann")}, "same name"),
        ({"custodians": ("Ann", " ")}, "empty"),
        ({"threshold": 5}, "threshold"),
        ({"threshold": 1}, "threshold"),
        ({"organisation": ""}, "organisation"),
        ({"key_version": " "}, "key version"),
        ({"witness": ""}, "witness"),
        ({"organisation": "academic acid acne museum mixture"}, "share words"),
        ({"witness": bytes(range(32)).hex()}, "hex"),
    ],
)
def test_plan_refuses_what_would_print_badly(change: dict[str, str], message: str) -> None:
    fields = {**PLAN.__dict__, **change}
    with pytest.raises(CeremonyError, match=message):
        GenesisPlan(**fields).check()


def test_generate_match_rebuild_seal_and_record() -> None:
    genesis = generate(
        PLAN,
        ["dice 1 6 2"],
        random_bytes=fixed_random,
        now=lambda: datetime(2026, 11, 28, 9, 30, tzinfo=UTC),
    )
    assert genesis.ceremony_id.startswith("20261128-0930-")
    assert genesis.fingerprints == keys.fingerprints(genesis.custodian, genesis.vault)
    sheet = genesis.sheet(2)
    assert (sheet.custodian, sheet.index, sheet.count, sheet.threshold) == ("Ben", 2, 4, 3)
    assert sheet.fingerprint == genesis.fingerprints["custodian"]

    typed = " ".join(w[:4].upper() for w in genesis.shares[1].split())
    assert genesis.matches_share(2, typed)
    assert not genesis.matches_share(3, typed)
    with pytest.raises(ShareError):
        genesis.matches_share(2, "not a share at all")
    assert len(genesis.check_rebuild()) == 4  # every 3-of-4 subset

    request, key = new_request("install", {}, "v3", timedelta(minutes=10))
    bundle = seal_install(genesis, request)
    verify_bundle(bundle, request, trusted_signer=None)
    payload = open_bundle(bundle, key)
    assert payload["vault_component"] == genesis.vault.reveal().hex()
    assert payload["threshold"] == 3 and payload["count"] == 4

    other_version, _ = new_request("install", {}, "v4", timedelta(minutes=10))
    with pytest.raises(GapError, match="key version"):
        seal_install(genesis, other_version)
    verify, _ = new_request("verify", {}, "v3", timedelta(minutes=10))
    with pytest.raises(GapError, match="answers a new platform key"):
        seal_install(genesis, verify)

    genesis.verified[2] = "typed words"
    record = genesis_record(
        genesis, ended=datetime(2026, 11, 28, 10, 0, tzinfo=UTC), bundles=[bundle]
    )
    assert [(a.name, a.role_text) for a in record.attendees] == [
        ("Ann", "custodian (CFO)"),
        ("Ben", "custodian (CTO)"),
        ("Cat", "custodian"),
        ("Dan", "custodian (Legal)"),
        ("Wendy", "witness"),
    ]
    assert record.custodians == ("Ann", "Ben", "Cat", "Dan")
    assert [s.verified for s in record.shares] == ["", "typed words", "", ""]
    text = pdf_text(render_record(record))
    assert "custodian (CFO)" in text and "Wendy" in text

    needles = SecretNeedles()
    needles.add_component("custodian", genesis.custodian.reveal())
    needles.add_component("vault", genesis.vault.reveal())
    for i, share in enumerate(genesis.shares):
        needles.add_share(f"share {i + 1}", share)
    assert needles.find_in(text.encode()) == []
    assert needles.find_in(repr(genesis).encode()) == []

    genesis.wipe()
    assert genesis.custodian.wiped and genesis.vault.wiped and genesis.shares == []


def test_rehearsal_ids_are_marked() -> None:
    plan = GenesisPlan(**{**PLAN.__dict__, "rehearsal": True})
    genesis = generate(plan, random_bytes=fixed_random)
    assert genesis.ceremony_id.startswith("REHEARSAL-")
    assert genesis.sheet(1).rehearsal
    genesis.wipe()
