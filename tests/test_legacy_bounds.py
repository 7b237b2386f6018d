"""Legacy recovery is bounded: shares that all agree are recognised however many (up to
MAX_SHARES); shares that disagree are cross-checked only up to MAX_CHECKED, and the
custodian is told what to do beyond. Timing lives in `make bench`."""

from __future__ import annotations

import random

import pytest

from ceremony.errors import ShareError
from ceremony.shares import checktick
from ceremony.shares.session import RecoverySession
from tests.cli import run_ceremony
from tests.sharesets import make_set

CAP = checktick.MAX_CHECKED


def mismatched(count: int) -> list[str]:
    rng = random.Random(count)
    return [
        checktick.LegacyShare(x, rng.randrange(checktick.PRIME)).text() for x in range(1, count + 1)
    ]


def test_a_session_takes_many_shares_that_agree() -> None:
    component, shares = make_set(3, checktick.MAX_SHARES, seed=30, scheme="checktick")
    session = RecoverySession()
    for text in shares:
        assert session.add(text).accepted
    with session.recover() as rebuilt:
        assert rebuilt == component
    over = checktick.LegacyShare(checktick.MAX_SHARES + 1, 5).text()
    outcome = session.add(over)
    assert (outcome.accepted, outcome.code) == (False, "too_many")
    assert outcome.message == (
        f"At most {checktick.MAX_SHARES} CheckTick shares can be entered and this is share "
        f"{checktick.MAX_SHARES + 1}: enter only as many as the set needs, plus one to catch "
        "a typo."
    )


def test_beyond_the_cross_check_cap_a_wrong_share_is_named() -> None:
    component, shares = make_set(3, CAP + 1, seed=31, scheme="checktick")
    session = RecoverySession()
    for text in shares[:CAP]:
        assert session.add(text).accepted
    wrong = checktick.LegacyShare(CAP + 1, 12345).text()
    outcome = session.add(wrong)
    assert (outcome.accepted, outcome.code) == (False, "odd_one_out")
    assert outcome.message == (
        f"Share {CAP + 1} does not agree with the {CAP} shares entered, which all agree: "
        "check it for a typo."
    )
    assert session.add(shares[CAP]).accepted
    with session.recover() as rebuilt:
        assert rebuilt == component


def test_beyond_the_cap_shares_that_disagree_are_refused_with_what_to_do() -> None:
    session = RecoverySession()
    texts = mismatched(CAP + 1)
    for text in texts[:CAP]:
        session.add(text)
    outcome = session.add(texts[CAP])
    assert (outcome.accepted, outcome.code) == (False, "too_many")
    assert outcome.message == (
        f"These {CAP + 1} CheckTick shares do not all agree, and more than {CAP} cannot be "
        "cross-checked to find the wrong one: enter only as many as the set needs, plus one "
        "to catch a typo."
    )


def test_combine_refuses_disagreeing_shares_over_the_cap_before_searching() -> None:
    with pytest.raises(ShareError) as refused:
        checktick.combine(mismatched(CAP + 1))
    assert refused.value.code == "too_many"
    _, shares = make_set(2, CAP + 4, seed=32, scheme="checktick")
    shares[3] = checktick.LegacyShare(4, 99).text()
    with pytest.raises(ShareError) as wrong:
        checktick.combine(shares)
    assert wrong.value.code == "too_many"


def test_a_full_consistent_set_of_any_allowed_size_rebuilds() -> None:
    for t, n in ((CAP, CAP), (3, CAP + 1), (CAP + 2, CAP + 2), (4, checktick.MAX_SHARES)):
        component, shares = make_set(t, n, seed=33 + n, scheme="checktick")
        found = checktick.candidates([checktick.parse(s) for s in shares])
        assert [(c.threshold, len(c.agreeing)) for c in found] == [(t, n)]
        with checktick.combine(shares) as rebuilt:
            assert rebuilt == component


def test_interpolation_matches_the_textbook_formula() -> None:
    _, shares = make_set(4, 7, seed=34, scheme="checktick")
    parsed = [checktick.parse(t) for t in shares]
    for subset in (parsed[:4], parsed[2:6], parsed[::2], parsed):
        textbook = 0
        for i, si in enumerate(subset):
            num = den = 1
            for j, sj in enumerate(subset):
                if i != j:
                    num = num * -sj.index % checktick.PRIME
                    den = den * (si.index - sj.index) % checktick.PRIME
            textbook += si.y * num * pow(den, -1, checktick.PRIME)
        assert checktick.interpolate_at_zero(subset) == textbook % checktick.PRIME


def test_the_cli_stops_at_the_share_over_the_cap() -> None:
    texts = mismatched(CAP + 1)
    done = run_ceremony("combine", stdin="\n".join(texts) + "\n")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"ceremony: Line {CAP + 1}: " + checktick.too_many_message(CAP + 1)
    )
    assert done.stdout == ""
