"""Any t shares rebuild the component; t - 1 never do, for every 2 <= t <= n <= 16."""

import itertools
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ceremony.errors import ShareError
from ceremony.secret import Secret
from ceremony.shares import combine, split

PAIRS = [(t, n) for n in range(2, 17) for t in range(2, n + 1)]


@pytest.mark.parametrize("t,n", PAIRS, ids=lambda x: str(x))
def test_every_threshold_and_count(t: int, n: int) -> None:
    rng = random.Random(t * 100 + n)
    component = Secret(rng.randbytes(64))
    shares = split(component, t, n, random_bytes=rng.randbytes)
    assert len(shares) == n and all(len(s.split()) == 59 for s in shares)
    picks = rng.sample(shares, t)
    assert combine(picks) == component
    with pytest.raises(ShareError):
        combine(picks[:-1])


@settings(max_examples=40, deadline=None)
@given(data=st.data(), secret=st.binary(min_size=64, max_size=64))
def test_any_t_subset_rebuilds(data: st.DataObject, secret: bytes) -> None:
    n = data.draw(st.integers(2, 16))
    t = data.draw(st.integers(2, n))
    shares = split(Secret(secret), t, n)
    chosen = data.draw(st.lists(st.sampled_from(shares), min_size=t, max_size=n, unique=True))
    assert combine(chosen).reveal() == secret
    fewer = data.draw(st.lists(st.sampled_from(shares), min_size=1, max_size=t - 1, unique=True))
    with pytest.raises(ShareError):
        combine(fewer)


@settings(max_examples=15, deadline=None)
@given(data=st.data(), secret=st.binary(min_size=64, max_size=64))
def test_legacy_any_t_subset_rebuilds(data: st.DataObject, secret: bytes) -> None:
    # Legacy shares do not record the length: a value below 2^256 reads as a 32-byte
    # component (key version v2+). A random 64-byte component is that small with p = 2^-256.
    assume(int.from_bytes(secret, "big") >> 256)
    n = data.draw(st.integers(2, 8))
    t = data.draw(st.integers(2, n))
    shares = split(Secret(secret), t, n, "checktick")
    chosen = data.draw(st.lists(st.sampled_from(shares), min_size=t, max_size=n, unique=True))
    assert combine(chosen).reveal() == secret
    if t > 2:
        with pytest.raises(ShareError):
            combine(chosen[: t - 1])


@pytest.mark.parametrize("length", [16, 32, 48, 64, 128])
def test_slip39_secret_lengths_and_passphrase(length: int) -> None:
    rng = random.Random(length)
    secret = Secret(rng.randbytes(length))
    shares = split(secret, 2, 3, passphrase=b"correct horse", random_bytes=rng.randbytes)
    assert combine(shares[:2], b"correct horse") == secret
    assert combine(shares[:2], b"wrong") != secret  # SLIP-39: a wrong passphrase is a wrong key


def test_all_pairs_of_a_3_of_4_set() -> None:
    comp = Secret(bytes(range(64)))
    shares = split(comp, 3, 4)
    for combo in itertools.combinations(shares, 3):
        assert combine(list(combo)) == comp
