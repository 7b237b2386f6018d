"""One-shot sealing to an X25519 key: X25519 + HKDF-SHA256 + AES-256-GCM.

Requests (online to room, sealed to the room's session key) and answers (room
to online, sealed to the request key) use distinct HKDF labels, so a message
sealed one way can never be opened as the other. The associated data is the
message's header; the HKDF salt is the request id and the info binds both
public keys. Each derived key seals exactly one message, so the nonce is zero.
"""

from __future__ import annotations

from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ceremony.gap.wire import KEY_BYTES, public_raw

__all__ = [
    "ANSWER_SEAL",
    "REQUEST_SEAL",
    "SealFailed",
    "ephemeral_public",
    "open_sealed",
    "seal_to",
]

REQUEST_SEAL: Final = b"checktick-ceremony request seal v2"
ANSWER_SEAL: Final = b"checktick-ceremony answer seal v2"
_NONCE: Final = bytes(12)


class SealFailed(ValueError):
    """The message does not open: another key, another header, or altered."""


def _key(shared: bytes, label: bytes, salt: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=label + ephemeral + recipient
    ).derive(shared)


def seal_to(
    recipient_public: bytes,
    ephemeral_private: bytes,
    label: bytes,
    salt: bytes,
    header: bytes,
    plaintext: bytes,
) -> bytes:
    """The ciphertext of ``plaintext`` for ``recipient_public`` (ValueError if that key is bad)."""
    ephemeral = X25519PrivateKey.from_private_bytes(ephemeral_private)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _key(shared, label, salt, public_raw(ephemeral.public_key()), recipient_public)
    return AESGCM(key).encrypt(_NONCE, plaintext, header)


def ephemeral_public(ephemeral_private: bytes) -> bytes:
    return public_raw(X25519PrivateKey.from_private_bytes(ephemeral_private).public_key())


def open_sealed(
    recipient_private: bytes,
    ephemeral_public_key: bytes,
    label: bytes,
    salt: bytes,
    header: bytes,
    ciphertext: bytes,
) -> bytes:
    if len(recipient_private) != KEY_BYTES:
        raise SealFailed("wrong key length")
    private = X25519PrivateKey.from_private_bytes(recipient_private)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public_key))
    except ValueError:
        raise SealFailed("unusable sender key") from None
    key = _key(shared, label, salt, ephemeral_public_key, public_raw(private.public_key()))
    try:
        return AESGCM(key).decrypt(_NONCE, ciphertext, header)
    except InvalidTag:
        raise SealFailed("does not open") from None
