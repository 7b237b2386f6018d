"""Component generation, entropy mixing, XOR and fingerprints.

See docs/design.md, "Keys and fingerprints".

A fingerprint is a key check value that is safe to print and share:
``HMAC-SHA256(component, b"checktick-ceremony fingerprint v1 " + label)``,
first 6 bytes, upper-case hex in three dash-separated groups.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from typing import Final, Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ceremony.secret import Secret

__all__ = [
    "COMPONENT_BYTES",
    "FingerprintLabel",
    "RandomBytes",
    "export_key_check",
    "export_key_check_of",
    "export_signing_key",
    "export_signing_public_key",
    "fingerprint",
    "fingerprints",
    "new_component",
    "xor",
]

COMPONENT_BYTES: Final = 64
FINGERPRINT_PREFIX: Final = b"checktick-ceremony fingerprint v1 "
EXPORT_SIGNING_INFO: Final = b"checktick-ceremony export-signing v1"
ENTROPY_MIX_INFO: Final = b"checktick-ceremony component v1"
EXPORT_KEY_CHECK_PREFIX: Final = b"checktick-ceremony export-key check v1"
EXPORT_KEY_CHECK_BYTES: Final = 16  # 128 bits: enough for a person to decide whom to trust

FingerprintLabel = Literal["custodian", "vault", "platform"]
RandomBytes = Callable[[int], bytes]


def fingerprint(component: bytes | bytearray | memoryview | Secret, label: FingerprintLabel) -> str:
    """The public key check value of a component, e.g. ``3F9A-0C1B-77D2``."""
    key = component.view() if isinstance(component, Secret) else component
    mac = hmac.new(bytes(key), FINGERPRINT_PREFIX + label.encode(), hashlib.sha256).digest()
    text = mac[:6].hex().upper()
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


def fingerprints(custodian: Secret, vault: Secret | None = None) -> dict[str, str]:
    """Fingerprints of the custodian component and, given the vault one, vault and platform."""
    out = {"custodian": fingerprint(custodian, "custodian")}
    if vault is not None:
        out["vault"] = fingerprint(vault, "vault")
        with xor(custodian, vault) as platform:
            out["platform"] = fingerprint(platform, "platform")
    return out


def xor(a: Secret, b: Secret) -> Secret:
    """The platform key from its two components (or either component from the other two)."""
    if len(a) != len(b):
        raise ValueError("components differ in length")
    out = bytearray(len(a))
    av, bv = a.view(), b.view()
    for i in range(len(out)):
        out[i] = av[i] ^ bv[i]
    return Secret.take(out, "xor")


def new_component(
    contributions: Iterable[bytes | str] = (),
    *,
    length: int = COMPONENT_BYTES,
    random_bytes: RandomBytes = secrets.token_bytes,
) -> Secret:
    """A fresh component from the OS CSPRNG, optionally mixed with custodian entropy.

    Without contributions the component is the CSPRNG output itself. With them it is
    HKDF-SHA512 over the CSPRNG output (as key material) and every contribution
    (length-prefixed, as salt): a contribution can only add entropy, never
    remove the CSPRNG's, because HKDF is a PRF keyed by the OS randomness.
    """
    base = bytearray(random_bytes(length))
    if len(base) != length:
        raise ValueError("the random source returned the wrong number of bytes")
    parts = [c.encode("utf-8") if isinstance(c, str) else bytes(c) for c in contributions]
    if not parts:
        return Secret.take(base, "component")
    salt = hashlib.sha512()
    for part in parts:
        salt.update(len(part).to_bytes(8, "big") + part)
    mixed = HKDF(
        algorithm=hashes.SHA512(), length=length, salt=salt.digest(), info=ENTROPY_MIX_INFO
    ).derive(bytes(base))
    secret = Secret(mixed, "component")
    Secret.take(base).wipe()
    return secret


def export_signing_key(custodian: Secret) -> Ed25519PrivateKey:
    """The Ed25519 export signing key; only a quorum that rebuilt the component has it."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=EXPORT_SIGNING_INFO).derive(
        custodian.reveal()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def export_signing_public_key(custodian: Secret) -> bytes:
    """The 32 raw bytes of the export signing public key (registered in Vault)."""
    from cryptography.hazmat.primitives import serialization

    return (
        export_signing_key(custodian)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def export_key_check(public_key: bytes) -> str:
    """The export key check people compare with the printed record.

    First 16 bytes of SHA-256(prefix + Ed25519 public key), Crockford base32 in
    groups of five, each followed by a check symbol that finds a typo in its group.
    """
    from ceremony import crockford

    if len(public_key) != 32:
        raise ValueError("an export public key is 32 bytes")
    digest = hashlib.sha256(EXPORT_KEY_CHECK_PREFIX + public_key).digest()[:EXPORT_KEY_CHECK_BYTES]
    return "-".join(crockford.split_groups(digest))


def export_key_check_of(custodian: Secret) -> str:
    """The export key check of the key a rebuilt custodian component signs with."""
    return export_key_check(export_signing_public_key(custodian))
