"""Hostile input against every parser: only the project's own errors, each with a message.

Example count per target: CEREMONY_FUZZ_EXAMPLES (300 in `make test`, 100 000 in
`make fuzz`). Inputs are arbitrary text and bytes, and valid shares, request
codes and bundles mutated by deleting, repeating, swapping, replacing and
flipping pieces of them, which reaches far deeper than random text alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from shamir_mnemonic.wordlist import WORDLIST

from ceremony import gap
from ceremony.commands import CommandResult
from ceremony.errors import CeremonyError
from ceremony.journal import Journal
from ceremony.room.memory import read_swap
from ceremony.room.network import read_addresses
from ceremony.secret import Secret
from ceremony.shares import checktick, combine, detect_scheme, inspect
from ceremony.shares.session import RecoverySession
from tests.fuzz_material import NOW, gap_material, hostile_codes
from tests.sharesets import make_set

EXAMPLES = int(os.environ.get("CEREMONY_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 1000,  # the short run in `make test` is the same every time
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- valid material to mutate ------------------------------------------------------------

SLIP39 = make_set(3, 5, seed=7)[1]
SLIP39_PASS = make_set(2, 3, seed=8, passphrase=b"correct horse")[1]
LEGACY = make_set(3, 4, seed=9, scheme="checktick")[1]
_GAP = gap_material()
SESSION_KEY = _GAP.session_key
REQUEST, _REQUEST_KEY, BUNDLE = _GAP.request, _GAP.request_key, _GAP.bundle
BUNDLE_BYTES = BUNDLE.to_bytes()
BUNDLE_TEXT = BUNDLE.text_line()
SIGNER = BUNDLE.header.signer_public_key


def expect_only_ceremony_errors(call: Callable[[], object]) -> None:
    """The property under test: success, or a CeremonyError a custodian can read."""
    try:
        call()
    except CeremonyError as err:
        assert isinstance(err.message, str) and err.message.strip(), repr(err)
        assert str(err).strip()


# --- mutation strategies -----------------------------------------------------------------

_CHARS = st.characters(codec="utf-8")


@st.composite
def mutated_text(draw: st.DrawFn, originals: Sequence[str]) -> str:
    """A valid text with a few word- and character-level edits."""
    text = draw(st.sampled_from(originals))
    for _ in range(draw(st.integers(0, 4))):
        words = text.split(" ")
        op = draw(st.sampled_from(["word", "drop", "dup", "swap", "char", "cut", "case", "noise"]))
        i = draw(st.integers(0, max(len(words) - 1, 0)))
        j = draw(st.integers(0, max(len(words) - 1, 0)))
        if op == "word" and words:
            words[i] = draw(st.sampled_from(WORDLIST))
        elif op == "drop" and words:
            del words[i]
        elif op == "dup" and words:
            words.insert(i, words[i])
        elif op == "swap" and words:
            words[i], words[j] = words[j], words[i]
        text = " ".join(words)
        pos = draw(st.integers(0, len(text)))
        if op == "char":
            text = text[:pos] + draw(_CHARS) + text[pos + 1 :]
        elif op == "cut":
            text = text[:pos]
        elif op == "case":
            text = text.upper() if draw(st.booleans()) else text.title()
        elif op == "noise":
            text = text[:pos] + draw(st.text(_CHARS, max_size=8)) + text[pos:]
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "set"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del data[pos:]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 16))]
        elif op == "set" and data:
            data[pos] = draw(st.sampled_from([0, 0xFF, 0x7F, 0x80]))
    return bytes(data)


any_text = st.one_of(
    st.text(_CHARS, max_size=600),
    st.lists(st.sampled_from(WORDLIST), max_size=70).map(" ".join),
    st.from_regex(r"80[0-9]{1,3}-[0-9]{1,4}-[0-9a-fA-F]{0,600}", fullmatch=True),
)
share_text = st.one_of(
    any_text, mutated_text(SLIP39), mutated_text(SLIP39_PASS), mutated_text(LEGACY)
)


# --- shares --------------------------------------------------------------------------------


@FUZZ
@given(share_text)
def test_detect_and_inspect_single_shares(text: str) -> None:
    expect_only_ceremony_errors(lambda: detect_scheme(text))
    expect_only_ceremony_errors(lambda: inspect(text))


def _combine(texts: list[str], passphrase: bytes) -> None:
    secret: Secret = combine(texts, passphrase)
    secret.wipe()


@FUZZ
@given(
    st.lists(share_text, min_size=0, max_size=5)
    | st.one_of(
        st.lists(mutated_text(SLIP39), min_size=2, max_size=5),
        st.lists(mutated_text(LEGACY), min_size=2, max_size=4),
        st.permutations(SLIP39).map(lambda s: s[:3]),
    ),
    st.sampled_from([b"", b"correct horse", b"\x00\xff"]),
)
def test_combine_mutated_sets(texts: list[str], passphrase: bytes) -> None:
    expect_only_ceremony_errors(lambda: _combine(texts, passphrase))


@FUZZ
@given(st.lists(share_text, min_size=1, max_size=6))
def test_recovery_session_takes_anything(texts: list[str]) -> None:
    session = RecoverySession()
    for text in texts:
        expect_only_ceremony_errors(lambda t=text: session.add(t))  # type: ignore[misc]
    if session.state().complete:
        expect_only_ceremony_errors(lambda: session.recover().wipe())
    session.wipe()


# --- hostile legacy sets: bounded whatever they hold --------------------------------------

# Few examples: each may search every subset of MAX_CHECKED shares (timed in `make bench`).
HOSTILE = settings(FUZZ, max_examples=max(5, EXAMPLES // 50))
_LCM = 2520  # divisible by every difference of x in 1..10


@st.composite
def hostile_legacy_set(draw: st.DrawFn) -> list[str]:
    """Well-formed legacy shares that do not match, or match in too many ways."""
    xs = draw(
        st.lists(st.integers(1, 255), min_size=2, max_size=checktick.MAX_SHARES + 2, unique=True)
    )
    if draw(st.booleans()):  # no common polynomial: every subset must be tried
        ys = [draw(st.integers(0, checktick.PRIME - 1)) for _ in xs]
    else:  # every pair of x in 1..10 meets x = 0 at a plausible secret
        base = draw(st.integers(1, 1 << 400))
        ys = [_LCM * (base + draw(st.integers(0, 1 << 64))) % checktick.PRIME for _ in xs]
    return [checktick.LegacyShare(x, y).text() for x, y in zip(xs, ys, strict=True)]


def _session_all(texts: list[str], threshold: int | None) -> None:
    session = RecoverySession(legacy_threshold=threshold)
    for text in texts:
        session.add(text)
    if session.state().complete:
        expect_only_ceremony_errors(lambda: session.recover().wipe())
    session.wipe()


@HOSTILE
@given(hostile_legacy_set(), st.none() | st.integers(2, 12))
@example(
    [
        checktick.LegacyShare(x, (x * 7919) ** 40 % checktick.PRIME).text()
        for x in range(1, checktick.MAX_CHECKED + 1)
    ],
    None,
)
@example([checktick.LegacyShare(x, _LCM * ((1 << 400) + x * x)).text() for x in range(1, 11)], None)
@example([checktick.LegacyShare(x, x).text() for x in range(1, 15)], 3)
def test_hostile_legacy_sets_are_refused_in_words(texts: list[str], threshold: int | None) -> None:
    expect_only_ceremony_errors(lambda: combine(texts))
    _session_all(texts, threshold)


# --- request codes and bundles -------------------------------------------------------------

REQUEST_TEXTS = [
    REQUEST.qr_payload(),
    REQUEST.typed_code(),
    REQUEST.typed_code(per_line=5),
    REQUEST.file_text(),
]


@FUZZ
@given(
    st.one_of(
        any_text,
        mutated_text(REQUEST_TEXTS),
        st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZ -\n", max_size=400),
        mutated_bytes(REQUEST.qr_payload().encode()),
        st.binary(max_size=600),
    )
)
def test_parse_request(data: str | bytes) -> None:
    expect_only_ceremony_errors(lambda: gap.parse_request(data, now=NOW))


def _open_in_the_room(data: str | bytes) -> None:
    request = gap.parse_request(data, now=NOW)
    if request.sealed is not None:
        gap.open_request(request, SESSION_KEY).wipe()


@FUZZ
@given(
    st.one_of(
        mutated_text([REQUEST.qr_payload()]),
        mutated_bytes(REQUEST.qr_payload().encode()),
    )
)
def test_the_room_opens_hostile_requests_safely(data: str | bytes) -> None:
    expect_only_ceremony_errors(lambda: _open_in_the_room(data))


_payload_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=70),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=10,
)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "payload_version",
                "kek",
                "vault_component",
                "attestation",
                "share_scheme",
                "threshold",
                "count",
                "email_proof",
            ]
        )
        | st.text(max_size=10),
        _payload_value,
        max_size=6,
    )
)
def test_apply_validates_any_payload_with_a_plain_refusal(payload: dict[str, object]) -> None:
    from ceremony.vaultops.payloads import validate_payload

    def check() -> None:
        validate_payload(BUNDLE, dict(payload)).wipe()

    expect_only_ceremony_errors(check)


def _parse_and_check_bundle(data: str | bytes) -> None:
    bundle = gap.parse_bundle(data)
    gap.verify_bundle(bundle, REQUEST, SIGNER, now=NOW)
    gap.open_bundle(bundle, _REQUEST_KEY)


@FUZZ
@given(
    st.one_of(
        mutated_bytes(BUNDLE_BYTES),
        mutated_text([BUNDLE_TEXT]),
        mutated_bytes(BUNDLE_TEXT.encode()),
        st.binary(max_size=600).map(lambda b: gap.BUNDLE_MAGIC + b),
        st.binary(max_size=600),
        any_text,
    )
)
def test_parse_verify_open_bundle(data: str | bytes) -> None:
    expect_only_ceremony_errors(lambda: _parse_and_check_bundle(data))


HOSTILE_CODES = hostile_codes()
# A version made of many digits, or of digits only str.isdigit takes, before the colon.
hostile_versions = st.builds(
    lambda prefix, digits, tail: f"{prefix}{digits}:{tail}",
    st.sampled_from(["CTREQ", "CTBUNDLE", "CTSESSION", "ctreq"]),
    st.text(alphabet="0123456789²³¹٢٣߂०", min_size=0, max_size=6000),
    st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZ", max_size=40),
)


def _every_code_parser(text: str) -> None:
    for parse in (
        lambda: gap.parse_request(text, now=NOW),
        lambda: gap.parse_request(text.encode(), now=NOW),
        lambda: gap.parse_bundle(text),
        lambda: gap.parse_bundle(text.encode()),
        lambda: gap.parse_session_code(text),
    ):
        expect_only_ceremony_errors(parse)


@FUZZ
@given(st.one_of(st.sampled_from(HOSTILE_CODES), hostile_versions))
def test_a_code_version_of_any_digits_is_refused_in_words(text: str) -> None:
    _every_code_parser(text)


def test_the_int_string_limit_cases_each_get_one_refusal() -> None:
    """Each hand-made hostile code, through every parser, every time (not left to chance)."""
    for text in HOSTILE_CODES:
        _every_code_parser(text)


def test_the_unmutated_originals_are_accepted() -> None:
    """Guards the harness: mutations start from inputs the parsers do accept."""
    assert inspect(SLIP39[0]).threshold == 3
    assert combine(LEGACY[:3]) is not None
    assert gap.parse_request(REQUEST.typed_code(), now=NOW).id == REQUEST.id
    _open_in_the_room(REQUEST.qr_payload())
    _parse_and_check_bundle(BUNDLE_BYTES)
    _parse_and_check_bundle(BUNDLE_TEXT)


# --- the journal and the environment's own readers -----------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["ifname", "addr_info", "local", "at", "event"]) | st.text(max_size=8),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@FUZZ
@given(st.one_of(st.text(max_size=300), _json.map(json.dumps)))
def test_journal_verify(data: str) -> None:
    expect_only_ceremony_errors(lambda: Journal.verify(data))


@FUZZ
@given(st.one_of(st.text(max_size=300), _json.map(json.dumps)))
def test_ip_addr_output_never_breaks_the_check(data: str) -> None:
    addresses = read_addresses(Path("/nonexistent"), lambda _: CommandResult(0, data, ""))
    for name, found in addresses.items():
        assert isinstance(name, str)
        assert all(isinstance(address, str) for address in found)


@FUZZ
@given(st.text(max_size=400), st.text(max_size=400))
@example(swaps="Filename\n/dev/sda \u00b2 \u00b2 \u00b2 0", meminfo=":\u00b9")
def test_proc_swaps_and_meminfo_never_break_the_check(swaps: str, meminfo: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as root:
        (Path(root) / "proc").mkdir()
        (Path(root) / "proc" / "swaps").write_text(swaps)
        (Path(root) / "proc" / "meminfo").write_text(meminfo)
        devices, used = read_swap(Path(root))
    assert used >= 0
    assert all(d.size_kib >= 0 and d.used_kib >= 0 for d in devices)
