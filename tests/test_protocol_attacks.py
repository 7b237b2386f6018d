"""Attacks on protocol v2, the room as real processes.

Every hole found in protocol v1 has a test here that shows it closed:

- an operator holding the ceremony policy (and so every request key) learns
  neither the custodian component nor the platform key from a recover-escrow;
- a forged request is refused in the room before anything is shown as
  approvable;
- a thief with t shares and every past request and bundle cannot get the
  vault component;
- install trusts only the export key printed on the ceremony record, and a
  production Vault refuses rehearsal bundles; every refusal leaves the request
  usable for the right bundle;
- every bit of a request is covered; the KEK comes out only in a token that
  lives at most an hour; a lost "done" confirmation costs no new ceremony.

The attacks on the online record (what an operator's token reads and writes,
claims, refusals that must leave a request usable, the wrapping token, the
auditor's token) run twice: on the Vault double and on a real OpenBao (the
``installed`` and ``server`` fixtures). The others run on the double only, and
why:

- the forged requests and the flipped bits are refused by the room from the
  request's own bytes; the server only supplies public data (registration,
  escrow ciphertexts), the same bytes from either backend;
- the thief works from paper and from the requests and bundles that crossed
  the gap, never from the server;
- the lost confirmation needs a "released" write that lands while its answer
  is lost, and no read-back: a fault only the double makes on demand.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import hvac
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ceremony import crockford, gap, keys
from ceremony.errors import BundleError, CeremonyError, RequestCodeError, VaultError
from ceremony.secret import Secret
from ceremony.shares import split
from ceremony.vaultops import AUDITOR_POLICY_NAME, apply_bundle
from ceremony.vaultops.paths import MASTER_KEY, REQUESTS
from tests.cli import run_authorize, run_ceremony
from tests.openbao_support import OpenBao, openbao_server
from tests.vault_support import (
    ADMIN_ID,
    BACKENDS,
    EMAIL,
    SURVEY,
    USER,
    Deployment,
    checktick_kek_key,
    start_deployment,
    write_escrow,
)

__all__ = ["openbao_server"]

KEK = bytes.fromhex("c3" * 32)


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest) -> OpenBao | None:
    """None for the double, else the session's OpenBao (reset by start_deployment)."""
    if request.param == "openbao":
        bao: OpenBao = request.getfixturevalue("openbao_server")
        return bao
    return None


def _installed(server: OpenBao | None) -> Iterator[Deployment]:
    dep = start_deployment("attacks", server=server)
    try:
        dep.install()
        write_escrow(dep, KEK)
        yield dep
    finally:
        dep.double.stop()


@pytest.fixture
def installed(server: OpenBao | None) -> Iterator[Deployment]:
    """An installed deployment with an escrow, on the double and on OpenBao."""
    yield from _installed(server)


@pytest.fixture
def installed_double() -> Iterator[Deployment]:
    """The same on the double only: for the attacks the module docstring lists."""
    yield from _installed(None)


def _shares(dep: Deployment) -> list[str]:
    return split(dep.keys.custodian, 2, 3)


def _room_session(tmp: Path) -> tuple[gap.SessionCode, Path]:
    """A session key in a memory-only folder, as a real room keeps it (``tmp`` is tmpfs)."""
    made = run_ceremony("session", "--out", str(tmp / "room"), "--json")
    assert made.returncode == 0, made.stderr
    summary = json.loads(made.stdout)
    return gap.parse_session_code(summary["session_code"]), Path(summary["session_key_file"])


def _authorize(request: gap.Request, key_file: Path, shares: list[str], out: Path) -> Any:
    return run_authorize(
        "--request",
        request.qr_payload(),
        "--session-key",
        str(key_file),
        "--out",
        str(out),
        "--json",
        stdin="\n".join(shares) + "\n",
    )


def _derivatives(dep: Deployment) -> dict[str, bytes]:
    """The custodian component, the platform key and what CheckTick derives from the latter."""
    platform = dep.keys.platform()
    user_key = hashlib.pbkdf2_hmac(
        "sha256", platform, f"checktick-user-recovery-{USER}".encode(), 200_000, 32
    )
    return {
        "custodian component": dep.keys.custodian.reveal(),
        "platform key": platform,
        "user recovery key": user_key,
        "KEK key": checktick_kek_key(platform, USER, SURVEY, 200_000),
    }


def _leaks(blob: bytes, secrets: dict[str, bytes]) -> list[str]:
    text = blob.lower()
    return [
        name
        for name, value in secrets.items()
        if value in blob or value.hex().encode() in text or value[:16].hex().encode() in text
    ]


# -- 1. the operator learns only the approved KEK ----------------------------------------


def test_an_operator_with_the_policy_and_request_key_learns_only_the_kek(
    installed: Deployment, tmp_path: Path, memory_tmp: Path
) -> None:
    dep = installed
    code, key_file = _room_session(memory_tmp)
    request = gap.parse_request(dep_request_with_session(dep, code).qr_payload())
    out = tmp_path / "answer.ctb"
    answered = _authorize(request, key_file, _shares(dep)[:2], out)
    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout)["email"] == EMAIL
    bundle_bytes = out.read_bytes()

    # The attacker: the operator policy reads the request key in Vault and opens the bundle.
    operator = hvac.Client(url=dep.double.url, token=dep.token, timeout=5)
    stored = operator.secrets.kv.v2.read_secret_version(
        f"{REQUESTS}/{request.id}", raise_on_deleted_version=True
    )["data"]["data"]
    payload = gap.open_bundle(gap.parse_bundle(bundle_bytes), bytes.fromhex(stored["private_key"]))
    transcript = (tmp_path / "answer-transcript.json").read_bytes()  # evidence, not a secret
    assert payload.pop("transcript_sha256") == hashlib.sha256(transcript).hexdigest()
    assert payload == {"payload_version": 2, "kek": KEK.hex()}  # exactly the approved result
    assert _leaks(transcript, _derivatives(dep)) == []

    secrets = _derivatives(dep)
    opened = json.dumps(payload).encode()
    assert _leaks(opened, secrets) == []
    assert _leaks(bundle_bytes, secrets) == []
    dep.apply(bundle_bytes)
    everything_in_vault = json.dumps(dep.snapshot(), sort_keys=True).encode()
    assert _leaks(everything_in_vault, secrets) == []
    # the search itself can find what it looks for
    assert _leaks(dep.keys.custodian.reveal().hex().encode(), secrets) == ["custodian component"]


def dep_request_with_session(dep: Deployment, code: gap.SessionCode) -> gap.Request:
    from ceremony.vaultops.requesting import create_request

    return create_request(
        dep.client(),
        "recover-escrow",
        {"user": USER, "survey": SURVEY},
        timedelta(minutes=30),
        session=code,
        admin_id=ADMIN_ID,
    )


# -- 2. forged requests are refused in the room ------------------------------------------


def _forged(dep: Deployment, code: gap.SessionCode, contents: gap.RequestContents) -> gap.Request:
    """A request forged from public data: the registration, a session code seen in the room."""
    real = dep.request("verify")  # only to copy what Vault registered, which is public
    assert real.registration is not None
    request, private = gap.new_request(
        "recover-escrow",
        {"user": USER, "survey": SURVEY},
        "v1",
        timedelta(minutes=30),
        registration=real.registration,
        session=code,
        contents=contents,
    )
    private.wipe()
    return request


def _real_escrow(dep: Deployment, user: str = USER, survey: str = SURVEY) -> dict[str, Any]:
    root = hvac.Client(url=dep.double.url, token="root-token", timeout=5)
    return dict(
        root.secrets.kv.v2.read_secret_version(
            f"users/{user}/surveys/{survey}/recovery-kek", raise_on_deleted_version=True
        )["data"]["data"]
    )


def test_a_forged_request_with_a_random_vault_component_is_refused_in_the_room(
    installed_double: Deployment, tmp_path: Path, memory_tmp: Path
) -> None:
    dep = installed_double
    code, key_file = _room_session(memory_tmp)
    escrow = _real_escrow(dep)
    forged = _forged(
        dep,
        code,
        gap.RequestContents(
            Secret(hashlib.sha512(b"a random vault component").digest()),
            escrow_path=f"users/{USER}/surveys/{SURVEY}/recovery-kek",
            encrypted_kek=bytes.fromhex(escrow["encrypted_kek"]),
            encrypted_email=bytes.fromhex(escrow["encrypted_email"]),
        ),
    )
    out = tmp_path / "never.ctb"
    refused = _authorize(forged, key_file, _shares(dep)[:2], out)
    assert refused.returncode == 2
    assert "Nothing is released" in refused.stderr and "fingerprint" in refused.stderr
    assert not out.exists() and not key_file.exists()  # nothing sealed; the session is spent
    assert EMAIL not in refused.stdout + refused.stderr  # nothing was shown as approvable


def test_a_forged_request_whose_escrow_path_differs_is_refused_in_the_room(
    installed_double: Deployment, tmp_path: Path, memory_tmp: Path
) -> None:
    dep = installed_double
    write_escrow(dep, bytes(32), user="99", survey="other", email="someone.else@example.test")
    other = _real_escrow(dep, "99", "other")
    code, key_file = _room_session(memory_tmp)
    root = hvac.Client(url=dep.double.url, token="root-token", timeout=5)
    vault = root.secrets.kv.v2.read_secret_version(MASTER_KEY, raise_on_deleted_version=True)
    vault_hex = vault["data"]["data"]["vault_component"]
    forged = _forged(
        dep,
        code,
        gap.RequestContents(
            Secret(bytes.fromhex(vault_hex)),
            escrow_path="users/99/surveys/other/recovery-kek",
            encrypted_kek=bytes.fromhex(other["encrypted_kek"]),
            encrypted_email=bytes.fromhex(other["encrypted_email"]),
        ),
    )
    refused = _authorize(forged, key_file, _shares(dep)[:2], tmp_path / "never.ctb")
    assert refused.returncode == 2 and "builds the path itself" in refused.stderr
    assert "someone.else" not in refused.stdout + refused.stderr

    # the other escrow relabelled with the requested path does not open under its salts
    code2, key_file2 = _room_session(memory_tmp / "second")
    relabelled = _forged(
        dep,
        code2,
        gap.RequestContents(
            Secret(bytes.fromhex(vault_hex)),
            escrow_path=f"users/{USER}/surveys/{SURVEY}/recovery-kek",
            encrypted_kek=bytes.fromhex(other["encrypted_kek"]),
            encrypted_email=bytes.fromhex(other["encrypted_email"]),
        ),
    )
    refused = _authorize(relabelled, key_file2, _shares(dep)[:2], tmp_path / "never2.ctb")
    assert refused.returncode == 2 and "not made with this key" in refused.stderr


# -- 3. a thief with t shares and every past artifact ------------------------------------


def _keys_a_thief_can_derive(custodian: bytes) -> list[bytes]:
    """X25519 private keys someone holding the custodian component could try."""
    candidates = [custodian[:32], custodian[32:], hashlib.sha256(custodian).digest()]
    for info in (b"checktick-ceremony export-signing v1", b"checktick-ceremony session v2"):
        candidates.append(
            HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(custodian)
        )
    signing = keys.export_signing_key(Secret(custodian))
    candidates.append(
        signing.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    )
    return candidates


def test_a_thief_with_shares_and_every_past_artifact_cannot_get_the_vault_component(
    installed_double: Deployment, tmp_path: Path, memory_tmp: Path
) -> None:
    dep = installed_double
    artifacts: list[bytes] = []
    requests: list[gap.Request] = []
    for round_ in range(2):  # two past recover-escrow ceremonies and a drill
        code, key_file = _room_session(memory_tmp / f"r{round_}")
        request = dep_request_with_session(dep, code)
        out = tmp_path / f"answer-{round_}.ctb"
        assert _authorize(request, key_file, _shares(dep)[:2], out).returncode == 0
        assert not key_file.exists()  # the only key that opens the request is gone
        artifacts += [request.file_text().encode(), out.read_bytes()]
        requests.append(request)
        dep.apply(out.read_bytes())
    drill = dep.request("verify")
    artifacts += [drill.file_text().encode(), dep.authorize_bundle(drill)]

    thief_component = split_and_rebuild(_shares(dep)[1:])
    vault = dep.keys.vault.reveal()
    assert all(vault not in blob and vault.hex().encode() not in blob.lower() for blob in artifacts)
    for request in requests:
        for candidate in _keys_a_thief_can_derive(thief_component):
            with pytest.raises(RequestCodeError):
                gap.open_request(request, Secret(candidate))


def split_and_rebuild(shares: list[str]) -> bytes:
    from ceremony.shares import combine

    with combine(shares) as component:
        return bytes(component.reveal())


# -- 4. install and adopt trust only the paper ------------------------------------------


def test_install_refusals_leave_the_request_usable(server: OpenBao | None) -> None:
    dep = start_deployment("install attacks", server=server)
    try:
        request = dep.request("install")
        real = dep.install_bundle(request)
        # An attacker who saw the public install request answers it with a genesis of their own.
        attacker = Deployment(dep.double, replace(dep.keys), dep.token, dep.install_token)
        attacker.keys = replace(
            attacker.keys,
            custodian=Secret(hashlib.sha512(b"attacker custodian").digest()),
            vault=Secret(hashlib.sha512(b"attacker vault").digest()),
        )
        hostile = attacker.install_bundle(request)
        installer = dep.installer()
        cases: dict[str, Callable[[], object]] = {
            "no code": lambda: apply_bundle(installer, real),
            "wrong code": lambda: apply_bundle(
                installer, real, expect_export_key=attacker.export_key_check()
            ),
            "typo in the code": lambda: apply_bundle(
                installer, real, expect_export_key="0" + dep.export_key_check()[1:]
            ),
            # the attacker applies first, with the code of their own record
            "attacker first": lambda: apply_bundle(
                installer, hostile, expect_export_key=dep.export_key_check()
            ),
        }
        codes = {}
        for name, action in cases.items():
            with pytest.raises(VaultError) as err:
                action()
            codes[name] = err.value.code
            assert "still usable" in err.value.message
            assert f"ceremony/consumed/{request.id}" not in dep.snapshot(), name
            assert MASTER_KEY not in dep.snapshot(), name
        assert codes == {
            "no code": "export-key-missing",
            "wrong code": "export-key-mismatch",
            "typo in the code": "export-key-typo",
            "attacker first": "export-key-mismatch",
        }
        # A rehearsal genesis (made on a networked laptop) never installs on production.
        rehearsal_bundle = gap.seal_bundle(
            request,
            {"payload_version": 2, "vault_component": "00" * 64},
            dep.keys.custodian,
            "REHEARSAL-1",
            dep.keys.fingerprints(),
            rehearsal=True,
        ).to_bytes()
        with pytest.raises(CeremonyError) as refused:
            dep.apply(rehearsal_bundle)
        assert "rehearsal" in refused.value.message.lower()
        assert f"ceremony/consumed/{request.id}" not in dep.snapshot()
        # The operator policy alone cannot install, whatever it holds.
        with pytest.raises(VaultError):
            apply_bundle(dep.client(), real, expect_export_key=dep.export_key_check())
        # The request is still usable for the right bundle, with the right code and policy.
        assert dep.apply(real).status == "applied"
        assert dep.snapshot()["ceremony/registration"]["export_key_check"] == (
            dep.export_key_check()
        )
    finally:
        dep.double.stop()


def test_a_practice_vault_refuses_real_bundles(server: OpenBao | None) -> None:
    dep = start_deployment("practice", rehearsal=True, server=server)
    try:
        request = dep.request("install")
        assert request.rehearsal
        payload = {"payload_version": 2, "vault_component": "00" * 64}
        # The room answers a practice request only in rehearsal ...
        with pytest.raises(BundleError) as refused:
            gap.seal_bundle(request, payload, dep.keys.custodian, "REAL-1", dep.keys.fingerprints())
        assert refused.value.code == "rehearsal"
        # ... and a real bundle made for it anyway is refused by the practice Vault.
        real = gap.seal_bundle(
            replace(request, rehearsal=False),
            payload,
            dep.keys.custodian,
            "REAL-1",
            dep.keys.fingerprints(),
        )
        with pytest.raises(CeremonyError) as err:
            dep.apply(real.to_bytes())
        assert "practice" in err.value.message
        assert f"ceremony/consumed/{request.id}" not in dep.snapshot()
    finally:
        dep.double.stop()


def test_deep_huge_and_mistyped_payloads_never_consume_the_request(installed: Deployment) -> None:
    dep = installed
    request = dep.request("verify")
    hostile: list[Any] = [
        {"payload_version": 2, "attestation": {"a": [[[[[[]]]]]]}},
        {"payload_version": "2", "attestation": {}},
        {"payload_version": 2, "attestation": None, "extra": 1},
        {"payload_version": 2, "attestation": {"request_id": 5}},
    ]
    for payload in hostile:
        bundle = gap.seal_bundle(
            request, payload, dep.keys.custodian, "C", {"custodian": _custodian_fp(dep)}
        )
        with pytest.raises(BundleError) as err:
            dep.apply(bundle.to_bytes())
        assert err.value.code == "payload" and "\n" not in err.value.message
    # JSON nested deeper than the parser's recursion limit, sealed by hand
    deep = _sealed_raw(dep, request, b"[" * 1020 + b"]" * 1020)  # fits the size limit
    with pytest.raises(BundleError) as err:
        dep.apply(deep)
    assert err.value.code == "payload"
    assert f"ceremony/consumed/{request.id}" not in dep.snapshot()
    assert dep.apply(dep.authorize_bundle(request)).status == "applied"


def _custodian_fp(dep: Deployment) -> str:
    return keys.fingerprint(dep.keys.custodian, "custodian")


def _sealed_raw(dep: Deployment, request: gap.Request, plaintext: bytes) -> bytes:
    """A correctly signed bundle whose sealed plaintext is arbitrary bytes."""
    from ceremony.gap import bundle as bundle_module
    from ceremony.gap.seal import ANSWER_SEAL, ephemeral_public, seal_to

    eph = hashlib.sha256(b"eph").digest()
    signer = keys.export_signing_key(dep.keys.custodian)
    header = bundle_module.BundleHeader(
        version=gap.BUNDLE_VERSION,
        request_id=request.id,
        operation=request.operation,
        params=dict(request.params),
        key_version=request.key_version,
        ceremony_id="C",
        created_at=request.created_at,
        expires_at=request.expires_at,
        ephemeral_public_key=ephemeral_public(eph),
        fingerprints={"custodian": _custodian_fp(dep)},
        signer_public_key=keys.export_signing_public_key(dep.keys.custodian),
    )
    ciphertext = seal_to(
        request.recipient_public_key,
        eph,
        ANSWER_SEAL,
        bytes.fromhex(request.id),
        header.to_bytes(),
        plaintext,
    )
    unsigned = gap.Bundle(header, ciphertext, b"")._unsigned()
    signature = signer.sign(bundle_module._SIGN_CONTEXT + unsigned)
    return gap.Bundle(header, ciphertext, signature).to_bytes()


# -- 5. every bit of a request; the token; a lost confirmation ------------------------------


def test_flipping_any_bit_of_a_request_is_refused(
    installed_double: Deployment, tmp_path: Path, memory_tmp: Path
) -> None:
    code, _ = _room_session(memory_tmp)
    request = dep_request_with_session(installed_double, code)
    frame = request.to_bytes()
    for bit in range(len(frame) * 8):
        flipped = bytearray(frame)
        flipped[bit // 8] ^= 1 << (bit % 8)
        text = f"CTREQ2:{crockford.encode(bytes(flipped))}"
        with pytest.raises(RequestCodeError):
            gap.parse_request(text)


def test_the_kek_comes_out_only_in_a_token_of_at_most_an_hour(installed: Deployment) -> None:
    dep = installed
    request = dep.request("recover-escrow", user=USER, survey=SURVEY)
    bundle = dep.authorize_bundle(request)
    with pytest.raises(VaultError, match="1 hour"):
        dep.apply(bundle, wrap_ttl=2 * 3600)
    assert f"ceremony/consumed/{request.id}" not in dep.snapshot()
    result = dep.apply(bundle)
    assert result.wrap_ttl == 900
    root = hvac.Client(url=dep.double.url, token="root-token", timeout=5)
    looked = root.adapter.post("/v1/sys/wrapping/lookup", json={"token": result.wrapping_token})
    assert int(looked["data"]["creation_ttl"]) <= 3600
    assert root.sys.unwrap(result.wrapping_token)["data"]["kek"] == KEK.hex()


def test_a_lost_release_confirmation_costs_no_new_ceremony(installed_double: Deployment) -> None:
    dep = installed_double
    request = dep.request("recover-escrow", user=USER, survey=SURVEY)
    bundle = dep.authorize_bundle(request)
    outcome = "secret/data/ceremony/releases/.*/outcome-.*"
    dep.double.inject("drop", path=outcome, method="POST")  # "released" lands, answer lost
    dep.double.inject("unavailable", path=outcome, method="GET", times=99)  # no read-back
    with pytest.raises(VaultError) as err:
        dep.apply(bundle)
    assert err.value.code == "unconfirmed" and "No new ceremony" in err.value.message
    dep.double.clear_faults()
    with pytest.raises(VaultError) as replay:  # a plain apply never releases twice
        dep.apply(bundle)
    assert replay.value.code == "replay" and "--release-again" in replay.value.message
    admin = dep.client(token="root-token")
    again = apply_bundle(admin, bundle, release_again=True)  # the unseen token is revoked first
    assert again.status == "released again" and again.wrapping_token
    assert dep.double.live_wrapping_tokens() == 1
    root = hvac.Client(url=dep.double.url, token="root-token", timeout=5)
    assert root.sys.unwrap(again.wrapping_token)["data"]["kek"] == KEK.hex()
    trail = _real_escrow(dep)["audit_trail"]
    assert trail["accessed_by"] == [ADMIN_ID, ADMIN_ID]  # the second release is visible
    assert trail["custodian_ceremony_requests"] == [request.id, f"{request.id}#2"]
    with pytest.raises(VaultError) as unwrapped:  # delivered now: never a third time
        apply_bundle(admin, bundle, release_again=True)
    assert unwrapped.value.code in {"delivered", "replay", "unknown-request"}


def test_a_second_person_confirms_an_install_with_a_read_only_token(
    installed: Deployment,
) -> None:
    dep = installed
    pending = dep.request("verify")
    auditor = dep.double.create_token([AUDITOR_POLICY_NAME])
    shown = run_ceremony(
        "vault", "status", "--json", env={"VAULT_ADDR": dep.double.url, "VAULT_TOKEN": auditor}
    )
    assert shown.returncode == 0, shown.stderr
    state = json.loads(shown.stdout)
    assert state["registration"]["export_key_check"] == dep.export_key_check()
    assert state["registration"]["fingerprints"]["vault"] == dep.keys.fingerprints()["vault"]
    assert state["pending_requests"] is None and state["master_key"] is None
    # the read-only token opens nothing: no request key, no vault component
    reader = hvac.Client(url=dep.double.url, token=auditor, timeout=5)
    for path in (f"{REQUESTS}/{pending.id}", MASTER_KEY):
        with pytest.raises(hvac.exceptions.Forbidden):
            reader.secrets.kv.v2.read_secret_version(path, raise_on_deleted_version=True)
