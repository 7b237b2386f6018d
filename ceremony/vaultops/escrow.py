"""CheckTick's individual-recovery escrow, decrypted exactly as its server does.

platform key  = vault component XOR custodian component (64 bytes)
user key      = PBKDF2-HMAC-SHA256(platform key, "checktick-user-recovery-<u>", 200 000, 32)
KEK key       = PBKDF2-HMAC-SHA256(user key, "users/<u>/surveys/<s>/recovery-kek", 200 000, 32)
encrypted_kek = hex(nonce(12) || AES-256-GCM ciphertext and tag), no associated data
"""

from __future__ import annotations

import hashlib
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ceremony.errors import VaultError
from ceremony.secret import Secret
from ceremony.vaultops.paths import escrow_path

__all__ = ["CHECKTICK_PBKDF2_ITERATIONS", "decrypt_kek", "kek_key"]

CHECKTICK_PBKDF2_ITERATIONS: Final = 200_000
_NONCE_BYTES: Final = 12


def kek_key(
    platform_key: Secret, user: str, survey: str, iterations: int = CHECKTICK_PBKDF2_ITERATIONS
) -> Secret:
    """The AES key that seals one survey's KEK for one user."""
    user_key = hashlib.pbkdf2_hmac(
        "sha256", platform_key.reveal(), f"checktick-user-recovery-{user}".encode(), iterations, 32
    )
    key = hashlib.pbkdf2_hmac(
        "sha256", user_key, escrow_path(user, survey).encode(), iterations, 32
    )
    return Secret(key, "kek key")


def decrypt_kek(encrypted_hex: str, key: Secret) -> Secret:
    """The KEK from CheckTick's ``encrypted_kek`` field."""
    try:
        blob = bytes.fromhex(encrypted_hex)
    except ValueError:
        raise VaultError("The escrow's encrypted_kek is not hex.", code="escrow") from None
    if len(blob) <= _NONCE_BYTES + 16:
        raise VaultError("The escrow's encrypted_kek is too short.", code="escrow")
    try:
        plain = AESGCM(key.reveal()).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], None)
    except InvalidTag:
        raise VaultError(
            "The escrowed KEK does not open with the platform key these shares rebuild: "
            "it was escrowed under another key, or the record was altered.",
            code="escrow",
        ) from None
    return Secret(plain, "kek")
