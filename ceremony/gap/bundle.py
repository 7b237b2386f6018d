"""Sealed, signed bundles: the only thing that leaves the room.

Frame (version 2): ``89 43 54 42 ("\\x89CTB") | version u8 | header length u16 |
header | ciphertext length u32 | ciphertext | Ed25519 signature (64)``.
Header: version u8, request id (16), operation u8, created u64, expires u64,
sender ephemeral X25519 key (32), signer Ed25519 key (32), flags u8 (1 =
rehearsal), key version, ceremony id, then parameters and fingerprints as
sorted (name, value) pairs; strings are u8 length + text. The registration data
(export key = signer, fingerprints) and the rehearsal mark are thus signed.
Sealed with HKDF label ``ANSWER_SEAL`` (never the request label). One encoding
per bundle: anything else is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, get_args

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ceremony import crockford, keys
from ceremony.errors import BundleError
from ceremony.gap.operations import (
    OP_CODE,
    PARAM_KEY,
    PARAM_VALUE,
    REGISTERING_OPERATIONS,
    Operation,
    check_params,
    read_operation,
)
from ceremony.gap.request import Request
from ceremony.gap.seal import ANSWER_SEAL, SealFailed, ephemeral_public, open_sealed, seal_to
from ceremony.gap.wire import (
    ID_BYTES,
    KEY_BYTES,
    LABEL,
    RandomBytes,
    Reader,
    Writer,
    check_label,
    public_raw,
    stamp,
    utc,
    version_number,
)
from ceremony.secret import Secret

__all__ = [
    "BUNDLE_MAGIC",
    "BUNDLE_PREFIX",
    "BUNDLE_VERSION",
    "MAX_BUNDLE_BYTES",
    "MAX_PAYLOAD_BYTES",
    "Bundle",
    "BundleHeader",
    "bundle_digest",
    "open_bundle",
    "parse_bundle",
    "seal_bundle",
    "verify_bundle",
]

BUNDLE_PREFIX: Final = "CTBUNDLE"
BUNDLE_MAGIC: Final = b"\x89CTB"  # never the start of text, unlike CTBUNDLE
BUNDLE_VERSION: Final = 2
MAX_BUNDLE_BYTES: Final = 4096
MAX_PAYLOAD_BYTES: Final = 2048
_MAX_BUNDLE_TEXT: Final = len(BUNDLE_PREFIX) + 4 + (MAX_BUNDLE_BYTES * 8 + 4) // 5 + 64
_SIGN_CONTEXT: Final = b"checktick-ceremony bundle signature v2\x00"
_REHEARSAL: Final = 1
_TAG_BYTES: Final = 16
_SIGNATURE_BYTES: Final = 64
_FINGERPRINT = re.compile(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}")
_FINGERPRINT_LABELS: Final = frozenset(get_args(keys.FingerprintLabel))


@dataclass(frozen=True)
class BundleHeader:
    """The signed, unencrypted part of a bundle: what it answers and who signed it."""

    version: int
    request_id: str
    operation: Operation
    params: dict[str, str]
    key_version: str
    ceremony_id: str
    created_at: datetime
    expires_at: datetime
    ephemeral_public_key: bytes  # sender X25519, 32 raw bytes
    fingerprints: dict[str, str]
    signer_public_key: bytes  # export signing key, Ed25519, 32 raw bytes
    rehearsal: bool = False

    def to_bytes(self) -> bytes:
        w = Writer()
        w.uint(self.version, 1)
        w.raw(bytes.fromhex(self.request_id))
        w.uint(OP_CODE[self.operation], 1)
        w.uint(int(self.created_at.timestamp()), 8)
        w.uint(int(self.expires_at.timestamp()), 8)
        w.raw(self.ephemeral_public_key)
        w.raw(self.signer_public_key)
        w.uint(_REHEARSAL if self.rehearsal else 0, 1)
        w.text(self.key_version)
        w.text(self.ceremony_id)
        w.pairs(self.params)
        w.pairs(self.fingerprints)
        return bytes(w.buf)


@dataclass(frozen=True)
class Bundle:
    """A sealed, signed answer to one request."""

    header: BundleHeader
    ciphertext: bytes
    signature: bytes

    def _unsigned(self) -> bytes:
        header = self.header.to_bytes()
        return (
            BUNDLE_MAGIC
            + bytes([self.header.version])
            + len(header).to_bytes(2, "big")
            + header
            + len(self.ciphertext).to_bytes(4, "big")
            + self.ciphertext
        )

    def to_bytes(self) -> bytes:
        """The bundle file."""
        return self._unsigned() + self.signature

    def text_line(self) -> str:
        """One line of text; also the QR payload (alphanumeric mode)."""
        return f"{BUNDLE_PREFIX}{self.header.version}:{crockford.encode(self.to_bytes())}"

    def qr_payload(self) -> str:
        return self.text_line()

    @property
    def request_id(self) -> str:
        return self.header.request_id

    @property
    def operation(self) -> Operation:
        return self.header.operation


def bundle_digest(bundle: Bundle) -> str:
    """SHA-256 of the bundle file, hex: names this exact bundle in records and claims."""
    return hashlib.sha256(bundle.to_bytes()).hexdigest()


def seal_bundle(
    request: Request,
    payload: Mapping[str, Any],
    custodian: Secret,
    ceremony_id: str,
    fingerprints: Mapping[str, str],
    now: datetime | None = None,
    random_bytes: RandomBytes | None = None,
    *,
    rehearsal: bool = False,
) -> Bundle:
    """Seal ``payload`` (JSON) to the request's key and sign it with the export key."""
    moment = utc(now)
    _refuse_unsealable(request, ceremony_id, fingerprints, moment)
    plaintext = json.dumps(dict(payload), sort_keys=True, separators=(",", ":")).encode()
    if len(plaintext) > MAX_PAYLOAD_BYTES:
        raise BundleError("The bundle's contents are too large.", code="oversized")
    _refuse_wrong_room(request, rehearsal)
    rand = random_bytes or secrets.token_bytes
    ephemeral_private = rand(KEY_BYTES)
    signer = keys.export_signing_key(custodian)
    header = BundleHeader(
        version=BUNDLE_VERSION,
        request_id=request.id,
        operation=request.operation,
        params=dict(request.params),
        key_version=request.key_version,
        ceremony_id=ceremony_id,
        created_at=moment,
        expires_at=request.expires_at,
        ephemeral_public_key=ephemeral_public(ephemeral_private),
        fingerprints=dict(fingerprints),
        signer_public_key=public_raw(signer.public_key()),
        rehearsal=rehearsal,
    )
    try:
        ciphertext = seal_to(
            request.recipient_public_key,
            ephemeral_private,
            ANSWER_SEAL,
            bytes.fromhex(request.id),
            header.to_bytes(),
            plaintext,
        )
    except ValueError:
        raise BundleError("The request's public key is not usable.", code="malformed") from None
    unsigned = Bundle(header, ciphertext, b"")._unsigned()
    return Bundle(header, ciphertext, signer.sign(_SIGN_CONTEXT + unsigned))


def _refuse_unsealable(
    request: Request, ceremony_id: str, fingerprints: Mapping[str, str], moment: datetime
) -> None:
    """Refuse an expired request, a bad ceremony id, or a fingerprint that is not one."""
    if request.expired(moment):
        raise BundleError(
            f"The request expired at {stamp(request.expires_at)}; ask for a new one.",
            code="expired",
        )
    check_label(ceremony_id, "ceremony id", BundleError)
    for label, value in fingerprints.items():
        if label not in _FINGERPRINT_LABELS or not _FINGERPRINT.fullmatch(value):
            raise BundleError(f"The fingerprint {label}={value!r} is not valid.", code="params")


def _refuse_wrong_room(request: Request, rehearsal: bool) -> None:
    """Refuse a practice request in a real room, and an answer key that is the session key."""
    if request.rehearsal and not rehearsal:
        raise BundleError(
            "This request comes from a practice Vault; answer it in rehearsal mode.",
            code="rehearsal",
        )
    if request.sealed is not None and request.sealed.session_public_key == (
        request.recipient_public_key
    ):
        raise BundleError(
            "The request's answer key equals the room's session key; it is refused.",
            code="request",
        )


def parse_bundle(data: bytes | str) -> Bundle:
    """A bundle from its file bytes or its text line; strict, or a clear BundleError."""
    if isinstance(data, str) or not data.startswith(BUNDLE_MAGIC):
        return _parse_bundle_frame(_frame_from_bundle_text(data))
    return _parse_bundle_frame(data)


def _frame_from_bundle_text(data: bytes | str) -> bytes:
    if len(data) > _MAX_BUNDLE_TEXT:
        raise _oversized_bundle()
    if isinstance(data, bytes):
        try:
            data = data.decode("ascii")
        except UnicodeDecodeError:
            raise _not_a_bundle() from None
    text = data.strip()
    if not text.startswith(BUNDLE_PREFIX):
        raise _not_a_bundle()
    digits, sep, body = text[len(BUNDLE_PREFIX) :].partition(":")
    version = version_number(digits)
    if not sep or version is None or digits != str(version):
        raise _not_a_bundle()
    if version != BUNDLE_VERSION:
        raise _unknown_bundle_version(version)
    try:
        return crockford.decode(body)
    except crockford.BadSymbol as err:
        raise BundleError(
            f"The bundle is damaged: {err.symbol!r} at position {err.position + 1} does not "
            "belong in a bundle.",
            code="malformed",
        ) from None
    except crockford.CodeError:
        raise BundleError(
            "The bundle is damaged: its text ends in the wrong place.", code="truncated"
        ) from None


def _not_a_bundle() -> BundleError:
    return BundleError(
        f"This is not a ceremony bundle: a bundle file starts with the bytes 89 43 54 42 and "
        f"a bundle line with {BUNDLE_PREFIX}{BUNDLE_VERSION}:.",
        code="malformed",
    )


def _oversized_bundle() -> BundleError:
    return BundleError(
        f"This is larger than any bundle ({MAX_BUNDLE_BYTES} bytes at most); it was refused "
        "unread.",
        code="oversized",
    )


def _unknown_bundle_version(version: int) -> BundleError:
    if version < BUNDLE_VERSION:
        return BundleError(
            f"This bundle was made by an older version of the ceremony tool (format {version}); "
            f"this one reads format {BUNDLE_VERSION}. Make a new request and answer it again.",
            code="version",
        )
    return BundleError(
        f"This bundle uses format version {version}; this tool reads version {BUNDLE_VERSION}. "
        "Use matching versions on both sides.",
        code="version",
    )


def _parse_bundle_frame(data: bytes) -> Bundle:
    if len(data) > MAX_BUNDLE_BYTES:
        raise _oversized_bundle()
    reader = Reader(data, BundleError, "bundle")
    if reader.take(len(BUNDLE_MAGIC)) != BUNDLE_MAGIC:
        raise _not_a_bundle()
    version = reader.uint(1)
    if version != BUNDLE_VERSION:
        raise _unknown_bundle_version(version)
    header_bytes = reader.take(reader.uint(2))
    ciphertext = reader.take(reader.uint(4))
    signature = reader.take(_SIGNATURE_BYTES)
    reader.end()
    if not _TAG_BYTES < len(ciphertext) <= MAX_PAYLOAD_BYTES + _TAG_BYTES:
        raise reader.malformed("its sealed contents have an impossible size")
    header = _decode_header(header_bytes)
    if header.version != version:
        raise reader.malformed("its two version numbers differ")
    return Bundle(header, ciphertext, signature)


def _decode_header(data: bytes) -> BundleHeader:
    r = Reader(data, BundleError, "bundle header")
    version = r.uint(1)
    if version != BUNDLE_VERSION:
        raise _unknown_bundle_version(version)
    request_id = r.take(ID_BYTES).hex()
    operation = read_operation(r)
    try:
        created_at = datetime.fromtimestamp(r.uint(8), UTC)
        expires_at = datetime.fromtimestamp(r.uint(8), UTC)
    except (OverflowError, OSError, ValueError):
        raise r.malformed("a time in it is out of range") from None
    ephemeral = r.take(KEY_BYTES)
    signer = r.take(KEY_BYTES)
    flags = r.uint(1)
    if flags & ~_REHEARSAL:
        raise r.malformed("it has unknown flags")
    key_version = r.text("key version", LABEL)
    ceremony_id = r.text("ceremony id", LABEL)
    params = r.pairs("parameters", PARAM_KEY, PARAM_VALUE)
    fingerprints = r.pairs("fingerprints", PARAM_KEY, _FINGERPRINT)
    r.end()
    if set(fingerprints) - _FINGERPRINT_LABELS:
        raise r.malformed("it names an unknown fingerprint")
    check_params(operation, params, BundleError)
    header = BundleHeader(
        version=version,
        request_id=request_id,
        operation=operation,
        params=params,
        key_version=key_version,
        ceremony_id=ceremony_id,
        created_at=created_at,
        expires_at=expires_at,
        ephemeral_public_key=ephemeral,
        fingerprints=fingerprints,
        signer_public_key=signer,
        rehearsal=bool(flags & _REHEARSAL),
    )
    if header.to_bytes() != data:  # one encoding per header, so one digest per bundle
        raise r.malformed("it is not in canonical form")
    return header


def verify_bundle(
    bundle: Bundle,
    request: Request,
    trusted_signer: bytes | None,
    now: datetime | None = None,
) -> None:
    """Refuse the bundle unless it is intact, trusted, answers ``request`` and is in time.

    ``trusted_signer`` is the registered export public key. ``None`` (nothing
    registered yet) is accepted only for install and adopt, which register the
    bundle's signer; see "Who is trusted to sign" in ``ceremony.gap``.
    """
    header = bundle.header
    try:
        Ed25519PublicKey.from_public_bytes(header.signer_public_key).verify(
            bundle.signature, _SIGN_CONTEXT + bundle._unsigned()
        )
    except (InvalidSignature, ValueError):
        raise BundleError(
            "The bundle's signature does not match its contents: it was altered or damaged "
            "on the way.",
            code="signature",
        ) from None
    _refuse_untrusted_signer(header, trusted_signer)
    _refuse_another_answer(header, request)
    moment = utc(now)
    if moment >= request.expires_at:
        raise BundleError(
            f"The request this bundle answers expired at {stamp(request.expires_at)}; "
            "make a new request and authorize it again.",
            code="expired",
        )


def _refuse_untrusted_signer(header: BundleHeader, trusted_signer: bytes | None) -> None:
    if trusted_signer is None:
        if header.operation not in REGISTERING_OPERATIONS:
            raise BundleError(
                f"No export key is registered, so a {header.operation} bundle cannot be "
                "trusted. Only install or adopt registers one.",
                code="signer",
            )
    elif header.signer_public_key != trusted_signer:
        raise BundleError(
            "This bundle is signed by an export key that is not the registered one: it was "
            "not made from this deployment's shares.",
            code="signer",
        )


def _refuse_another_answer(header: BundleHeader, request: Request) -> None:
    """Refuse a header that differs from ``request`` in anything it answers; first one wins."""
    rehearsal = (
        "This is a rehearsal bundle and the request is for a production Vault: a practice "
        "key is never installed."
        if header.rehearsal
        else "This request comes from a practice Vault, which refuses real bundles."
    )
    checks = (
        (
            header.request_id != request.id,
            f"This bundle answers request {header.request_id}, not {request.id}.",
            "request",
        ),
        (
            header.operation != request.operation,
            f"This bundle is for {header.operation}, but the request asked for "
            f"{request.operation}.",
            "operation",
        ),
        (
            header.params != request.params,
            "This bundle's parameters differ from the request's "
            f"({header.params} instead of {request.params}).",
            "params",
        ),
        (
            header.key_version != request.key_version,
            f"This bundle is for key version {header.key_version!r}, but the request is for "
            f"{request.key_version!r}.",
            "key-version",
        ),
        (header.rehearsal != request.rehearsal, rehearsal, "rehearsal"),
        (
            header.expires_at != request.expires_at,
            "This bundle's expiry differs from the request's.",
            "request",
        ),
    )
    for differs, message, code in checks:
        if differs:
            raise BundleError(message, code=code)


def open_bundle(
    bundle: Bundle, recipient_private_key: Secret | bytes | X25519PrivateKey
) -> dict[str, Any]:
    """Decrypt the payload with the request's private key. Call after :func:`verify_bundle`."""
    if isinstance(recipient_private_key, X25519PrivateKey):
        raw = recipient_private_key.private_bytes_raw()
    elif isinstance(recipient_private_key, Secret):
        raw = recipient_private_key.reveal()
    else:
        raw = bytes(recipient_private_key)
    if len(raw) != KEY_BYTES:
        raise BundleError("The request key has the wrong length.", code="key")
    header = bundle.header
    try:
        plaintext = open_sealed(
            raw,
            header.ephemeral_public_key,
            ANSWER_SEAL,
            bytes.fromhex(header.request_id),
            header.to_bytes(),
            bundle.ciphertext,
        )
    except SealFailed:
        raise BundleError(
            "The bundle cannot be opened with this request's key: it was sealed for another "
            "request, or altered.",
            code="decrypt",
        ) from None
    try:
        payload = json.loads(plaintext)
    except (ValueError, RecursionError):
        payload = None
    if not isinstance(payload, dict):
        raise BundleError("The bundle's contents are not a valid payload.", code="payload")
    return payload
