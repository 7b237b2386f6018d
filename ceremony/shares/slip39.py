"""SLIP-39 shares through the reference library, with messages a custodian can act on.

The plain form is one group (group threshold 1) whose member threshold is the
custodian threshold; named groups use SLIP-39's two levels. The library's own
error messages quote share words, so we never pass them through: every failure
is re-worded here without secret text.
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
from ceremony.shares.correction import Correction, correct_erasure, correct_single_word

__all__ = [
    "MAX_SHARES",
    "MIN_THRESHOLD",
    "combine",
    "decode",
    "locate_wrong_word",
    "normalise",
    "split",
    "split_groups",
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
            fix = locate_wrong_word(text)
            if fix is not None and fix.position == len(out) + 1:
                # the checksum says which word fits here: the best suggestion of all
                suggestions = (fix.word, *(w for w in suggestions if w != fix.word))[:3]
            hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
            raise ShareError(
                f"Word {len(out) + 1} is not in the SLIP-39 word list.{hint}",
                code="unknown_word",
                suggestions=suggestions,
            )
        out.append(word)
    return out


def _tokens(text: str) -> list[str]:
    tokens = text.replace(",", " ").split()
    return [t for t in tokens if not (t.isdigit() or (t.endswith(".") and t[:-1].isdigit()))]


def locate_wrong_word(text: str) -> Correction | None:
    """The one word of a refused share that looks wrong, and what it should probably be.

    Handles a word that is a list word but wrong (checksum) and a word that is
    not in the list at all (then the checksum names the word that fits). None
    when the share is fine, or when more than one word must be wrong.
    """
    tokens = _tokens(text)
    resolved = [words.resolve(t) for t in tokens]
    unknown = [i for i, w in enumerate(resolved) if w is None]
    if len(unknown) > 1 or len(tokens) not in _VALID_LENGTHS:
        return None
    if unknown:
        fix = correct_erasure(resolved, unknown[0] + 1)
        return Correction(unknown[0] + 1, fix) if fix else None
    return correct_single_word([w for w in resolved if w is not None])


def _valid_lengths() -> frozenset[int]:
    return frozenset(words_for_length(n) for n in range(MIN_STRENGTH_BITS // 8, 257, 2))


_VALID_LENGTHS: Final = _valid_lengths()


def decode(text: str) -> Share:
    """Parse and checksum one share."""
    share_words = normalise(text)
    if not share_words:
        raise ShareError("The share is empty.", code="empty")
    if len(share_words) not in _VALID_LENGTHS:
        raise ShareError(
            f"This share has {len(share_words)} words; a share of a 64-byte key has "
            f"{words_for_length(64)} and of a 32-byte key {words_for_length(32)}. "
            "A word was probably skipped or typed twice.",
            code="length",
        )
    try:
        return Share.from_mnemonic(" ".join(share_words))
    except MnemonicError as err:
        text_lower = str(err).lower()
        if "checksum" in text_lower:
            fix = correct_single_word(share_words)
            if fix is not None:
                raise ShareError(
                    f"Word {fix.position} looks wrong; did you mean {fix.word}?",
                    code="checksum",
                    suggestions=(fix.word,),
                ) from None
            raise ShareError(
                "The share's checksum does not match: more than one word is wrong, or two "
                "are swapped. Compare it word by word with the paper.",
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
    """The plain form: any ``threshold`` of ``count`` shares rebuild ``component``."""
    if not MIN_THRESHOLD <= threshold <= count <= MAX_SHARES:
        raise ShareError(
            f"SLIP-39 needs a threshold of {MIN_THRESHOLD} to {MAX_SHARES} and no more shares "
            f"than {MAX_SHARES}; asked for {threshold} of {count}."
        )
    return split_groups(
        component,
        1,
        [(threshold, count)],
        passphrase=passphrase,
        random_bytes=random_bytes,
        iteration_exponent=iteration_exponent,
    )[0]


def split_groups(
    component: Secret,
    group_threshold: int,
    groups: Sequence[tuple[int, int]],
    *,
    passphrase: bytes = b"",
    random_bytes: Callable[[int], bytes] | None = None,
    iteration_exponent: int = 1,
) -> list[list[str]]:
    """Two-level shares: ``groups`` are (member threshold, member count); one list per group."""
    if not 1 <= group_threshold <= len(groups) <= MAX_SHARES:
        raise ShareError(
            f"SLIP-39 needs 1 to {MAX_SHARES} groups and a group threshold no larger than the "
            f"number of groups; asked for {group_threshold} of {len(groups)}."
        )
    for n, (t, c) in enumerate(groups, start=1):
        if not 1 <= t <= c <= MAX_SHARES or (t == 1 and c > 1):
            raise ShareError(
                f"Group {n} asks for {t} of {c}; SLIP-39 allows 2 to {MAX_SHARES} of up to "
                f"{MAX_SHARES}, or a group of one."
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
            made = shamir_mnemonic.generate_mnemonics(
                group_threshold,
                list(groups),
                component.reveal(),
                passphrase,
                extendable=True,
                iteration_exponent=iteration_exponent,
            )
        finally:
            _shamir.RANDOM_BYTES = saved
    return [list(g) for g in made]


def combine(texts: Sequence[str], passphrase: bytes = b"") -> Secret:
    """Rebuild a master secret from SLIP-39 shares, one level or two.

    Shares beyond what is needed are fine (any threshold of a group rebuild it),
    and so is a group with too few shares when enough other groups are complete.
    """
    shares = [decode(t) for t in texts]
    if not shares:
        raise ShareError("No shares were given.", code="too_few")
    try:
        groups = _shamir.decode_mnemonics([s.mnemonic() for s in shares])
    except MnemonicError as err:
        raise ShareError(_reword(str(err)), code=_code(str(err))) from None
    first = shares[0]
    complete = {i: g.get_minimal_group() for i, g in groups.items() if g.is_complete()}
    if len(complete) < first.group_threshold:
        raise ShareError(_shortfall(first, groups), code="too_few")
    chosen = dict(sorted(complete.items())[: first.group_threshold])
    try:
        ems = _shamir.recover_ems(chosen)
        return Secret(ems.decrypt(passphrase), "component")
    except MnemonicError as err:
        raise ShareError(_reword(str(err)), code=_code(str(err))) from None


def _shortfall(first: Share, groups: dict[int, _shamir.ShareGroup]) -> str:
    if first.group_count == 1:
        have = len(groups.get(first.group_index, ()))
        missing = first.member_threshold - have
        return f"{have} of {first.member_threshold} shares given: {missing} more needed."
    done = sum(1 for g in groups.values() if g.is_complete())
    return (
        f"{done} of the {first.group_threshold} groups needed are complete: "
        f"{first.group_threshold - done} more needed."
    )


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
