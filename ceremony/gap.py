"""Request codes and sealed, signed bundles that cross the air gap.

DESIGN.md, "Crossing the air gap". No network code: the online side
(``ceremony.vaultops``) makes requests and applies bundles; the offline side
reads requests and seals bundles. Both use this module.

Request
    A version-1 frame: ``version u8 | body length u16 | body | check 4``, where
    the check is the first 4 bytes of SHA-256 over everything before it. The body
    holds the id (16 random bytes), the operation, created time and lifetime,
    the recipient X25519 public key, the key version and the parameter values
    (names and order are fixed by the operation, see ``OPERATION_PARAMS``). The
    frame is shown three ways:

    - QR payload ``CTREQ1:`` + Crockford base32 of the frame (QR alphanumeric mode);
    - typed code: the same base32 in groups of five plus a check symbol per group
      (see ``ceremony.crockford``), which finds any single mistyped symbol and
      any swap of neighbours and says which group; the frame check covers
      missing, repeated or reordered groups;
    - four check words from the SLIP-39 word list, derived from a hash of the
      frame, shown by both sides so people can compare them aloud.

Bundle
    ``0x89 "CTB" | version u8 | header length u16 | header | ciphertext length u32 |
    ciphertext | Ed25519 signature (64)``. The header is the associated data of
    AES-256-GCM; the key is HKDF-SHA256 over X25519(sender ephemeral, request
    recipient), salt = request id, info binding both public keys. Each key
    seals exactly one message, so the nonce is fixed at zero. The export
    signing key signs a context string and every byte before the signature.
    Written as a file (the bytes), and as one text line that is also the QR
    payload: ``CTBUNDLE1:`` + Crockford base32.

Who is trusted to sign
    ``verify`` and ``recover-escrow`` bundles must be signed by the export key
    registered in Vault. ``install`` and ``adopt`` register that key, so when
    none is registered yet ``verify_bundle(..., trusted_signer=None)`` accepts
    the signer the bundle names: what was signed is then bound to a fresh,
    single-use request the online side created, and the custodian fingerprint
    it registers must be compared with the printed ceremony record. Whenever a
    key is already registered the online side must pass it, for every
    operation, so nobody can replace it with an ``adopt`` of their own.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal, get_args

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from shamir_mnemonic.wordlist import WORDLIST

from ceremony import crockford, keys
from ceremony.errors import BundleError, GapError, RequestCodeError
from ceremony.secret import Secret

__all__ = [
    "BUNDLE_PREFIX",
    "MAX_BUNDLE_BYTES",
    "MAX_PAYLOAD_BYTES",
    "OPERATIONS",
    "OPERATION_PARAMS",
    "REGISTERING_OPERATIONS",
    "REQUEST_PREFIX",
    "Bundle",
    "BundleHeader",
    "Operation",
    "Request",
    "bundle_digest",
    "describe_operation",
    "new_request",
    "open_bundle",
    "parse_bundle",
    "parse_request",
    "seal_bundle",
    "verify_bundle",
]

Operation = Literal["install", "adopt", "verify", "recover-escrow"]
OPERATIONS: Final[tuple[Operation, ...]] = get_args(Operation)
_OP_CODE: Final = {op: i + 1 for i, op in enumerate(OPERATIONS)}
# Parameters each operation needs, no more and no fewer.
OPERATION_PARAMS: Final[dict[Operation, tuple[str, ...]]] = {
    "install": (),
    "adopt": (),
    "verify": (),
    "recover-escrow": ("survey", "user"),
}
REGISTERING_OPERATIONS: Final[frozenset[Operation]] = frozenset({"install", "adopt"})

REQUEST_PREFIX: Final = "CTREQ"
REQUEST_VERSION: Final = 1
MAX_REQUEST_FRAME: Final = 512
MAX_REQUEST_TEXT: Final = 16_384  # a request file with its explanations
MAX_LIFETIME: Final = timedelta(days=30)
_WORDS_LABEL: Final = b"checktick-ceremony request words v1"

BUNDLE_PREFIX: Final = "CTBUNDLE"
BUNDLE_MAGIC: Final = b"\x89CTB"  # never the start of text, unlike CTBUNDLE
BUNDLE_VERSION: Final = 1
MAX_BUNDLE_BYTES: Final = 4096
MAX_PAYLOAD_BYTES: Final = 2048
_MAX_BUNDLE_TEXT: Final = len(BUNDLE_PREFIX) + 4 + (MAX_BUNDLE_BYTES * 8 + 4) // 5 + 64
_SIGN_CONTEXT: Final = b"checktick-ceremony bundle signature v1\x00"
_SEAL_INFO: Final = b"checktick-ceremony bundle seal v1"
_NONCE: Final = bytes(12)
_TAG_BYTES: Final = 16
_SIGNATURE_BYTES: Final = 64
_KEY_BYTES: Final = 32
_ID_BYTES: Final = 16

# Parameter values become Vault path segments (users/<u>/surveys/<s>): no slashes, no dots alone.
_PARAM_KEY = re.compile(r"[a-z][a-z0-9_]{0,15}")
_PARAM_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}")
_LABEL = re.compile(r"[!-~](?:[ -~]{0,62}[!-~])?")  # printable ASCII, no outer spaces
_FINGERPRINT = re.compile(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}")
_FINGERPRINT_LABELS: Final = frozenset(get_args(keys.FingerprintLabel))

_DESCRIPTIONS: Final[dict[Operation, str]] = {
    "install": "Install a new master key: store the vault component and register the export key",
    "adopt": "Adopt an existing key: register its fingerprints and the export key",
    "verify": "Recovery drill: prove the shares still rebuild the key",
    "recover-escrow": "Individual recovery: release one survey's key for user {user}, "
    "survey {survey}",
}

RandomBytes = Callable[[int], bytes]


# --------------------------------------------------------------------------- helpers


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC).replace(microsecond=0)
    if moment.tzinfo is None:
        raise ValueError("times must carry a time zone")
    return moment.astimezone(UTC).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _pub_raw(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def describe_operation(operation: Operation, params: Mapping[str, str]) -> str:
    """The operation in plain words, as shown on both sides."""
    return _DESCRIPTIONS[operation].format(**params)


class _Writer:
    def __init__(self) -> None:
        self.buf = bytearray()

    def raw(self, data: bytes) -> None:
        self.buf += data

    def uint(self, value: int, size: int) -> None:
        self.buf += value.to_bytes(size, "big")

    def text(self, value: str) -> None:
        data = value.encode("utf-8")
        self.uint(len(data), 1)
        self.buf += data

    def pairs(self, items: Mapping[str, str]) -> None:
        self.uint(len(items), 1)
        for key in sorted(items):
            self.text(key)
            self.text(items[key])


class _Reader:
    """Reads fields, refusing to run past the end; every refusal names the thing read."""

    def __init__(self, data: bytes, error: type[GapError], what: str) -> None:
        self.data = data
        self.pos = 0
        self.error = error
        self.what = what

    def take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise self.error(
                f"The {self.what} is cut short: it ends before all its parts were read. "
                "Copy or scan it again, completely.",
                code="truncated",
            )
        out = self.data[self.pos : self.pos + size]
        self.pos += size
        return out

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "big")

    def text(self, field: str, pattern: re.Pattern[str]) -> str:
        raw = self.take(self.uint(1))
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = ""
        if not pattern.fullmatch(value):
            raise self.malformed(f"its {field} is not valid")
        return value

    def pairs(
        self, field: str, key_pattern: re.Pattern[str], value_pattern: re.Pattern[str]
    ) -> dict[str, str]:
        out: dict[str, str] = {}
        last = ""
        for _ in range(self.uint(1)):
            key = self.text(f"{field} name", key_pattern)
            if key <= last and out:
                raise self.malformed(f"its {field} are not in canonical order")
            out[key] = self.text(f"{field} value", value_pattern)
            last = key
        return out

    def end(self) -> None:
        if self.pos != len(self.data):
            raise self.error(
                f"The {self.what} has {len(self.data) - self.pos} unexpected bytes after its end.",
                code="malformed",
            )

    def malformed(self, detail: str) -> GapError:
        return self.error(f"The {self.what} is damaged: {detail}.", code="malformed")


def _check_label(value: str, field: str, error: type[GapError]) -> None:
    if not _LABEL.fullmatch(value):
        raise error(
            f"The {field} {value!r} is not usable: use 1 to 64 printable ASCII characters.",
            code="params",
        )


def _check_params(operation: Operation, params: Mapping[str, str], error: type[GapError]) -> None:
    wanted = OPERATION_PARAMS[operation]
    if tuple(sorted(params)) != wanted:
        need = ", ".join(wanted) if wanted else "no parameters"
        raise error(f"The {operation} operation takes {need}; got {sorted(params)}.", code="params")
    for key, value in params.items():
        if not _PARAM_VALUE.fullmatch(value) or ".." in value:
            raise error(
                f"The {key} {value!r} is not usable: use letters, digits and _ . @ + -.",
                code="params",
            )


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Request:
    """What the online side asks the room to do. Public: nothing here is secret."""

    id: str  # 32 lower-case hex digits
    operation: Operation
    params: dict[str, str]
    key_version: str
    created_at: datetime
    expires_at: datetime
    recipient_public_key: bytes  # X25519, 32 raw bytes

    def to_bytes(self) -> bytes:
        """The canonical version-1 frame."""
        body = _Writer()
        body.raw(bytes.fromhex(self.id))
        body.uint(_OP_CODE[self.operation], 1)
        body.uint(int(self.created_at.timestamp()), 8)
        body.uint(int((self.expires_at - self.created_at).total_seconds()), 4)
        body.raw(self.recipient_public_key)
        body.text(self.key_version)
        for key in OPERATION_PARAMS[self.operation]:  # the operation fixes names and order
            body.text(self.params[key])
        head = bytes([REQUEST_VERSION]) + len(body.buf).to_bytes(2, "big") + bytes(body.buf)
        return head + hashlib.sha256(head).digest()[:4]

    def qr_payload(self) -> str:
        return f"{REQUEST_PREFIX}{REQUEST_VERSION}:{crockford.encode(self.to_bytes())}"

    def typed_groups(self) -> list[str]:
        return crockford.split_groups(self.to_bytes())

    def typed_code(self, per_line: int = 0) -> str:
        """Groups joined by dashes; with ``per_line``, that many groups to a line."""
        groups = self.typed_groups()
        if per_line <= 0:
            return "-".join(groups)
        lines = [groups[i : i + per_line] for i in range(0, len(groups), per_line)]
        return "\n".join("-".join(line) for line in lines)

    def check_words(self) -> tuple[str, str, str, str]:
        bits = int.from_bytes(hashlib.sha256(_WORDS_LABEL + self.to_bytes()).digest()[:5], "big")
        w = [WORDLIST[(bits >> shift) & 1023] for shift in (30, 20, 10, 0)]
        return (w[0], w[1], w[2], w[3])

    def describe(self) -> str:
        return describe_operation(self.operation, self.params)

    def expired(self, now: datetime | None = None) -> bool:
        return _utc(now) >= self.expires_at

    def file_text(self) -> str:
        """A request file: explanations for people, and the QR payload line for the app."""
        return "\n".join(
            [
                "CheckTick custodian ceremony request",
                f"Operation:   {self.operation} — {self.describe()}",
                f"Key version: {self.key_version}",
                f"Request id:  {self.id}",
                f"Created:     {_stamp(self.created_at)}",
                f"Expires:     {_stamp(self.expires_at)}",
                f"Check words: {' '.join(self.check_words())}",
                "",
                self.qr_payload(),
                "",
                "Typed code:",
                self.typed_code(per_line=5),
                "",
            ]
        )


def new_request(
    operation: Operation,
    params: Mapping[str, str],
    key_version: str,
    ttl: timedelta,
    now: datetime | None = None,
    random_bytes: RandomBytes | None = None,
) -> tuple[Request, Secret]:
    """A fresh request and its X25519 private key (32 raw bytes; keep it online only)."""
    if operation not in _OP_CODE:
        raise RequestCodeError(f"Unknown operation {operation!r}.", code="params")
    _check_params(operation, params, RequestCodeError)
    _check_label(key_version, "key version", RequestCodeError)
    ttl = timedelta(seconds=int(ttl.total_seconds()))
    if not timedelta(seconds=1) <= ttl <= MAX_LIFETIME:
        raise RequestCodeError("A request must live between 1 second and 30 days.", code="params")
    rand = random_bytes or secrets.token_bytes
    created = _utc(now)
    private = bytearray(rand(_KEY_BYTES))
    request_id = rand(_ID_BYTES)
    if len(private) != _KEY_BYTES or len(request_id) != _ID_BYTES:
        raise ValueError("the random source returned the wrong number of bytes")
    secret = Secret.take(private, "request key")
    public = _pub_raw(X25519PrivateKey.from_private_bytes(secret.reveal()).public_key())
    request = Request(
        id=request_id.hex(),
        operation=operation,
        params=dict(params),
        key_version=key_version,
        created_at=created,
        expires_at=created + ttl,
        recipient_public_key=public,
    )
    return request, secret


def parse_request(text: str | bytes, now: datetime | None = None) -> Request:
    """A request from its QR payload, its typed code, or a request file's contents.

    Refuses anything malformed, mistyped, truncated, oversized, of an unknown
    version, or expired at ``now`` (default: this computer's clock).
    """
    if isinstance(text, bytes):
        if len(text) > MAX_REQUEST_TEXT:
            raise _oversized_request()
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestCodeError(
                "This is not a request: it is not text.", code="malformed"
            ) from None
    if len(text) > MAX_REQUEST_TEXT:
        raise _oversized_request()
    payload = _find_payload_line(text)
    frame = _frame_from_payload(payload) if payload else _frame_from_typed(text)
    request = _decode_request_frame(frame)
    moment = _utc(now)
    if request.expired(moment):
        raise RequestCodeError(
            f"This request expired at {_stamp(request.expires_at)} (this computer says "
            f"{_stamp(moment)}). Ask for a new request, or check this computer's clock.",
            code="expired",
        )
    return request


def _oversized_request() -> RequestCodeError:
    return RequestCodeError(
        "This is far too long to be a request code; check you chose the right file.",
        code="oversized",
    )


def _find_payload_line(text: str) -> str | None:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.upper().startswith(REQUEST_PREFIX):
            return stripped
    return None


def _frame_from_payload(payload: str) -> bytes:
    version, sep, body = payload[len(REQUEST_PREFIX) :].partition(":")
    if not sep or not version.isdigit():
        raise RequestCodeError(
            "The request is damaged: its CTREQ prefix is not followed by a version.",
            code="malformed",
        )
    if int(version) != REQUEST_VERSION:
        raise _unknown_request_version(int(version))
    if len(body) > (MAX_REQUEST_FRAME * 8 + 4) // 5:
        raise _oversized_request()
    try:
        return crockford.decode(body.strip(), lenient=True)
    except crockford.BadSymbol as err:
        raise RequestCodeError(
            f"The request is damaged: {err.symbol!r} at position {err.position + 1} "
            "is not a code symbol.",
            code="malformed",
        ) from None
    except crockford.CodeError:
        raise RequestCodeError(
            "The request ends in the wrong place: part of it is missing.", code="truncated"
        ) from None


def _frame_from_typed(text: str) -> bytes:
    if not text.strip():
        raise RequestCodeError("The request code is empty.", code="malformed")
    if len(text) > 2 * MAX_REQUEST_FRAME * 8 // 5:
        raise _oversized_request()
    try:
        return crockford.join_groups(text)
    except crockford.BadSymbol as err:
        symbol = "a space" if err.symbol.isspace() else repr(err.symbol)
        raise RequestCodeError(
            f"Group {err.group} contains {symbol}, which is not used in request codes "
            "(they use digits and letters except I, L, O and U).",
            code="typo",
        ) from None
    except crockford.GroupMismatch as err:
        raise RequestCodeError(
            f"Group {err.group} ({err.text}) does not check out: a character in it is "
            "mistyped or two are swapped, or a group before it was skipped.",
            code="typo",
        ) from None
    except crockford.CodeError:
        raise RequestCodeError(
            "The request code ends in the wrong place: its last group is incomplete.",
            code="truncated",
        ) from None


def _unknown_request_version(version: int) -> RequestCodeError:
    return RequestCodeError(
        f"This request uses format version {version}; this app reads version "
        f"{REQUEST_VERSION}. Use matching versions on both sides.",
        code="version",
    )


def _decode_request_frame(frame: bytes) -> Request:
    if len(frame) > MAX_REQUEST_FRAME:
        raise _oversized_request()
    reader = _Reader(frame, RequestCodeError, "request")
    version = reader.uint(1)
    if version != REQUEST_VERSION:
        raise _unknown_request_version(version)
    size = reader.uint(2)
    if size + 7 > MAX_REQUEST_FRAME:
        raise _oversized_request()
    body = reader.take(size)
    check = reader.take(4)
    reader.end()
    if hashlib.sha256(frame[: 3 + size]).digest()[:4] != check:
        raise RequestCodeError(
            "The request does not check out as a whole: a group is missing, repeated or "
            "out of order, or it was damaged. Scan or type it again.",
            code="checksum",
        )
    fields = _Reader(body, RequestCodeError, "request")
    request_id = fields.take(_ID_BYTES).hex()
    op_code = fields.uint(1)
    if not 1 <= op_code <= len(OPERATIONS):
        raise fields.malformed("its operation is unknown")
    operation = OPERATIONS[op_code - 1]
    created = fields.uint(8)
    lifetime = fields.uint(4)
    if not 1 <= lifetime <= MAX_LIFETIME.total_seconds():
        raise fields.malformed("its lifetime is out of range")
    try:
        created_at = datetime.fromtimestamp(created, UTC)
    except (OverflowError, OSError, ValueError):
        raise fields.malformed("its creation time is out of range") from None
    recipient = fields.take(_KEY_BYTES)
    key_version = fields.text("key version", _LABEL)
    params = {key: fields.text(key, _PARAM_VALUE) for key in OPERATION_PARAMS[operation]}
    fields.end()
    _check_params(operation, params, RequestCodeError)
    request = Request(
        id=request_id,
        operation=operation,
        params=params,
        key_version=key_version,
        created_at=created_at,
        expires_at=created_at + timedelta(seconds=lifetime),
        recipient_public_key=recipient,
    )
    if request.to_bytes() != frame:  # one encoding per request, so one set of check words
        raise fields.malformed("it is not in canonical form")
    return request


# --------------------------------------------------------------------------- bundles


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

    def to_bytes(self) -> bytes:
        w = _Writer()
        w.uint(self.version, 1)
        w.raw(bytes.fromhex(self.request_id))
        w.uint(_OP_CODE[self.operation], 1)
        w.uint(int(self.created_at.timestamp()), 8)
        w.uint(int(self.expires_at.timestamp()), 8)
        w.raw(self.ephemeral_public_key)
        w.raw(self.signer_public_key)
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


def _seal_key(shared: bytes, ephemeral: bytes, recipient: bytes, request_id: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=bytes.fromhex(request_id),
        info=_SEAL_INFO + ephemeral + recipient,
    ).derive(shared)


def seal_bundle(
    request: Request,
    payload: Mapping[str, Any],
    custodian: Secret,
    ceremony_id: str,
    fingerprints: Mapping[str, str],
    now: datetime | None = None,
    random_bytes: RandomBytes | None = None,
) -> Bundle:
    """Seal ``payload`` (JSON) to the request's key and sign it with the export key."""
    moment = _utc(now)
    if request.expired(moment):
        raise BundleError(
            f"The request expired at {_stamp(request.expires_at)}; ask for a new one.",
            code="expired",
        )
    _check_label(ceremony_id, "ceremony id", BundleError)
    for label, value in fingerprints.items():
        if label not in _FINGERPRINT_LABELS or not _FINGERPRINT.fullmatch(value):
            raise BundleError(f"The fingerprint {label}={value!r} is not valid.", code="params")
    plaintext = json.dumps(dict(payload), sort_keys=True, separators=(",", ":")).encode()
    if len(plaintext) > MAX_PAYLOAD_BYTES:
        raise BundleError("The bundle's contents are too large.", code="oversized")
    rand = random_bytes or secrets.token_bytes
    ephemeral = X25519PrivateKey.from_private_bytes(rand(_KEY_BYTES))
    ephemeral_public = _pub_raw(ephemeral.public_key())
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
        ephemeral_public_key=ephemeral_public,
        fingerprints=dict(fingerprints),
        signer_public_key=_pub_raw(signer.public_key()),
    )
    try:
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(request.recipient_public_key))
    except ValueError:
        raise BundleError("The request's public key is not usable.", code="malformed") from None
    key = _seal_key(shared, ephemeral_public, request.recipient_public_key, request.id)
    ciphertext = AESGCM(key).encrypt(_NONCE, plaintext, header.to_bytes())
    unsigned = Bundle(header, ciphertext, b"")._unsigned()
    return Bundle(header, ciphertext, signer.sign(_SIGN_CONTEXT + unsigned))


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
    version, sep, body = text[len(BUNDLE_PREFIX) :].partition(":")
    if not sep or not version.isdigit() or version != str(int(version)):
        raise _not_a_bundle()
    if int(version) != BUNDLE_VERSION:
        raise _unknown_bundle_version(int(version))
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
    return BundleError(
        f"This bundle uses format version {version}; this tool reads version {BUNDLE_VERSION}. "
        "Use matching versions on both sides.",
        code="version",
    )


def _parse_bundle_frame(data: bytes) -> Bundle:
    if len(data) > MAX_BUNDLE_BYTES:
        raise _oversized_bundle()
    reader = _Reader(data, BundleError, "bundle")
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
    r = _Reader(data, BundleError, "bundle header")
    version = r.uint(1)
    if version != BUNDLE_VERSION:
        raise _unknown_bundle_version(version)
    request_id = r.take(_ID_BYTES).hex()
    op_code = r.uint(1)
    if not 1 <= op_code <= len(OPERATIONS):
        raise r.malformed("its operation is unknown")
    operation = OPERATIONS[op_code - 1]
    try:
        created_at = datetime.fromtimestamp(r.uint(8), UTC)
        expires_at = datetime.fromtimestamp(r.uint(8), UTC)
    except (OverflowError, OSError, ValueError):
        raise r.malformed("a time in it is out of range") from None
    ephemeral = r.take(_KEY_BYTES)
    signer = r.take(_KEY_BYTES)
    key_version = r.text("key version", _LABEL)
    ceremony_id = r.text("ceremony id", _LABEL)
    params = r.pairs("parameters", _PARAM_KEY, _PARAM_VALUE)
    fingerprints = r.pairs("fingerprints", _PARAM_KEY, _FINGERPRINT)
    r.end()
    if set(fingerprints) - _FINGERPRINT_LABELS:
        raise r.malformed("it names an unknown fingerprint")
    _check_params(operation, params, BundleError)
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
    bundle's signer; see the module notes.
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
    if header.request_id != request.id:
        raise BundleError(
            f"This bundle answers request {header.request_id}, not {request.id}.",
            code="request",
        )
    if header.operation != request.operation:
        raise BundleError(
            f"This bundle is for {header.operation}, but the request asked for "
            f"{request.operation}.",
            code="operation",
        )
    if header.params != request.params:
        raise BundleError(
            "This bundle's parameters differ from the request's "
            f"({header.params} instead of {request.params}).",
            code="params",
        )
    if header.key_version != request.key_version:
        raise BundleError(
            f"This bundle is for key version {header.key_version!r}, but the request is for "
            f"{request.key_version!r}.",
            code="key-version",
        )
    if header.expires_at != request.expires_at:
        raise BundleError("This bundle's expiry differs from the request's.", code="request")
    moment = _utc(now)
    if moment >= request.expires_at:
        raise BundleError(
            f"The request this bundle answers expired at {_stamp(request.expires_at)}; "
            "make a new request and authorize it again.",
            code="expired",
        )


def open_bundle(
    bundle: Bundle, recipient_private_key: Secret | bytes | X25519PrivateKey
) -> dict[str, Any]:
    """Decrypt the payload with the request's private key. Call after :func:`verify_bundle`."""
    if isinstance(recipient_private_key, X25519PrivateKey):
        private = recipient_private_key
    else:
        raw = (
            recipient_private_key.reveal()
            if isinstance(recipient_private_key, Secret)
            else bytes(recipient_private_key)
        )
        if len(raw) != _KEY_BYTES:
            raise BundleError("The request key has the wrong length.", code="key")
        private = X25519PrivateKey.from_private_bytes(raw)
    header = bundle.header
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(header.ephemeral_public_key))
    except ValueError:
        raise BundleError(
            "The bundle's sender key is not usable: it was altered.", code="decrypt"
        ) from None
    key = _seal_key(
        shared, header.ephemeral_public_key, _pub_raw(private.public_key()), header.request_id
    )
    try:
        plaintext = AESGCM(key).decrypt(_NONCE, bundle.ciphertext, header.to_bytes())
    except InvalidTag:
        raise BundleError(
            "The bundle cannot be opened with this request's key: it was sealed for another "
            "request, or altered.",
            code="decrypt",
        ) from None
    try:
        payload = json.loads(plaintext)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise BundleError("The bundle's contents are not a valid payload.", code="payload")
    return payload
