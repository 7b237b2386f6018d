"""Share check values: distinct per share, spelling-blind, recomputed independently here."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

from ceremony.evidence.check_value import check_value, same_check_value
from ceremony.operations.genesis import GenesisPlan, generate, genesis_record
from ceremony.shares import canonical
from tests.cli import run_ceremony
from tests.sharesets import make_set

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RFC4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _independent(share: str) -> str:
    """The documented formula, computed through the standard library's base32."""
    digest = hashlib.sha256(b"checktick-ceremony share check v1\x00" + canonical(share).encode())
    text = base64.b32encode(digest.digest()[:5]).decode()  # 40 bits: 8 symbols, no padding
    mapped = text.translate(str.maketrans(_RFC4648, _CROCKFORD))
    return f"{mapped[:4]}-{mapped[4:]}"


def test_each_check_value_is_distinct_and_matches_an_independent_computation() -> None:
    for scheme in ("slip39", "checktick"):
        _, shares = make_set(3, 7, seed=5, scheme=scheme)  # type: ignore[arg-type]
        values = [check_value(s) for s in shares]
        assert len(set(values)) == len(shares)
        assert values == [_independent(s) for s in shares]
        for v in values:
            assert len(v) == 9 and v[4] == "-"
            assert all(ch in _CROCKFORD for ch in v.replace("-", ""))


def test_any_spelling_of_a_share_gives_the_same_value_and_other_sets_differ() -> None:
    _, shares = make_set(2, 3, seed=9)
    loud = "  ".join(w.upper() for w in shares[0].split())
    assert check_value(loud) == check_value(shares[0])
    _, other = make_set(2, 3, seed=10)
    assert {check_value(s) for s in shares}.isdisjoint({check_value(s) for s in other})


def test_typed_check_values_compare_leniently() -> None:
    assert same_check_value("7qk2 md0x", "7QK2-MD0X")
    assert same_check_value("7QK2-MDOX", "7QK2-MD0X")  # O read as zero
    assert not same_check_value("7QK2-MD0Y", "7QK2-MD0X")
    assert not same_check_value("", "")


def test_the_genesis_record_prints_each_shares_check_value() -> None:
    plan = GenesisPlan(
        organisation="Org",
        key_version="2026-1",
        custodians=("Ann", "Ben", "Cat"),
        titles=("", "", ""),
        threshold=2,
        witness="Wendy",
        rehearsal=True,
    )
    keys = generate(plan, now=lambda: datetime(2026, 1, 2, tzinfo=UTC))
    record = genesis_record(keys, ended=datetime(2026, 1, 2, 1, tzinfo=UTC))
    assert [s.check_value for s in record.shares] == [_independent(s) for s in keys.shares]
    keys.wipe()


def test_inspect_share_shows_the_check_value() -> None:
    _, shares = make_set(3, 4, seed=41)
    r = run_ceremony("inspect-share", "--json", stdin=shares[1] + "\n")
    assert json.loads(r.stdout)["check_value"] == _independent(shares[1])
    r = run_ceremony("inspect-share", stdin=shares[1] + "\n")
    assert f"Check value: {_independent(shares[1])}" in r.stdout
