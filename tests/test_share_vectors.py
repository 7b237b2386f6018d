"""The published SLIP-39 vectors and CheckTick's legacy vectors."""

import itertools
import json
from typing import Any

import pytest

from ceremony.errors import ShareError
from ceremony.secret import Secret
from ceremony.shares import checktick, combine, split
from tests.paths import data_file

SLIP39_PASSPHRASE = b"TREZOR"


def slip39_vectors() -> list[tuple[str, list[str], str]]:
    data = json.loads(data_file("slip39_vectors.json").read_text())
    return [(v[0], v[1], v[2]) for v in data]


def legacy_vectors() -> list[dict[str, Any]]:
    vectors: list[dict[str, Any]] = json.loads(
        data_file("checktick_legacy_vectors.json").read_text()
    )["vectors"]
    return vectors


def test_there_are_45_slip39_vectors() -> None:
    assert len(slip39_vectors()) == 45


@pytest.mark.parametrize("description,mnemonics,secret_hex", slip39_vectors(), ids=lambda x: "")
def test_slip39_vector(description: str, mnemonics: list[str], secret_hex: str) -> None:
    if secret_hex:
        with combine(mnemonics, SLIP39_PASSPHRASE) as secret:
            assert secret.reveal().hex() == secret_hex, description
    else:
        with pytest.raises(ShareError) as err:
            combine(mnemonics, SLIP39_PASSPHRASE)
        assert err.value.message
        for m in mnemonics:  # no message repeats share words
            assert " ".join(m.split()[:3]) not in err.value.message


@pytest.mark.parametrize(
    "vector", legacy_vectors(), ids=lambda v: f"{v['threshold']}of{v['total']}"
)
def test_legacy_vectors_every_quorum(vector: dict[str, Any]) -> None:
    shares = vector["shares"]
    for subset in itertools.combinations(shares, vector["threshold"]):
        with combine(list(subset)) as secret:
            assert secret.reveal().hex() == vector["secret_hex"]
    with combine(shares) as secret:  # all of them, more than the threshold
        assert secret.reveal().hex() == vector["secret_hex"]


@pytest.mark.parametrize(
    "vector", legacy_vectors(), ids=lambda v: f"{v['threshold']}of{v['total']}"
)
def test_legacy_too_few_shares_do_not_rebuild(vector: dict[str, Any]) -> None:
    subset = vector["shares"][: vector["threshold"] - 1]
    with pytest.raises(ShareError):
        combine(subset)


@pytest.mark.parametrize(
    "vector", legacy_vectors(), ids=lambda v: f"{v['threshold']}of{v['total']}"
)
def test_we_write_the_legacy_format_the_same_way(vector: dict[str, Any]) -> None:
    """Shares we write for a vector's secret rebuild it with the plain algorithm and with ours."""
    secret = Secret(bytes.fromhex(vector["secret_hex"]))
    ours = split(secret, vector["threshold"], vector["total"], "checktick")
    for text, theirs in zip(ours, vector["shares"], strict=True):
        assert text.split("-")[:2] == theirs.split("-")[:2]  # same 80{i}-{x} prefix
    points = [checktick.parse(t) for t in ours[: vector["threshold"]]]
    # Reference Lagrange at zero, written independently of checktick.interpolate_at_zero.
    p = checktick.PRIME
    total = 0
    for a in points:
        term = a.y
        for b in points:
            if a.index != b.index:
                term = term * b.index * pow(b.index - a.index, -1, p) % p
        total = (total + term) % p
    assert total.to_bytes(64, "big").hex() == vector["secret_hex"]


def test_legacy_index_ten_and_above_parse() -> None:
    vector = next(v for v in legacy_vectors() if v["total"] >= 10)
    assert checktick.parse(vector["shares"][9]).index == 10
    assert checktick.parse(vector["shares"][10]).index == 11


def legacy_vectors_32() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(data_file("checktick_legacy_vectors_32.json").read_text())
    return found


@pytest.mark.parametrize(
    "vector", legacy_vectors_32()["vectors"], ids=lambda v: f"{v['threshold']}of{v['total']}"
)
def test_legacy_32_byte_vectors_rebuild_the_32_byte_component(vector: dict[str, Any]) -> None:
    """CheckTick's own split of a v2+ component; its own reconstruct pads to 64 bytes."""
    shares = vector["shares"]
    for subset in itertools.combinations(shares, vector["threshold"]):
        with combine(list(subset)) as secret:
            assert len(secret) == 32
            assert secret.reveal().hex() == vector["secret_hex"]
            assert "gets them wrong" in checktick.length_note(secret)
    # what CheckTick's reconstruct_secret returns: 32 zero bytes, then the component
    points = [checktick.parse(s) for s in shares[: vector["threshold"]]]
    value = checktick.interpolate_at_zero(points)
    assert value.to_bytes(64, "big").hex() == vector["checktick_reconstruct_secret_hex"]
    assert vector["checktick_reconstruct_secret_hex"] == "00" * 32 + vector["secret_hex"]


def test_we_write_32_byte_legacy_shares_and_slip39_33_words() -> None:
    secret = Secret(bytes(range(100, 132)))
    legacy = split(secret, 2, 3, "checktick")
    with combine(legacy[1:]) as back:
        assert back == secret
    shares = split(secret, 2, 3)
    assert all(len(s.split()) == 33 for s in shares)
    assert combine(shares[::2]) == secret
    assert checktick.length_note(Secret(bytes(64))) == ""
