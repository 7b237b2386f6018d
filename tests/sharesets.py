"""Deterministic share sets for tests."""

from __future__ import annotations

import random

from ceremony.secret import Secret
from ceremony.shares import Scheme, split


def make_set(
    t: int, n: int, seed: int = 1, scheme: Scheme = "slip39", passphrase: bytes = b""
) -> tuple[Secret, list[str]]:
    rng = random.Random(seed)
    component = Secret(rng.randbytes(64), "component")
    return component, split(component, t, n, scheme, passphrase, random_bytes=rng.randbytes)


def replace_word(share: str, position: int, word: str) -> str:
    words = share.split()
    words[position] = word
    return " ".join(words)
