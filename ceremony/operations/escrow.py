"""CheckTick's individual-recovery escrow, opened in the room exactly as its server does.

platform key  = vault component XOR custodian component (64 bytes)
user key      = PBKDF2-HMAC-SHA256(platform key, "checktick-user-recovery-<u>", 200 000, 32)
KEK key       = PBKDF2-HMAC-SHA256(user key, "users/<u>/surveys/<s>/recovery-kek", 200 000, 32)
e-mail key    = PBKDF2-HMAC-SHA256(platform key[:32], "email-verification-<u>", 100 000, 32)
encrypted_*   = nonce(12) || AES-256-GCM ciphertext and tag, no associated data

The salts are built here from the user and survey the quorum approves, never
taken from the request, so an escrow of another user or survey cannot open.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony.errors import CeremonyError
from ceremony.secret import Secret

__all__ = [
    "CHECKTICK_PBKDF2_ITERATIONS",
    "EMAIL_PBKDF2_ITERATIONS",
    "KEK_BYTES",
    "EscrowError",
    "Progress",
    "decrypt_email",
    "decrypt_kek",
    "email_key",
    "escrow_path",
    "kek_key",
]

CHECKTICK_PBKDF2_ITERATIONS: Final = 200_000
EMAIL_PBKDF2_ITERATIONS: Final = 100_000
KEK_BYTES: Final = 32
_NONCE_BYTES: Final = 12
_TAG_BYTES: Final = 16

Progress = Callable[[int, int, str], None]  # done, total (PBKDF2 iterations), what


class EscrowError(CeremonyError):
    """The escrow does not open with this key, or is not CheckTick's format."""

    def __init__(self, message: str, *, code: str = "escrow") -> None:
        super().__init__(message)
        self.code = code


def escrow_path(user: str, survey: str) -> str:
    """CheckTick's recovery escrow path, which is also the PBKDF2 salt of its KEK key."""
    return f"users/{user}/surveys/{survey}/recovery-kek"


def _quiet(done: int, total: int, what: str) -> None:
    del done, total, what


def kek_key(
    platform_key: Secret,
    user: str,
    survey: str,
    iterations: int = CHECKTICK_PBKDF2_ITERATIONS,
    progress: Progress = _quiet,
    total: int | None = None,
) -> Secret:
    """The AES key that seals one survey's KEK for one user (two PBKDF2 chains)."""
    whole = total or 2 * iterations
    progress(0, whole, "deriving the user's recovery key")
    user_key = bytearray(
        hashlib.pbkdf2_hmac(
            "sha256",
            platform_key.reveal(),
            f"checktick-user-recovery-{user}".encode(),
            iterations,
            32,
        )
    )
    progress(iterations, whole, "deriving the survey's key")
    with Secret.take(user_key, "user recovery key") as held:
        key = hashlib.pbkdf2_hmac(
            "sha256", held.reveal(), escrow_path(user, survey).encode(), iterations, 32
        )
    progress(2 * iterations, whole, "derived the survey's key")
    return Secret(key, "kek key")


def email_key(platform_key: Secret, user: str, iterations: int = EMAIL_PBKDF2_ITERATIONS) -> Secret:
    key = hashlib.pbkdf2_hmac(
        "sha256", platform_key.reveal()[:32], f"email-verification-{user}".encode(), iterations, 32
    )
    return Secret(key, "e-mail key")


def _open(blob: bytes, key: Secret, what: str) -> bytes:
    if len(blob) < _NONCE_BYTES + _TAG_BYTES:
        raise EscrowError(f"The escrow's {what} is too short to be CheckTick's format.")
    try:
        return AESGCM(key.reveal()).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], None)
    except InvalidTag:
        raise EscrowError(
            f"This escrow was not made with this key: its {what} does not open with the "
            "platform key these shares and this Vault rebuild, for this user and survey.",
            code="not-this-key",
        ) from None


def decrypt_kek(encrypted: bytes, key: Secret) -> Secret:
    """Exactly 32 bytes of KEK from CheckTick's ``encrypted_kek``."""
    plain = bytearray(_open(encrypted, key, "encrypted KEK"))
    kek = Secret.take(plain, "kek")
    if len(kek) != KEK_BYTES:
        kek.wipe()
        raise EscrowError(
            f"The escrow's KEK is not {KEK_BYTES} bytes long; it is not CheckTick's format.",
            code="kek-size",
        )
    return kek


def decrypt_email(encrypted: bytes, key: Secret) -> str:
    plain = _open(encrypted, key, "escrowed e-mail")
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise EscrowError("The escrowed e-mail is not text.", code="email") from None
