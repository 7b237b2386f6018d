"""The operation table: one module per operation, its refusals, its review, its words."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony import gap, keys
from ceremony.errors import CeremonyError
from ceremony.operations.adopt import PROOF_FIRST_HALF, PROOF_WHOLE, Adopt
from ceremony.operations.recover_escrow import RecoverEscrow
from ceremony.operations.table import (
    FIXED_BY_REQUEST,
    Review,
    Room,
    RoomRefused,
    Row,
    operation,
    refusal,
)
from ceremony.secret import Secret
from tests.vault_support import checktick_email_key, checktick_kek_key

ITERATIONS = 1000  # CheckTick's PBKDF2 cost is the benchmark's; the derivation is the same
USER, SURVEY, EMAIL = "42", "s-7", "ann@checktick.test"
TTL = timedelta(minutes=30)


def _registration(component: Secret, vault: Secret) -> gap.Registration:
    return gap.Registration(
        keys.export_signing_public_key(component), keys.fingerprints(component, vault)
    )


def _escrow(
    component: Secret, true_vault: Secret, carried: bytes, *, kek: bool
) -> gap.RequestContents:
    """What Vault seals to the room: ``carried`` as its half, an escrowed e-mail and optionally
    the KEK, both escrowed by CheckTick under the true platform key."""
    user = USER
    with keys.xor(component, true_vault) as platform:
        p = platform.reveal()
        email_key = checktick_email_key(p, user, ITERATIONS)
        kek_key = checktick_kek_key(p, user, SURVEY, ITERATIONS)
    nonce = bytes(12)
    return gap.RequestContents(
        Secret(carried, "vault"),
        escrow_user=user,
        encrypted_email=nonce + AESGCM(email_key).encrypt(nonce, EMAIL.encode(), None),
        escrow_path=f"users/{user}/surveys/{SURVEY}/recovery-kek" if kek else "",
        encrypted_kek=nonce + AESGCM(kek_key).encrypt(nonce, bytes(32), None) if kek else b"",
    )


@pytest.fixture
def halves() -> tuple[Secret, Secret]:
    return keys.new_component(), keys.new_component()


def test_every_operation_is_one_module_with_its_words() -> None:
    for name in gap.OPERATIONS:
        rules = operation(name)
        assert rules.name == name
        assert type(rules).__module__ == f"ceremony.operations.{name.replace('-', '_')}"
        for words in (rules.title, rules.leaves_the_room, rules.sealed):
            assert words.strip() and "DESIGN" not in words


# -- refused before any secret exists, for every parameter a request fixes ------------


def _request(
    operation_name: gap.Operation,
    component: Secret,
    vault: Secret,
    *,
    rehearsal: bool = False,
    key_version: str = "v1",
    registered: bool | None = None,
    session: gap.SessionCode | None = None,
    now: datetime | None = None,
) -> gap.Request:
    needs_session = operation_name in gap.SESSION_OPERATIONS
    params = {"user": USER, "survey": SURVEY} if operation_name == "recover-escrow" else {}
    if registered is None:
        registered = operation_name in ("verify", "recover-escrow")
    contents = None
    if needs_session:
        contents = gap.RequestContents(
            Secret(vault.reveal()),
            escrow_path=f"users/{USER}/surveys/{SURVEY}/recovery-kek"
            if operation_name == "recover-escrow"
            else "",
            encrypted_kek=bytes(60) if operation_name == "recover-escrow" else b"",
            encrypted_email=bytes(60) if operation_name == "recover-escrow" else b"",
        )
    request, private = gap.new_request(
        operation_name,
        params,
        key_version,
        TTL,
        now=now,
        registration=_registration(component, vault) if registered else None,
        rehearsal=rehearsal,
        session=session if needs_session else None,
        contents=contents,
    )
    private.wipe()
    return request


@pytest.mark.parametrize("name", gap.OPERATIONS)
def test_each_parameter_a_request_fixes_is_compared_before_any_secret(
    name: gap.Operation, halves: tuple[Secret, Secret]
) -> None:
    component, vault = halves
    code, session_key = gap.new_session()
    room = Room(
        rehearsal=False,
        answers=(name,),
        key_version="v1" if name == "install" else "",
        session_public_key=code.public_key,
    )
    good = _request(name, component, vault, session=code)
    assert refusal(good, room) is None
    other = next(o for o in gap.OPERATIONS if o != name)
    cases: dict[str, tuple[gap.Request, Room]] = {
        "operation": (good, dataclasses.replace(room, answers=(other,))),
        # Both directions: a real room refuses a practice Vault, a rehearsal a production one.
        "rehearsal": (_request(name, component, vault, rehearsal=True, session=code), room),
        "rehearsal ": (good, dataclasses.replace(room, rehearsal=True)),
        "key version": (good, dataclasses.replace(room, key_version="2026-1")),
        "expiry": (
            _request(name, component, vault, session=code, now=datetime.now(UTC) - 2 * TTL),
            room,
        ),
    }
    if name in gap.SESSION_OPERATIONS:
        other_code, _ = gap.new_session()
        cases["session code"] = (_request(name, component, vault, session=other_code), room)
    if name in ("verify", "recover-escrow"):
        cases["registration"] = (
            _request(name, component, vault, registered=False, session=code),
            room,
        )
    if name == "adopt":
        cases["registration"] = (
            _request(name, component, vault, registered=True, session=code),
            room,
        )
    walked = {case.strip() for case in cases}
    expected = set(FIXED_BY_REQUEST)
    if name not in gap.SESSION_OPERATIONS:
        expected.discard("session code")
    if name == "install":
        expected.discard("registration")  # an install request may name an old key: allowed
    assert walked == expected, "every parameter a request fixes is walked"
    codes = {
        "operation": "operation",
        "rehearsal": "rehearsal",
        "key version": "key-version",
        "expiry": "expired",
        "session code": "session",
        "registration": "registered" if name == "adopt" else "unregistered",
    }
    for case, (request, in_room) in cases.items():
        refused = refusal(request, in_room)
        assert refused is not None, case
        assert refused.code == codes[case.strip()], (case, refused.message)
        assert refused.message.endswith("."), refused.message
    session_key.wipe()


# -- the review: the same words everywhere, named by a digest --------------------------


def test_a_review_digest_names_exactly_what_was_shown() -> None:
    review = Review(
        operation="recover-escrow",
        request_id="ab" * 16,
        summary="Check it:",
        rows=(Row("user", "User", "42"), Row("email", "E-mail", "a@b.c")),
        approval="release it",
        fingerprints={},
    )
    digest = review.digest()
    assert len(digest) == 39 and digest.count("-") == 7  # 128 bits in groups of four
    assert digest == dataclasses.replace(review).digest()
    for changed in (
        dataclasses.replace(review, rows=(Row("user", "User", "43"), review.rows[1])),
        dataclasses.replace(review, request_id="cd" * 16),
        dataclasses.replace(review, approval="release both"),
    ):
        assert changed.digest() != digest
    assert "User:" in review.text() and "a@b.c" in review.text()
    assert review.values() == {"user": "42", "email": "a@b.c"}


def test_recover_escrow_reviews_before_it_seals_and_seals_only_the_kek(
    halves: tuple[Secret, Secret],
) -> None:
    component, vault = halves
    code, session_key = gap.new_session()
    with keys.xor(component, vault) as platform:
        p = platform.reveal()
        kek_key = checktick_kek_key(p, USER, SURVEY, ITERATIONS)
        email_key = checktick_email_key(p, USER, ITERATIONS)
    kek, nonce = secrets.token_bytes(32), bytes(12)
    request, private = gap.new_request(
        "recover-escrow",
        {"user": USER, "survey": SURVEY, "ticket": "T-1"},
        "v1",
        TTL,
        registration=_registration(component, vault),
        session=code,
        contents=gap.RequestContents(
            Secret(vault.reveal()),
            escrow_path=f"users/{USER}/surveys/{SURVEY}/recovery-kek",
            encrypted_kek=nonce + AESGCM(kek_key).encrypt(nonce, kek, None),
            encrypted_email=nonce + AESGCM(email_key).encrypt(nonce, EMAIL.encode(), None),
        ),
    )
    rules = RecoverEscrow(ITERATIONS, ITERATIONS)
    review = rules.review(request, component, session_key)
    assert review.values()["email"] == EMAIL and review.values()["ticket"] == "T-1"
    room = Room(rehearsal=False, session_public_key=code.public_key)
    practice_room = dataclasses.replace(room, rehearsal=True)
    with pytest.raises(RoomRefused) as refused:  # the seal asks the table again
        rules.seal(review, request, component, "C-1", practice_room, "slip39")
    assert refused.value.code == "rehearsal"
    bundle = rules.seal(review, request, component, "C-1", room, "slip39")
    assert gap.open_bundle(bundle, private) == {"payload_version": 2, "kek": kek.hex()}
    assert not bundle.header.rehearsal
    review.wipe()
    assert review.secret is not None and review.secret.wiped


# -- adopt: the room says exactly what its proof covers ----------------------------------


def _adopt(component: Secret, contents: gap.RequestContents) -> tuple[gap.Request, Secret]:
    code, session_key = gap.new_session()
    request, private = gap.new_request("adopt", {}, "v1", TTL, session=code, contents=contents)
    private.wipe()
    return request, session_key


def test_a_forged_second_half_passes_the_email_only_as_a_first_half_proof(
    halves: tuple[Secret, Secret],
) -> None:
    """V' = V[:32] + random opens CheckTick's e-mail (its key covers P[:32] only): the room
    must not call that a proof of the whole key, and an escrowed KEK refuses it."""
    component, vault = halves
    forged = vault.reveal()[:32] + secrets.token_bytes(32)
    rules = Adopt(ITERATIONS, ITERATIONS)

    request, session_key = _adopt(component, _escrow(component, vault, forged, kek=False))
    review = rules.review(request, component, session_key)
    assert review.facts["proof"] == PROOF_FIRST_HALF
    proved = review.values()["proved"]
    assert "first 32 bytes only" in proved and "64" not in proved
    assert "not the rest" in review.summary and "whole" not in review.summary

    request, session_key = _adopt(component, _escrow(component, vault, forged, kek=True))
    with pytest.raises(CeremonyError) as refused:
        rules.review(request, component, session_key)
    assert "not made with this key" in str(refused.value)

    request, session_key = _adopt(component, _escrow(component, vault, vault.reveal(), kek=True))
    review = rules.review(request, component, session_key)
    assert review.facts["proof"] == PROOF_WHOLE
    assert "all 64 bytes" in review.values()["proved"]
