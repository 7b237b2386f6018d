"""Rules and words for a SLIP-39 passphrase set on new shares, shared by the app and the CLI.

A passphrase does not hide that a quorum of shares exists: whoever holds a
quorum can try passphrases offline, and the custodian fingerprint printed on
every sheet and in the ceremony record tells them when a guess is right. So a
passphrase must be long, and SLIP-39's iteration exponent makes each guess
dearer (10 000 × 2^E PBKDF2-SHA256 rounds per guess; every recovery pays the
same once).
"""

from __future__ import annotations

from typing import Final

from ceremony.errors import CeremonyError

__all__ = [
    "DEFAULT_ITERATION_EXPONENT",
    "MAX_ITERATION_EXPONENT",
    "MIN_PASSPHRASE_CHARS",
    "check_iteration_exponent",
    "check_new_passphrase",
    "iteration_note",
    "passphrase_warning",
]

MIN_PASSPHRASE_CHARS: Final = 12
DEFAULT_ITERATION_EXPONENT: Final = 1  # SLIP-39's and the reference library's default
MAX_ITERATION_EXPONENT: Final = 12  # 2^12 × 10 000 rounds: tens of seconds per recovery
BASE_ROUNDS: Final = 10_000


def check_new_passphrase(passphrase: bytes, *, allow_short: bool = False) -> None:
    """Refuse a passphrase shorter than ``MIN_PASSPHRASE_CHARS`` unless explicitly allowed.

    An empty passphrase means none; it is not refused here.
    """
    if passphrase and len(passphrase) < MIN_PASSPHRASE_CHARS and not allow_short:
        raise CeremonyError(
            f"The passphrase has {len(passphrase)} characters; use at least "
            f"{MIN_PASSPHRASE_CHARS} (a few random words are best), or confirm a short one "
            "on purpose with --force-short-passphrase."
        )


def check_iteration_exponent(exponent: int) -> None:
    if not 0 <= exponent <= MAX_ITERATION_EXPONENT:
        raise CeremonyError(
            f"The iteration exponent must be between 0 and {MAX_ITERATION_EXPONENT}; "
            f"{exponent} was given."
        )


def rounds(exponent: int) -> int:
    """PBKDF2 rounds one passphrase guess (or one recovery) costs."""
    return BASE_ROUNDS << exponent


def passphrase_warning(threshold: int, exponent: int) -> str:
    """What to tell the custodians when their set gets a passphrase (app and CLI alike)."""
    return (
        f"Anyone who holds {threshold} of these shares can test passphrase guesses offline, "
        "checking each against the custodian fingerprint printed on the sheets; each guess "
        f"costs {rounds(exponent):,} rounds of PBKDF2 (iteration exponent {exponent}), so "
        f"only a long passphrase ({MIN_PASSPHRASE_CHARS} characters or more, best a few random "
        "words) protects the set."
    )


def iteration_note(exponent: int) -> str:
    """The line a SLIP-39 share sheet carries about its iteration exponent."""
    return (
        f"SLIP-39 iteration exponent {exponent} ({rounds(exponent):,} PBKDF2 rounds per "
        "passphrase try); any SLIP-39 tool reads it from the share."
    )
