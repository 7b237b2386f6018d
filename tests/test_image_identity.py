"""The live image's word code: what a witness reads aloud against the published ISO hash."""

from __future__ import annotations

import hashlib

import pytest
from shamir_mnemonic.wordlist import WORDLIST

from ceremony.room.image_identity import CODE_WORDS, measured_text, packages_text, word_code


def test_the_code_reads_the_first_70_bits_as_seven_words() -> None:
    assert word_code("0" * 64) == " ".join([WORDLIST[0]] * 7)
    assert word_code("f" * 64) == " ".join([WORDLIST[1023]] * 7)
    # 70 bits: word i is bits 10*i .. 10*i+9 counted from the most significant bit.
    digest = "004" + "0" * 61  # bit 9 set: the first word's lowest bit
    assert word_code(digest).split() == [WORDLIST[1]] + [WORDLIST[0]] * 6
    # In the first 72 bits (18 hex digits), bit 70 (the seventh word's lowest) is 1 << 2.
    last = f"{1 << 2:018x}" + "0" * 46
    assert word_code(last).split() == [WORDLIST[0]] * 6 + [WORDLIST[1]]
    beyond = f"{0b11:018x}" + "f" * 46  # bits past the 70th do not count
    assert word_code(beyond) == word_code("0" * 64)


def test_the_code_of_a_real_hash_and_its_spelling() -> None:
    digest = hashlib.sha256(b"ceremony").hexdigest()
    words = word_code(digest).split()
    assert len(words) == CODE_WORDS == 7
    value = int(digest[:18], 16) >> 2  # the first 72 bits, less the last two
    assert [WORDLIST.index(w) for w in words] == [
        (value >> (10 * (6 - i))) & 1023 for i in range(7)
    ]
    assert measured_text(digest) == f"ISO SHA-256 {digest}, words {' '.join(words).upper()}"
    other = hashlib.sha256(b"ceremonz").hexdigest()
    assert word_code(other) != word_code(digest)


@pytest.mark.parametrize("bad", ["", "ab" * 31, "AB" * 32, "g" * 64, "ab" * 33])
def test_only_a_sha256_in_hex_has_a_code(bad: str) -> None:
    with pytest.raises(ValueError, match="not a SHA-256"):
        word_code(bad)


def test_the_packages_note_from_the_image_identity() -> None:
    assert packages_text({}) is None
    assert packages_text({"lock_date": "yesterday"}) is None
    assert packages_text({"lock_date": "2026-12-02", "security_fixes_missing_at_lock": "0"}) == (
        "Debian packages as of 2026-12-02, no security fix missing then"
    )
    one = {"lock_date": "2026-12-02", "security_fixes_missing_at_lock": "1 (zlib1g)"}
    assert packages_text(one) == (
        "Debian packages as of 2026-12-02, 1 security fix missing then (zlib1g)"
    )
    two = {"lock_date": "2026-12-02", "security_fixes_missing_at_lock": "2 (cups, zlib1g)"}
    assert packages_text(two) == (
        "Debian packages as of 2026-12-02, 2 security fixes missing then (cups, zlib1g)"
    )
    unknown = {"lock_date": "2026-12-02", "security_fixes_missing_at_lock": "not recorded"}
    assert packages_text(unknown) == "Debian packages as of 2026-12-02"
