"""Every bad-input case of the recovery session: refused with a message, the session goes on."""

import pytest

from ceremony import keys
from ceremony.errors import ShareError
from ceremony.secret import Secret
from ceremony.shares import slip39, words
from ceremony.shares.session import RecoverySession
from tests.sharesets import make_set, replace_word

ShareSet = tuple[Secret, list[str]]


@pytest.fixture
def three_of_four() -> ShareSet:
    return make_set(3, 4, seed=7)


def test_happy_path_reports_progress(three_of_four: ShareSet) -> None:
    component, shares = three_of_four
    s = RecoverySession()
    assert s.state().needed is None and not s.state().complete
    out = s.add(shares[2])
    assert out.accepted and out.index == 3 and "1 of 3" in out.message
    assert s.state().needed == 2 and s.state().indices == (3,)
    s.add(shares[0])
    assert s.state().needed == 1
    s.add(shares[3])
    st = s.state()
    assert st.complete and st.needed == 0 and st.indices == (1, 3, 4) and st.threshold == 3
    assert s.recover() == component


def test_four_letter_prefixes_and_grid_numbers_are_enough(three_of_four: ShareSet) -> None:
    component, shares = three_of_four
    s = RecoverySession()
    for share in shares[:3]:
        typed = " ".join(f"{i}. {w[:4].upper()}" for i, w in enumerate(share.split(), 1))
        assert s.add(typed).accepted
    assert s.recover() == component


def test_unknown_word_names_closest_words_and_keeps_others(three_of_four: ShareSet) -> None:
    component, shares = three_of_four
    s = RecoverySession()
    s.add(shares[0])
    real = shares[1].split()[10]
    typo = real[:-1] + ("x" if real[-1] != "x" else "y") + "q"
    out = s.add(replace_word(shares[1], 10, typo))
    assert not out.accepted and out.code == "unknown_word"
    assert "Word 11" in out.message and real in out.suggestions
    assert s.state().indices == (1,)
    s.add(shares[1])
    s.add(shares[2])
    assert s.recover() == component


def test_checksum_failure(three_of_four: ShareSet) -> None:
    _, shares = three_of_four
    w = shares[0].split()
    other = next(x for x in words.WORDLIST if x != w[20])
    out = RecoverySession().add(replace_word(shares[0], 20, other))
    # one wrong word is located by the checksum and the right word proposed
    assert not out.accepted and out.code == "checksum"
    assert out.message == f"Word 21 looks wrong; did you mean {w[20]}?"
    assert out.correction is not None and out.correction.position == 21
    assert out.suggestions == (w[20],)


def test_swapped_words_fail_checksum(three_of_four: ShareSet) -> None:
    _, shares = three_of_four
    w = shares[0].split()
    i = next(i for i in range(10, 50) if w[i] != w[i + 1])
    w[i], w[i + 1] = w[i + 1], w[i]
    out = RecoverySession().add(" ".join(w))
    assert out.code == "checksum" and "more than one word" in out.message
    assert out.correction is None


def test_wrong_length(three_of_four: ShareSet) -> None:
    _, shares = three_of_four
    out = RecoverySession().add(" ".join(shares[0].split()[:-1]))
    assert not out.accepted and out.code == "length" and "58 words" in out.message


def test_share_from_another_set(three_of_four: ShareSet) -> None:
    _, shares = three_of_four
    _, other = make_set(3, 4, seed=8)
    s = RecoverySession()
    s.add(shares[0])
    out = s.add(other[1])
    assert not out.accepted and out.code == "other_set" and "another set" in out.message
    assert s.state().indices == (1,)


def test_duplicate_share(three_of_four: ShareSet) -> None:
    _, shares = three_of_four
    s = RecoverySession()
    s.add(shares[0])
    out = s.add(shares[0])
    assert not out.accepted and out.code == "duplicate"


def test_shares_that_disagree_on_threshold() -> None:
    # Same identifier and index layout, different thresholds: force the same id via randomness.
    component, three = make_set(3, 4, seed=11)
    _, two = make_set(2, 4, seed=11)
    assert slip39.decode(three[0]).identifier == slip39.decode(two[0]).identifier
    s = RecoverySession()
    s.add(three[0])
    out = s.add(two[1])
    assert not out.accepted and out.code == "threshold_mismatch"
    assert "any 2" in out.message and "say 3" in out.message


def test_too_few_shares(three_of_four: ShareSet) -> None:
    _, shares = three_of_four
    s = RecoverySession()
    with pytest.raises(ShareError, match="No shares"):
        s.recover()
    s.add(shares[0])
    s.add(shares[1])
    with pytest.raises(ShareError, match="1 more needed") as err:
        s.recover()
    assert err.value.code == "too_few"


def test_wrong_passphrase_detected_by_expected_fingerprint() -> None:
    component, shares = make_set(2, 3, seed=3, passphrase=b"river")
    fp = keys.fingerprint(component, "custodian")
    good = RecoverySession(passphrase=b"river", expected_fingerprint=fp)
    good.add(shares[0])
    good.add(shares[2])
    assert good.recover() == component
    bad = RecoverySession(passphrase=b"rivers", expected_fingerprint=fp)
    bad.add(shares[0])
    bad.add(shares[2])
    with pytest.raises(ShareError, match="wrong passphrase") as err:
        bad.recover()
    assert err.value.code == "fingerprint" and fp in err.value.message


def test_another_set_detected_by_expected_fingerprint() -> None:
    component, _ = make_set(2, 3, seed=3)
    _, other = make_set(2, 3, seed=4)
    s = RecoverySession(expected_fingerprint=keys.fingerprint(component, "custodian"))
    s.add(other[0])
    s.add(other[1])
    with pytest.raises(ShareError) as err:
        s.recover()
    assert err.value.code == "fingerprint"


def test_mixed_formats_refused() -> None:
    _, shares = make_set(2, 3, seed=5)
    _, legacy = make_set(2, 3, seed=5, scheme="checktick")
    s = RecoverySession()
    s.add(shares[0])
    out = s.add(legacy[1])
    assert not out.accepted and out.code == "mixed"


def test_legacy_threshold_is_discovered() -> None:
    component, legacy = make_set(3, 5, seed=9, scheme="checktick")
    s = RecoverySession()
    s.add(legacy[0])
    s.add(legacy[1])
    assert not s.state().complete and s.state().needed is None
    s.add(legacy[4])
    assert s.state().complete
    assert s.recover() == component


def _typo(share: str) -> str:
    return share[:-3] + ("abc" if share[-3:] != "abc" else "abd")


@pytest.mark.parametrize("bad", range(5))
def test_legacy_odd_one_out_is_set_aside(bad: int) -> None:
    component, legacy = make_set(3, 5, seed=10, scheme="checktick")
    texts = list(legacy)
    texts[bad] = _typo(texts[bad])
    s = RecoverySession()
    outcomes = [s.add(t) for t in texts]
    assert any(bad + 1 in o.set_aside for o in outcomes)
    assert bad + 1 not in s.state().indices
    assert s.recover() == component


def test_legacy_ambiguity_resolved_by_fingerprint() -> None:
    component, legacy = make_set(3, 4, seed=12, scheme="checktick")
    texts = [_typo(legacy[0]), *legacy[1:]]
    plain = RecoverySession()
    for t in texts:
        plain.add(t)
    with pytest.raises(ShareError, match="not clear which"):
        plain.recover()
    fp = keys.fingerprint(component, "custodian")
    guided = RecoverySession(expected_fingerprint=fp)
    for t in texts:
        guided.add(t)
    assert guided.recover() == component


def test_legacy_bad_characters_and_length() -> None:
    _, legacy = make_set(2, 3, seed=13, scheme="checktick")
    s = RecoverySession()
    out = s.add(legacy[0][:100] + "g" + legacy[0][101:])
    assert out.code == "character" and "not a hex digit" in out.message
    out = s.add(legacy[0][:200])
    assert out.code == "length"


def test_messages_and_repr_never_contain_share_words(three_of_four: ShareSet) -> None:
    _, shares = three_of_four
    s = RecoverySession()
    s.add(shares[0])
    text = repr(s) + str(s.state())
    for word in shares[0].split()[:6]:
        assert f" {word} " not in f" {text} "


def test_wipe_forgets_everything(three_of_four: ShareSet) -> None:
    _, shares = three_of_four
    s = RecoverySession()
    for sh in shares[:3]:
        s.add(sh)
    s.wipe()
    assert s.state().indices == () and not s.state().complete
