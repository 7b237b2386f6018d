"""Request codes and bundles that cross the air gap (ceremony.gap)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import qrcode
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from shamir_mnemonic.wordlist import WORDLIST

from ceremony import crockford, keys
from ceremony.errors import BundleError, GapError, RequestCodeError
from ceremony.gap import (
    MAX_BUNDLE_BYTES,
    OPERATION_PARAMS,
    OPERATIONS,
    SESSION_OPERATIONS,
    Bundle,
    Operation,
    Request,
    RequestContents,
    bundle_digest,
    new_request,
    new_session,
    open_bundle,
    open_request,
    parse_bundle,
    parse_request,
    seal_bundle,
    verify_bundle,
)
from ceremony.secret import Secret

NOW = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)
TTL = timedelta(minutes=30)
ESCROW = {"user": "42", "survey": "climate-2026"}


def seeded(label: str) -> Callable[[int], bytes]:
    """A deterministic random source: SHA-256 in counter mode over a label."""
    counter = iter(range(1 << 30))

    def draw(n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(f"{label}/{next(counter)}".encode()).digest()
        return out[:n]

    return draw


SESSION_CODE, SESSION_KEY = new_session(random_bytes=seeded("session"))


def contents_for(operation: Operation) -> RequestContents:
    vault = Secret(seeded("vault")(64), "vault")
    if operation == "recover-escrow":
        return RequestContents(
            vault,
            escrow_path="users/42/surveys/climate-2026/recovery-kek",
            encrypted_kek=seeded("kek")(60),
            encrypted_email=seeded("email")(44),
        )
    return RequestContents(vault, escrow_user="42", encrypted_email=seeded("email")(44))


def make_request(
    operation: Operation = "recover-escrow", label: str = "request"
) -> tuple[Request, Secret]:
    params = ESCROW if operation == "recover-escrow" else {}
    sealed = operation in SESSION_OPERATIONS
    return new_request(
        operation,
        params,
        "v1",
        TTL,
        now=NOW,
        random_bytes=seeded(label),
        session=SESSION_CODE if sealed else None,
        contents=contents_for(operation) if sealed else None,
    )


@pytest.fixture
def component() -> Iterator[Secret]:
    with keys.new_component(random_bytes=seeded("custodian")) as secret:
        yield secret


def seal(request: Request, component: Secret, **overrides: Any) -> Bundle:
    args: dict[str, Any] = {
        "payload": {"payload_version": 2, "kek": seeded("kek")(32).hex()},
        "custodian": component,
        "ceremony_id": "2026-03-14-drill",
        "fingerprints": keys.fingerprints(component),
        "now": NOW + timedelta(minutes=5),
        "random_bytes": seeded("ephemeral"),
    }
    args.update(overrides)
    return seal_bundle(request, **args)


def refusal(action: Callable[[], object]) -> GapError:
    with pytest.raises(GapError) as info:
        action()
    return info.value


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize("operation", OPERATIONS)
def test_request_round_trips_through_every_form(operation: Operation) -> None:
    request, _ = make_request(operation)
    assert parse_request(request.qr_payload(), now=NOW) == request
    assert parse_request(request.typed_code(), now=NOW) == request
    assert parse_request(request.typed_code(per_line=4), now=NOW) == request
    assert parse_request(request.file_text(), now=NOW) == request
    assert parse_request(request.file_text().encode(), now=NOW) == request
    assert request.qr_payload().startswith("CTREQ2:")
    assert sorted(request.params) == list(OPERATION_PARAMS[operation])


def test_typed_code_forgives_case_separators_and_crockford_look_alikes() -> None:
    request, _ = make_request()
    code = request.typed_code()
    sloppy = " ".join(code.replace("-", "")).lower().replace("0", "o").replace("1", "l")
    assert sloppy != code
    assert parse_request(sloppy, now=NOW) == request
    assert parse_request(code.replace("-", " - "), now=NOW) == request


def test_request_fields_and_private_key() -> None:
    request, private = make_request()
    assert len(bytes.fromhex(request.id)) == 16
    assert request.expires_at - request.created_at == TTL
    assert request.created_at == NOW
    assert len(request.recipient_public_key) == 32
    assert (
        len(private) == 32
        and "bytes" in repr(private)
        and private.reveal().hex() not in repr(private)
    )
    assert "user 42" in request.describe() and "climate-2026" in request.describe()


def test_check_words_are_four_slip39_words_and_depend_on_the_whole_request() -> None:
    request, _ = make_request()
    words = request.check_words()
    assert len(words) == 4 and all(w in WORDLIST for w in words)
    assert parse_request(request.qr_payload(), now=NOW).check_words() == words
    other = dataclasses.replace(request, key_version="v2")
    assert other.check_words() != words
    assert " ".join(words) in request.file_text()


def test_requests_are_random_by_default() -> None:
    a, _ = new_request("verify", {}, "v1", TTL)
    b, _ = new_request("verify", {}, "v1", TTL)
    assert a.id != b.id and a.recipient_public_key != b.recipient_public_key


def _compact(code: str) -> str:
    return code.replace("-", "")


def test_every_single_substitution_in_the_typed_code_is_caught_and_located() -> None:
    request, _ = make_request()
    compact = _compact(request.typed_code())
    for pos, original in enumerate(compact):
        for symbol in crockford.ALPHABET:
            if symbol == original:
                continue
            typo = compact[:pos] + symbol + compact[pos + 1 :]
            err = refusal(lambda typo=typo: parse_request(typo, now=NOW))  # type: ignore[misc]
            assert isinstance(err, RequestCodeError)
            assert err.code == "typo"
            assert f"Group {pos // 6 + 1} " in err.message


def test_every_adjacent_swap_in_the_typed_code_is_caught() -> None:
    request, _ = make_request()
    compact = _compact(request.typed_code())
    swaps = 0
    for pos in range(len(compact) - 1):
        a, b = compact[pos], compact[pos + 1]
        if a == b:
            continue
        swapped = compact[:pos] + b + a + compact[pos + 2 :]
        err = refusal(lambda s=swapped: parse_request(s, now=NOW))  # type: ignore[misc]
        assert err.code == "typo"
        assert f"Group {pos // 6 + 1} " in err.message
        swaps += 1
    assert swaps > len(compact) // 2


def test_a_symbol_outside_the_alphabet_names_its_group() -> None:
    request, _ = make_request()
    groups = request.typed_groups()
    groups[3] = groups[3][:2] + "U" + groups[3][3:]
    err = refusal(lambda: parse_request("-".join(groups), now=NOW))
    assert err.code == "typo" and "Group 4 " in err.message and "'U'" in err.message


def test_skipped_or_reordered_groups_are_caught() -> None:
    request, _ = make_request()
    groups = request.typed_groups()
    reordered = [*groups[:2], groups[3], groups[2], *groups[4:]]
    assert refusal(lambda: parse_request("-".join(reordered), now=NOW)).code == "typo"
    skipped = groups[:5] + groups[6:]
    assert refusal(lambda: parse_request("-".join(skipped), now=NOW)).code == "typo"


def test_damage_that_passes_the_group_checks_fails_the_overall_check() -> None:
    request, _ = make_request()
    frame = bytearray(request.to_bytes())
    frame[20] ^= 0x01
    retyped = "-".join(crockford.split_groups(bytes(frame)))
    err = refusal(lambda: parse_request(retyped, now=NOW))
    assert err.code == "checksum"


def test_request_refusals_have_distinct_messages() -> None:
    request, _ = make_request()
    frame = request.to_bytes()
    payload = request.qr_payload()
    groups = request.typed_groups()
    newer = bytes([3]) + frame[1:]
    cases = {
        "expired": lambda: parse_request(payload, now=request.expires_at),
        "truncated typed": lambda: parse_request("-".join(groups[:-3]), now=NOW),
        "truncated payload": lambda: parse_request(payload[:-7], now=NOW),
        "oversized": lambda: parse_request("0" * 20_000, now=NOW),
        "oversized payload": lambda: parse_request("CTREQ2:" + "0" * 2000, now=NOW),
        "version prefix": lambda: parse_request("CTREQ1:" + payload[7:], now=NOW),
        "version byte": lambda: parse_request("CTREQ2:" + crockford.encode(newer), now=NOW),
        "malformed": lambda: parse_request("CTREQ2:*&^%", now=NOW),
        "empty": lambda: parse_request("  ", now=NOW),
        "not text": lambda: parse_request(b"\xff\xfe\x00", now=NOW),
        "checksum": lambda: parse_request(
            "CTREQ2:" + crockford.encode(frame[:-1] + bytes([frame[-1] ^ 1])), now=NOW
        ),
    }
    errors = {name: refusal(action) for name, action in cases.items()}
    assert all(isinstance(e, RequestCodeError) for e in errors.values())
    assert errors["expired"].code == "expired"
    assert errors["truncated typed"].code == "truncated"
    assert errors["truncated payload"].code == "truncated"
    assert errors["oversized"].code == errors["oversized payload"].code == "oversized"
    assert errors["version prefix"].code == errors["version byte"].code == "version"
    assert errors["malformed"].code == "malformed"
    assert errors["checksum"].code == "checksum"
    by_kind = {
        "expired",
        "truncated typed",
        "oversized",
        "version byte",
        "malformed",
        "empty",
        "not text",
        "checksum",
    }
    messages = [errors[name].message for name in by_kind]
    assert len(set(messages)) == len(messages)
    assert "expired" in errors["expired"].message and "clock" in errors["expired"].message


def test_a_request_made_at_the_end_of_the_calendar_is_refused_in_one_line() -> None:
    """Its creation time is a real moment but its expiry is not: a refusal, not a traceback."""
    request, _ = make_request("verify")
    frame = bytearray(request.to_bytes()[:-4])
    last_minute = int(datetime(9999, 12, 31, 23, 59, tzinfo=UTC).timestamp())
    frame[20:28] = last_minute.to_bytes(8, "big")  # after version, length, id and operation
    frame += hashlib.sha256(frame).digest()[:4]
    err = refusal(lambda: parse_request("CTREQ2:" + crockford.encode(bytes(frame)), now=NOW))
    assert isinstance(err, RequestCodeError) and err.code == "malformed"
    assert "creation time is out of range" in err.message


def test_new_request_refuses_bad_arguments() -> None:
    assert refusal(lambda: new_request("verify", {"user": "1"}, "v1", TTL)).code == "params"
    assert refusal(lambda: new_request("recover-escrow", {"user": "1"}, "v1", TTL)).code == (
        "params"
    )
    bad_path = {"user": "1", "survey": "../master-key"}
    assert refusal(lambda: new_request("recover-escrow", bad_path, "v1", TTL)).code == "params"
    assert refusal(lambda: new_request("verify", {}, "", TTL)).code == "params"
    assert refusal(lambda: new_request("verify", {}, "v1", timedelta(days=31))).code == "params"
    assert refusal(lambda: new_request("rotate", {}, "v1", TTL)).code == "params"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- bundles


@pytest.mark.parametrize("operation", OPERATIONS)
def test_bundle_round_trips_as_file_and_as_text_line(
    operation: Operation, component: Secret
) -> None:
    request, private = make_request(operation)
    bundle = seal(request, component, payload={"hello": "world", "n": 1})
    signer = keys.export_signing_public_key(component)
    for form in (bundle.to_bytes(), bundle.text_line(), bundle.text_line().encode()):
        parsed = parse_bundle(form)
        assert parsed == bundle
        verify_bundle(parsed, request, signer, now=NOW + timedelta(minutes=6))
        assert open_bundle(parsed, private) == {"hello": "world", "n": 1}
    assert bundle.header.fingerprints == keys.fingerprints(component)
    assert bundle.header.signer_public_key == signer
    assert bundle.request_id == request.id and bundle.operation == operation
    assert bundle.text_line().startswith("CTBUNDLE2:")
    assert bundle.qr_payload() == bundle.text_line()


def test_bundle_digest_names_the_exact_file(component: Secret) -> None:
    request, _ = make_request()
    bundle = seal(request, component)
    assert bundle_digest(bundle) == hashlib.sha256(bundle.to_bytes()).hexdigest()
    assert bundle_digest(parse_bundle(bundle.text_line())) == bundle_digest(bundle)
    again = seal(request, component, random_bytes=seeded("other ephemeral"))
    assert bundle_digest(again) != bundle_digest(bundle)


def test_sealing_is_deterministic_given_the_randomness(component: Secret) -> None:
    request, _ = make_request()
    assert seal(request, component).to_bytes() == seal(request, component).to_bytes()


def test_the_payload_is_not_in_the_clear(component: Secret) -> None:
    request, _ = make_request()
    bundle = seal(request, component)
    hex_component = component.reveal().hex().encode()
    assert hex_component not in bundle.to_bytes()
    assert component.reveal() not in bundle.to_bytes()


def _refused_somewhere(data: bytes | str, request: Request, signer: bytes, private: Secret) -> str:
    try:
        bundle = parse_bundle(data)
        verify_bundle(bundle, request, signer, now=NOW + timedelta(minutes=6))
        open_bundle(bundle, private)
    except BundleError as err:
        return err.code
    raise AssertionError("a damaged bundle was accepted")


def test_every_single_bit_flip_of_the_file_is_refused(component: Secret) -> None:
    request, private = make_request()
    data = seal(request, component).to_bytes()
    signer = keys.export_signing_public_key(component)
    codes: set[str] = set()
    for bit in range(len(data) * 8):
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        codes.add(_refused_somewhere(bytes(flipped), request, signer, private))
    assert {"signature", "malformed", "version"} <= codes


def test_every_single_bit_flip_of_the_text_line_is_refused(component: Secret) -> None:
    request, private = make_request()
    line = seal(request, component).text_line().encode()
    signer = keys.export_signing_public_key(component)
    for bit in range(len(line) * 8):
        flipped = bytearray(line)
        flipped[bit // 8] ^= 1 << (bit % 8)
        _refused_somewhere(bytes(flipped), request, signer, private)


def test_bundle_refusals_have_distinct_messages(component: Secret) -> None:
    request, private = make_request()
    other_request, other_private = make_request(label="another request")
    bundle = seal(request, component)
    signer = keys.export_signing_public_key(component)
    later = NOW + timedelta(minutes=6)
    data = bundle.to_bytes()
    with keys.new_component(random_bytes=seeded("intruder")) as intruder:
        intruder_signer = keys.export_signing_public_key(intruder)
    cases: dict[str, Callable[[], object]] = {
        "request": lambda: verify_bundle(bundle, other_request, signer, later),
        "expired": lambda: verify_bundle(bundle, request, signer, request.expires_at),
        "operation": lambda: verify_bundle(
            bundle, dataclasses.replace(request, operation="verify", params={}), signer, later
        ),
        "params": lambda: verify_bundle(
            bundle, dataclasses.replace(request, params={**ESCROW, "user": "43"}), signer, later
        ),
        "key-version": lambda: verify_bundle(
            bundle, dataclasses.replace(request, key_version="v2"), signer, later
        ),
        "signer": lambda: verify_bundle(bundle, request, intruder_signer, later),
        "unregistered": lambda: verify_bundle(bundle, request, None, later),
        "decrypt": lambda: open_bundle(bundle, other_private),
        "truncated": lambda: parse_bundle(data[:-10]),
        "oversized": lambda: parse_bundle(data + bytes(MAX_BUNDLE_BYTES)),
        "oversized text": lambda: parse_bundle("CTBUNDLE2:" + "0" * 10_000),
        "version": lambda: parse_bundle(data[:4] + b"\x01" + data[5:]),
        "version text": lambda: parse_bundle("CTBUNDLE1:" + bundle.text_line()[10:]),
        "trailing": lambda: parse_bundle(data + b"\x00"),
        "not a bundle": lambda: parse_bundle(b"%PDF-1.7 not a bundle"),
        "signature": lambda: verify_bundle(
            dataclasses.replace(bundle, signature=bytes(64)), request, signer, later
        ),
    }
    errors = {name: refusal(action) for name, action in cases.items()}
    assert all(isinstance(e, BundleError) for e in errors.values())
    expected_codes = {
        "request": "request",
        "expired": "expired",
        "operation": "operation",
        "params": "params",
        "key-version": "key-version",
        "signer": "signer",
        "unregistered": "signer",
        "decrypt": "decrypt",
        "truncated": "truncated",
        "oversized": "oversized",
        "oversized text": "oversized",
        "version": "version",
        "version text": "version",
        "trailing": "malformed",
        "not a bundle": "malformed",
        "signature": "signature",
    }
    assert {name: e.code for name, e in errors.items()} == expected_codes
    distinct = [n for n in errors if n not in {"oversized text", "version text"}]
    messages = [errors[n].message for n in distinct]
    assert len(set(messages)) == len(messages)
    open_bundle(bundle, private)  # the untouched bundle still opens


def test_install_and_adopt_may_register_their_signer(component: Secret) -> None:
    later = NOW + timedelta(minutes=6)
    with keys.new_component(random_bytes=seeded("registered")) as registered:
        other = keys.export_signing_public_key(registered)
    for operation in OPERATIONS:
        request, _ = make_request(operation)
        bundle = seal(request, component, payload={"export_public_key": "ab"})
        with pytest.raises(BundleError) as info:
            verify_bundle(bundle, request, other, later)
        assert info.value.code == "signer"
        if operation in ("install", "adopt"):
            verify_bundle(bundle, request, None, later)
            continue
        with pytest.raises(BundleError) as info:
            verify_bundle(bundle, request, None, later)
        assert info.value.code == "signer" and "registered" in info.value.message


def test_sealing_refuses_expired_requests_bad_fingerprints_and_huge_payloads(
    component: Secret,
) -> None:
    request, _ = make_request()
    assert refusal(lambda: seal(request, component, now=request.expires_at)).code == "expired"
    assert refusal(lambda: seal(request, component, fingerprints={"custodian": "x"})).code == (
        "params"
    )
    assert refusal(lambda: seal(request, component, fingerprints={"other": "0000-0000-0000"}))
    assert refusal(lambda: seal(request, component, payload={"x": "y" * 5000})).code == "oversized"
    assert refusal(lambda: seal(request, component, ceremony_id=" padded ")).code == "params"


def test_opening_with_a_wrong_length_key_is_refused(component: Secret) -> None:
    request, _ = make_request()
    bundle = seal(request, component)
    assert refusal(lambda: open_bundle(bundle, b"short")).code == "key"


# --------------------------------------------------------------------------- properties

_param_value = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_@+-]{0,20}", fullmatch=True)
_label = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,30}[A-Za-z0-9]", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(
    operation=st.sampled_from(OPERATIONS),
    user=_param_value,
    survey=_param_value,
    key_version=_label,
    seconds=st.integers(min_value=1, max_value=30 * 86400),
    seed=st.binary(min_size=1, max_size=8),
    created=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    ),
)
def test_any_request_round_trips(
    operation: Operation,
    user: str,
    survey: str,
    key_version: str,
    seconds: int,
    seed: bytes,
    created: datetime,
) -> None:
    params = {"user": user, "survey": survey} if operation == "recover-escrow" else {}
    sealed = operation in SESSION_OPERATIONS
    if sealed:
        seconds = min(seconds, 24 * 3600)
    request, _ = new_request(
        operation,
        params,
        key_version,
        timedelta(seconds=seconds),
        now=created,
        random_bytes=seeded(seed.hex()),
        session=SESSION_CODE if sealed else None,
        contents=contents_for(operation) if sealed else None,
    )
    for form in (request.qr_payload(), request.typed_code(), request.file_text()):
        assert parse_request(form, now=request.created_at) == request


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None)
@given(
    payload=st.dictionaries(st.text(max_size=10), _json_value, max_size=5),
    ceremony_id=_label,
)
def test_any_payload_round_trips(payload: dict[str, Any], ceremony_id: str) -> None:
    with keys.new_component(random_bytes=seeded(ceremony_id)) as component:
        request, private = make_request("verify")
        bundle = seal(request, component, payload=payload, ceremony_id=ceremony_id)
        parsed = parse_bundle(bundle.text_line())
        verify_bundle(parsed, request, keys.export_signing_public_key(component), NOW)
        assert open_bundle(parsed, private) == payload
        assert parsed.header.ceremony_id == ceremony_id


# --------------------------------------------------------------------------- QR codes


def _qr_round_trip(text: str) -> tuple[str, int]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    results = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert len(results) == 1
    return results[0].text, qr.version


@pytest.mark.parametrize("operation", OPERATIONS)
def test_request_qr_code_decodes_to_the_exact_payload(operation: Operation) -> None:
    request, _ = make_request(operation)
    text, version = _qr_round_trip(request.qr_payload())
    assert text == request.qr_payload()
    assert parse_request(text, now=NOW) == request
    # Plain requests stay small; those carrying sealed escrow fields stay one webcam-sized code.
    assert version <= (20 if operation in SESSION_OPERATIONS else 8)


def test_a_kek_bundle_fits_one_qr_code(component: Secret) -> None:
    request, private = make_request()
    bundle = seal(request, component)
    text, version = _qr_round_trip(bundle.qr_payload())
    assert text == bundle.qr_payload()
    parsed = parse_bundle(text)
    assert parsed == bundle
    assert open_bundle(parsed, private)["kek"] == seeded("kek")(32).hex()
    assert version <= 25


def test_codes_of_the_first_version_are_refused_as_made_by_an_older_version() -> None:
    request, _ = make_request("verify")
    old = "CTREQ1:" + request.qr_payload()[7:]
    assert "older version" in refusal(lambda: parse_request(old, now=NOW)).message
    frame = bytes([1]) + request.to_bytes()[1:]
    in_frame = "CTREQ2:" + crockford.encode(frame)
    assert "older version" in refusal(lambda: parse_request(in_frame, now=NOW)).message


def test_a_request_whose_answer_key_is_the_session_key_is_refused(component: Secret) -> None:
    request, _ = make_request("recover-escrow")
    assert request.sealed is not None
    hostile = dataclasses.replace(request, recipient_public_key=request.sealed.session_public_key)
    assert refusal(lambda: open_request(hostile, SESSION_KEY)).code == "session"
    assert refusal(lambda: seal(hostile, component)).code == "request"


def test_requests_and_answers_are_sealed_under_different_labels() -> None:
    from ceremony.gap.seal import ANSWER_SEAL, REQUEST_SEAL, SealFailed, open_sealed, seal_to

    recipient = seeded("recipient")(32)
    public = new_session(random_bytes=lambda n: recipient[:n])[0].public_key
    ephemeral = seeded("ephemeral")(32)
    sealed = seal_to(public, ephemeral, REQUEST_SEAL, b"id", b"header", b"vault component")
    from ceremony.gap.seal import ephemeral_public

    sender = ephemeral_public(ephemeral)
    assert open_sealed(recipient, sender, REQUEST_SEAL, b"id", b"header", sealed) == (
        b"vault component"
    )
    with pytest.raises(SealFailed):
        open_sealed(recipient, sender, ANSWER_SEAL, b"id", b"header", sealed)
    with pytest.raises(SealFailed):
        open_sealed(recipient, sender, REQUEST_SEAL, b"id", b"other header", sealed)


def test_the_room_opens_a_request_only_with_its_own_session_key() -> None:
    request, _ = make_request("recover-escrow")
    contents = open_request(request, SESSION_KEY)
    assert contents.vault_component.reveal() == seeded("vault")(64)
    assert contents.escrow_path == "users/42/surveys/climate-2026/recovery-kek"
    contents.wipe()
    _, other = new_session(random_bytes=seeded("another room"))
    assert refusal(lambda: open_request(request, other)).code == "session"
