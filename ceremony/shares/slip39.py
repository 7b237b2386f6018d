"""SLIP-39 shares through the reference library, with messages a custodian can act on.

We use one group (group threshold 1) whose member threshold is the custodian
threshold. The library's own error messages quote share words, so we never
pass them through: every failure is re-worded here without secret text.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Sequence
from typing import Final

import shamir_mnemonic
from shamir_mnemonic import MnemonicError, Share
from shamir_mnemonic import shamir as _shamir
from shamir_mnemonic.constants import MIN_STRENGTH_BITS

from ceremony.errors import ShareError
from ceremony.secret import Secret
from ceremony.shares import words

__all__ = [
    "MAX_SHARES",
    "MIN_THRESHOLD",
    "combine",
    "decode",
    "normalise",
    "split",
    "words_for_length",
]

MIN_THRESHOLD: Final = 2
MAX_SHARES: Final = 16
_METADATA_WORDS: Final = 7  # id+ext+exp (2), group params (2), checksum (3)
_random_lock = threading.Lock()


def words_for_length(secret_bytes: int) -> int:
    return _METADATA_WORDS + (secret_bytes * 8 + 9) // 10


def normalise(text: str) -> list[str]:
    """Words of a share, lower-case, with 4-letter prefixes expanded; unknown words refused."""
    tokens = text.replace(",", " ").split()
    out: list[str] = []
    for token in tokens:
        if token.isdigit() or (token.endswith(".") and token[:-1].isdigit()):
            continue  # numbers copied from the printed grid
        word = words.resolve(token)
        if word is None:
            suggestions = words.closest(token)
            hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
            raise ShareError(
                f"Word {len(out) + 1} is not in the SLIP-39 word list.{hint}",
                code="unknown_word",
                suggestions=suggestions,
            )
        out.append(word)
    return out


def decode(text: str) -> Share:
    """Parse and checksum one share."""
    share_words = normalise(text)
    if not share_words:
        raise ShareError("The share is empty.", code="empty")
    valid = {words_for_length(n) for n in range(MIN_STRENGTH_BITS // 8, 257, 2)}
    if len(share_words) not in valid:
        expected = words_for_length(64)
        raise ShareError(
            f"This share has {len(share_words)} words; a share of a 64-byte key has {expected}. "
            "A word was probably skipped or typed twice.",
            code="length",
        )
    try:
        return Share.from_mnemonic(" ".join(share_words))
    except MnemonicError as err:
        text_lower = str(err).lower()
        if "checksum" in text_lower:
            raise ShareError(
                "The share's checksum does not match: at least one word is wrong or two are "
                "swapped. Compare it word by word with the paper.",
                code="checksum",
            ) from None
        if "padding" in text_lower:
            raise ShareError("This share is malformed (invalid padding).", code="format") from None
        raise ShareError("This share is malformed and cannot be read.", code="format") from None


def split(
    component: Secret,
    threshold: int,
    count: int,
    *,
    passphrase: bytes = b"",
    random_bytes: Callable[[int], bytes] | None = None,
    iteration_exponent: int = 1,
) -> list[str]:
    if not MIN_THRESHOLD <= threshold <= count <= MAX_SHARES:
        raise ShareError(
            f"SLIP-39 needs a threshold of {MIN_THRESHOLD} to {MAX_SHARES} and no more shares "
            f"than {MAX_SHARES}; asked for {threshold} of {count}."
        )
    if not all(32 <= c <= 126 for c in passphrase):
        raise ShareError("A SLIP-39 passphrase may only contain printable ASCII characters.")
    secret_len = len(component)
    if secret_len * 8 < MIN_STRENGTH_BITS or secret_len % 2:
        raise ShareError("SLIP-39 needs a secret of an even number of bytes, at least 16.")
    with _random_lock:
        saved = _shamir.RANDOM_BYTES
        _shamir.RANDOM_BYTES = random_bytes or secrets.token_bytes
        try:
            groups = shamir_mnemonic.generate_mnemonics(
                1,
                [(threshold, count)],
                component.reveal(),
                passphrase,
                extendable=True,
                iteration_exponent=iteration_exponent,
            )
        finally:
            _shamir.RANDOM_BYTES = saved
    return list(groups[0])


def combine(texts: Sequence[str], passphrase: bytes = b"") -> Secret:
    """Rebuild a master secret from SLIP-39 shares (any group layout SLIP-39 allows)."""
    shares = [decode(t) for t in texts]
    if not shares:
        raise ShareError("No shares were given.", code="too_few")
    first = shares[0]
    if first.group_count == 1 and len(shares) < first.member_threshold:
        missing = first.member_threshold - len(shares)
        raise ShareError(
            f"{len(shares)} of {first.member_threshold} shares given: {missing} more needed.",
            code="too_few",
        )
    try:
        groups = _shamir.decode_mnemonics([s.mnemonic() for s in shares])
        # More shares than a group's threshold are fine: any threshold of them rebuild it.
        minimal = {i: g.get_minimal_group() if g.is_complete() else g for i, g in groups.items()}
        ems = _shamir.recover_ems(minimal)
        return Secret(ems.decrypt(passphrase), "component")
    except MnemonicError as err:
        raise ShareError(_reword(str(err)), code=_code(str(err))) from None


def _code(message: str) -> str:
    m = message.lower()
    if "same" in m and "words" in m:
        return "other_set"
    if "parameters don't match" in m:
        return "threshold_mismatch"
    if "unique" in m:
        return "duplicate"
    if "digest" in m:
        return "digest"
    if "wrong number" in m or "insufficient" in m:
        return "too_few"
    return "invalid"


def _reword(message: str) -> str:
    return {
        "other_set": "These shares come from different sets (their first words differ).",
        "threshold_mismatch": "These shares disagree on their threshold or group settings.",
        "duplicate": "Two of these shares have the same number.",
        "digest": "These shares do not rebuild the key: one of them is wrong.",
        "too_few": "Not enough shares to rebuild the key.",
    }.get(_code(message), "These shares cannot be combined.")
