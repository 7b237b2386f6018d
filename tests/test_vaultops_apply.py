"""`apply` on both backends (the double and a real OpenBao): every operation, exactly once,
refusals. Tests that need a fault on demand use the double alone (``double_deployment``)."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import hvac
import pytest

from ceremony import gap, keys
from ceremony.errors import BundleError, CeremonyError, VaultError
from ceremony.operations.escrow import EscrowError
from ceremony.operations.install import install_payload
from ceremony.operations.table import RoomRefused
from ceremony.operations.verify import attest
from ceremony.secret import Secret
from ceremony.vaultops import apply_bundle, audit_entries, status
from ceremony.vaultops.paths import MASTER_KEY
from tests.openbao_support import openbao_server
from tests.vault_support import (
    ADMIN_ID,
    CEREMONY_ID,
    SURVEY,
    USER,
    Deployment,
    deployment,
    double_deployment,
    seeded,
    write_escrow,
)

__all__ = ["deployment", "double_deployment", "openbao_server"]

KEK = bytes(range(32))


def install(dep: Deployment) -> None:
    assert dep.install().status == "applied"


def test_install_writes_checktick_fields_and_registers(deployment: Deployment) -> None:
    request = deployment.request("install")
    result = deployment.apply(deployment.install_bundle(request))
    assert result.operation == "install" and result.request_id == request.id
    assert result.fingerprints == deployment.keys.fingerprints()
    # CheckTick's own client reads data.data.vault_component
    root = hvac.Client(url=deployment.double.url, token="root-token", timeout=5)
    read = root.secrets.kv.v2.read_secret_version(MASTER_KEY, raise_on_deleted_version=True)
    master = read["data"]["data"]
    assert bytes.fromhex(master["vault_component"]) == deployment.keys.vault.reveal()
    assert master["algorithm"] == "XOR split-knowledge" and master["key_size"] == 512
    assert master["created_at"] and master["note"]
    assert master["fingerprints"] == deployment.keys.fingerprints()
    assert (
        master["export_public_key"]
        == keys.export_signing_public_key(deployment.keys.custodian).hex()
    )
    assert master["key_version"] == "v1" and master["ceremony_id"] == CEREMONY_ID
    assert master["share_scheme"] == "slip39"
    state = status(deployment.client())
    assert state.registration is not None
    assert state.registration["fingerprints"] == deployment.keys.fingerprints()
    assert state.registration["export_key_check"] == deployment.export_key_check()
    assert state.pending == []
    assert not any(p.startswith("ceremony/requests/") for p in deployment.snapshot())


def test_verify_records_a_drill(deployment: Deployment) -> None:
    assert deployment.request("install").custodian_fingerprint is None  # nothing registered yet
    install(deployment)
    request = deployment.request("verify")
    # the request carries the registered fingerprint, so the room checks its shares against it
    assert request.custodian_fingerprint == deployment.keys.fingerprints()["custodian"]
    result = deployment.apply(deployment.authorize_bundle(request))
    assert result.operation == "verify" and result.wrapping_token is None
    drill = deployment.snapshot()[f"ceremony/drills/{request.id}"]
    assert drill["export_key_check"] == deployment.export_key_check()
    assert drill["fingerprints"]["custodian"] == deployment.keys.fingerprints()["custodian"]
    entries = audit_entries(deployment.client())
    assert [e["operation"] for e in entries] == ["verify", "drill", "install"]
    assert all(e["verified"] for e in entries), entries


def test_adopt_registers_beside_an_existing_checktick_key(deployment: Deployment) -> None:
    root = deployment.client(token="root-token")
    checktick = {
        "vault_component": deployment.keys.vault.reveal().hex(),
        "created_at": "2025-01-01T00:00:00Z",
        "algorithm": "XOR split-knowledge",
        "key_size": 512,
        "note": "written by CheckTick's setup script",
    }
    assert root.create(MASTER_KEY, checktick, "test")
    write_escrow(deployment, KEK, iterations=2000)  # its e-mail proves shares and Vault match
    request = deployment.request("adopt")
    result = deployment.apply(deployment.authorize_bundle(request))
    assert result.fingerprints == deployment.keys.fingerprints()  # platform recorded too
    snap = deployment.snapshot()
    assert snap[MASTER_KEY] == checktick  # CheckTick's record is left as it was
    assert snap["ceremony/registration"]["operation"] == "adopt"
    assert snap["ceremony/registration"]["email_proof"] is True
    assert (
        snap["ceremony/registration"]["fingerprints"]["platform"]
        == (deployment.keys.fingerprints()["platform"])
    )
    with pytest.raises(VaultError, match="already registered") as err:
        deployment.request("adopt")
    assert err.value.code == "registered"


def test_recover_escrow_releases_the_kek_only_in_a_wrapping_token(
    deployment: Deployment,
) -> None:
    install(deployment)
    write_escrow(deployment, KEK)
    request = deployment.request("recover-escrow", user=USER, survey=SURVEY)
    bundle = deployment.authorize_bundle(request)
    result = deployment.apply(bundle)
    assert result.wrapping_token is not None
    assert result.wrap_ttl == 15 * 60
    assert KEK.hex() not in repr(result) and KEK.hex() not in str(result.summary().keys())
    unwrapped = hvac.Client(url=deployment.double.url, token="root-token", timeout=5)
    data = unwrapped.sys.unwrap(result.wrapping_token)["data"]
    assert data == {"kek": KEK.hex(), "user_id": USER, "survey_id": SURVEY}
    with pytest.raises(hvac.exceptions.InvalidRequest):  # single use
        unwrapped.sys.unwrap(result.wrapping_token)
    escrow = deployment.snapshot()[f"users/{USER}/surveys/{SURVEY}/recovery-kek"]
    assert escrow["audit_trail"]["accessed_by"] == [ADMIN_ID]  # an integer, as CheckTick writes
    assert len(escrow["audit_trail"]["access_timestamps"]) == 1
    assert request.id in escrow["audit_trail"]["last_verification_notes"]
    assert escrow["purpose"] == "ethical-recovery"  # the rest of CheckTick's record is kept


def test_escrow_under_another_platform_key_is_refused(deployment: Deployment) -> None:
    install(deployment)
    other = Deployment(deployment.double, dataclasses.replace(deployment.keys), deployment.token)
    other.keys = dataclasses.replace(other.keys, vault=Secret(seeded("another vault")))
    write_escrow(other, KEK)
    deployment.iterations = 200_000
    request = deployment.request("recover-escrow", user=USER, survey=SURVEY)
    # The room opens the escrow itself and refuses before anything leaves it.
    with pytest.raises(EscrowError, match="not made with this key") as err:
        deployment.authorize_bundle(request)
    assert err.value.code == "not-this-key"
    assert deployment.double.live_wrapping_tokens() == 0
    assert f"ceremony/consumed/{request.id}" not in deployment.snapshot()


def test_replay_is_refused(deployment: Deployment) -> None:
    install(deployment)
    request = deployment.request("verify")
    bundle = deployment.authorize_bundle(request)
    deployment.apply(bundle)
    before = deployment.snapshot()
    with pytest.raises(VaultError, match="already applied") as err:
        apply_bundle(deployment.client(), bundle)
    assert err.value.code == "replay"
    with pytest.raises(VaultError, match="different bundle") as err:
        apply_bundle(deployment.client(), deployment.authorize_bundle(request))
    assert err.value.code == "other-bundle"
    assert deployment.snapshot() == before


def test_a_second_bundle_for_a_claimed_request_is_refused(double_deployment: Deployment) -> None:
    install(double_deployment)
    request = double_deployment.request("verify")
    first, second = (
        double_deployment.authorize_bundle(request),
        double_deployment.authorize_bundle(request),
    )
    double_deployment.double.inject("unavailable", path="secret/data/ceremony/audit/.*")
    with pytest.raises(VaultError):
        apply_bundle(double_deployment.client(), first)  # claimed, then cut short
    double_deployment.double.clear_faults()
    with pytest.raises(VaultError, match="different bundle") as err:
        apply_bundle(double_deployment.client(), second)
    assert err.value.code == "other-bundle"
    assert apply_bundle(double_deployment.client(), first).resumed


def test_eight_concurrent_applies_one_wins(deployment: Deployment) -> None:
    install(deployment)
    write_escrow(deployment, KEK, iterations=1000)
    request = deployment.request("recover-escrow", user=USER, survey=SURVEY)
    bundle = deployment.authorize_bundle(request)
    barrier = threading.Barrier(8)

    def run(_: int) -> str:
        client = deployment.client()
        barrier.wait()
        try:
            result = apply_bundle(client, bundle)
        except VaultError as err:
            return f"refused:{err.code}:{err.message}"
        return f"ok:{result.wrapping_token}"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(run, range(8)))
    winners = [o for o in outcomes if o.startswith("ok:")]
    assert len(winners) == 1, outcomes
    for refused in (o for o in outcomes if not o.startswith("ok:")):
        code = refused.split(":")[1]
        assert code in {"in-progress", "replay", "unknown-request"}, refused
        assert "\n" not in refused
    escrow = deployment.snapshot()[f"users/{USER}/surveys/{SURVEY}/recovery-kek"]
    assert escrow["audit_trail"]["accessed_by"] == [ADMIN_ID]
    assert deployment.double.live_wrapping_tokens() == 1  # losers never made one
    root = hvac.Client(url=deployment.double.url, token="root-token", timeout=5)
    assert root.sys.unwrap(winners[0].removeprefix("ok:"))["data"]["kek"] == KEK.hex()


def test_expired_request_is_refused(deployment: Deployment) -> None:
    install(deployment)
    request = deployment.request("verify")
    bundle = deployment.authorize_bundle(request)
    later = datetime.now(UTC) + timedelta(hours=1)
    with pytest.raises(BundleError, match="expired") as err:
        apply_bundle(deployment.client(), bundle, now=later)
    assert err.value.code == "expired"
    assert "ceremony/consumed/" + request.id not in deployment.snapshot()


def test_bundle_for_another_operation_is_refused(deployment: Deployment) -> None:
    install(deployment)
    write_escrow(deployment, KEK, iterations=1000)
    request = deployment.request("recover-escrow", user=USER, survey=SURVEY)
    forged = dataclasses.replace(request, operation="verify", params={}, sealed=None)
    bundle = attest(forged, deployment.keys.custodian, CEREMONY_ID).to_bytes()
    with pytest.raises(BundleError) as err:
        apply_bundle(deployment.client(), bundle)
    assert err.value.code == "operation"
    assert f"ceremony/consumed/{request.id}" not in deployment.snapshot()


def test_bundle_with_other_parameters_is_refused(deployment: Deployment) -> None:
    install(deployment)
    write_escrow(deployment, KEK, iterations=1000)
    request = deployment.request("recover-escrow", user=USER, survey=SURVEY)
    forged = dataclasses.replace(request, params={"user": "7", "survey": SURVEY})
    payload = {"payload_version": 2, "kek": KEK.hex()}
    bundle = gap.seal_bundle(
        forged, payload, deployment.keys.custodian, CEREMONY_ID, deployment.keys.fingerprints()
    )
    with pytest.raises(BundleError) as err:
        apply_bundle(deployment.client(), bundle.to_bytes())
    assert err.value.code == "params"


def test_another_key_version_is_refused_plainly(deployment: Deployment) -> None:
    install(deployment)
    from ceremony.vaultops import create_request

    with pytest.raises(VaultError, match="key version v1") as err:
        create_request(deployment.client(), "verify", {}, timedelta(minutes=5), "v2")
    assert err.value.code == "key-version"
    assert "64-byte" in err.value.message


def test_unregistered_signer_is_refused(deployment: Deployment) -> None:
    install(deployment)
    request = deployment.request("verify")
    stranger = Secret(seeded("a stranger's component"))
    # The room itself refuses shares that rebuild another key ...
    with pytest.raises(RoomRefused) as refused:
        deployment.authorize_bundle(request, stranger)
    assert refused.value.code == "fingerprint"
    # ... and the online side refuses a bundle a stranger signed anyway.
    forged = dataclasses.replace(request, registration=None)
    payload = {
        "payload_version": 2,
        "attestation": {
            "request_id": request.id,
            "attested_at": "2026-03-14 09:30:00 UTC",
            "custodian_fingerprint": keys.fingerprint(stranger, "custodian"),
            "export_key_check": keys.export_key_check_of(stranger),
            "statement": "forged",
        },
    }
    bundle = gap.seal_bundle(
        forged,
        payload,
        stranger,
        CEREMONY_ID,
        {"custodian": keys.fingerprint(stranger, "custodian")},
    )
    with pytest.raises(BundleError) as err:
        apply_bundle(deployment.client(), bundle.to_bytes())
    assert err.value.code == "signer"


def test_install_bundle_whose_vault_fingerprint_lies_is_refused(deployment: Deployment) -> None:
    request = deployment.request("install")
    payload = install_payload(Secret(bytes.fromhex("ab" * 64)), "slip39", 2, 3)
    bundle = gap.seal_bundle(
        request,
        payload,
        deployment.keys.custodian,
        CEREMONY_ID,
        deployment.keys.fingerprints(),
    )
    with pytest.raises(BundleError, match="vault fingerprint") as err:
        deployment.apply(bundle.to_bytes())
    assert err.value.code == "payload"
    assert MASTER_KEY not in deployment.snapshot()
    assert f"ceremony/consumed/{request.id}" not in deployment.snapshot()  # not consumed


def test_truncated_oversized_and_flipped_bundles_are_refused(deployment: Deployment) -> None:
    install(deployment)
    request = deployment.request("verify")
    bundle = deployment.authorize_bundle(request)
    codes = set()
    for bad in (bundle[:-10], bundle + b"\0" * 5000, b"CTB\x09" + bundle[4:]):
        with pytest.raises(BundleError) as err:
            apply_bundle(deployment.client(), bad)
        codes.add(err.value.code)
        assert "\n" not in err.value.message
    assert len(codes) == 3
    client = deployment.client()
    for position in range(len(bundle)):  # every byte is covered by parse or signature
        flipped = bytearray(bundle)
        flipped[position] ^= 1 << (position % 8)
        with pytest.raises(CeremonyError):
            apply_bundle(client, bytes(flipped))
    assert apply_bundle(deployment.client(), bundle).status == "applied"


def test_unknown_request_is_refused(deployment: Deployment) -> None:
    other = Deployment(deployment.double, deployment.keys, deployment.token)
    request, private = gap.new_request("install", {}, "v1", timedelta(minutes=5))
    private.wipe()
    with pytest.raises(VaultError, match="no pending request") as err:
        deployment.apply(other.install_bundle(request))
    assert err.value.code == "unknown-request"


def test_audit_is_newest_first(deployment: Deployment) -> None:
    install(deployment)
    for _ in range(2):
        request = deployment.request("verify")
        deployment.apply(deployment.authorize_bundle(request))
    entries = audit_entries(deployment.client())
    assert [e["operation"] for e in entries][-1] == "install"
    times = [e["time"] for e in entries]
    assert times == sorted(times, reverse=True)


def test_an_interrupted_apply_may_finish_after_expiry(double_deployment: Deployment) -> None:
    install(double_deployment)
    request = double_deployment.request("verify")
    bundle = double_deployment.authorize_bundle(request)
    double_deployment.double.inject("unavailable", path="secret/data/ceremony/drills/.*")
    with pytest.raises(VaultError):
        apply_bundle(double_deployment.client(), bundle)  # claimed in time, then cut short
    double_deployment.double.clear_faults()
    later = datetime.now(UTC) + timedelta(hours=1)
    assert apply_bundle(double_deployment.client(), bundle, now=later).resumed
    with pytest.raises(BundleError, match="expired"):  # expiry still guards a first claim
        apply_bundle(
            double_deployment.client(),
            double_deployment.authorize_bundle(double_deployment.request("verify")),
            now=later,
        )
