"""One wrong word of a SLIP-39 share is located by the RS1024 checksum and corrected."""

import random

import pytest

from ceremony.shares import slip39, words
from ceremony.shares.correction import correct_erasure, correct_single_word
from ceremony.shares.session import RecoverySession
from tests.sharesets import make_set, replace_word
from tests.test_share_vectors import slip39_vectors


def valid_vector_shares() -> list[str]:
    return [m for _, mnemonics, secret in slip39_vectors() if secret for m in mnemonics]


def test_there_are_valid_vector_shares_of_every_length() -> None:
    lengths = {len(s.split()) for s in valid_vector_shares()}
    assert lengths == {20, 33}


@pytest.mark.parametrize("share", valid_vector_shares(), ids=lambda s: "")
def test_every_position_of_every_vector_share(share: str) -> None:
    w = share.split()
    rng = random.Random(share)
    assert correct_single_word(w) is None  # a valid share needs no correction
    for pos in range(len(w)):
        wrong = list(w)
        wrong[pos] = rng.choice([x for x in words.WORDLIST if x != w[pos]])
        fix = correct_single_word(wrong)
        assert fix is not None and (fix.position, fix.word) == (pos + 1, w[pos])
        # a word not in the list at all: the checksum names the word that fits
        erased = [*w[:pos], None, *w[pos + 1 :]]
        assert correct_erasure(erased, pos + 1) == w[pos]


def test_every_position_of_a_59_word_share() -> None:
    _, shares = make_set(3, 5, seed=31)
    for share in shares[:2]:
        w = share.split()
        for pos in range(len(w)):
            other = words.WORDLIST[(words.WORDLIST.index(w[pos]) + 1 + pos) % 1024]
            fix = slip39.locate_wrong_word(replace_word(share, pos, other))
            assert fix is not None and (fix.position, fix.word) == (pos + 1, w[pos])


def test_two_wrong_words_are_never_miscorrected() -> None:
    _, shares = make_set(2, 3, seed=32)
    w = shares[0].split()
    rng = random.Random(5)
    for _ in range(200):
        i, j = rng.sample(range(len(w)), 2)
        wrong = list(w)
        wrong[i] = rng.choice([x for x in words.WORDLIST if x != w[i]])
        wrong[j] = rng.choice([x for x in words.WORDLIST if x != w[j]])
        assert correct_single_word(wrong) is None  # minimum distance 4: detected, not fixed


def test_unknown_word_suggests_the_word_the_checksum_needs() -> None:
    _, shares = make_set(2, 3, seed=33)
    real = shares[0].split()[17]
    out = RecoverySession().add(replace_word(shares[0], 17, "qqqq"))
    assert out.code == "unknown_word" and out.suggestions[0] == real
    assert out.message.startswith("Word 18 is not in the SLIP-39 word list. Did you mean")
    assert out.correction is not None and out.correction.position == 18
    assert repr(out.correction) == "<Correction position=18>"  # the word stays out of logs
