"""Request codes: QR payload, typed code in checked groups, check words, request file.

Frame (version 2): ``version u8 | body length u16 | body | check 4``; the check
is the first 4 bytes of SHA-256 over everything before it. Body: id (16),
operation u8, created u64 (Unix seconds), lifetime u32 (seconds), recipient
X25519 public key (32), key version (u8 length + ASCII), parameters as sorted
(name, value) pairs, flags u8 (1 rehearsal, 2 registration, 4 sealed), then:

- registration (what Vault has registered): export public key (32) and the
  fingerprints as sorted pairs. The room checks the rebuilt key against it and
  people compare it with the printed record: the request itself is not trusted.
- sealed contents (recover-escrow and adopt): the room's session public key (32),
  the sender's ephemeral X25519 key (32), and the ciphertext (u16 length) of
  ``ceremony.gap.contents``, sealed with HKDF label ``REQUEST_SEAL`` and the
  frame up to the ciphertext as associated data.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Final

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from shamir_mnemonic.wordlist import WORDLIST

from ceremony import crockford
from ceremony.errors import RequestCodeError
from ceremony.gap.contents import RequestContents, decode_contents, encode_contents
from ceremony.gap.operations import (
    OP_CODE,
    PARAM_KEY,
    PARAM_VALUE,
    SESSION_OPERATIONS,
    Operation,
    check_params,
    describe_operation,
    read_operation,
)
from ceremony.gap.seal import REQUEST_SEAL, SealFailed, ephemeral_public, open_sealed, seal_to
from ceremony.gap.session import SessionCode
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
    "MAX_LIFETIME",
    "MAX_REQUEST_FRAME",
    "MAX_REQUEST_TEXT",
    "MAX_SEALED_LIFETIME",
    "REQUEST_PREFIX",
    "REQUEST_VERSION",
    "Registration",
    "Request",
    "SealedPart",
    "new_request",
    "open_request",
    "parse_request",
]

REQUEST_PREFIX: Final = "CTREQ"
REQUEST_VERSION: Final = 2
MAX_REQUEST_FRAME: Final = 1024
MAX_REQUEST_TEXT: Final = 16_384  # a request file with its explanations
MAX_LIFETIME: Final = timedelta(days=30)
MAX_SEALED_LIFETIME: Final = timedelta(hours=24)  # a request that carries the vault component
_REHEARSAL, _REGISTRATION, _SEALED = 1, 2, 4
FINGERPRINT_LABELS: Final = frozenset({"custodian", "vault", "platform"})
_WORDS_LABEL: Final = b"checktick-ceremony request words v1"
_FINGERPRINT: Final = re.compile(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}")
_RAW_FINGERPRINT: Final = re.compile(r"[0-9A-F]{12}")


@dataclass(frozen=True)
class Registration:
    """What Vault has registered: the export public key and the fingerprints."""

    export_public_key: bytes
    fingerprints: dict[str, str]

    @property
    def export_key_check(self) -> str:
        from ceremony.keys import export_key_check

        return export_key_check(self.export_public_key)


@dataclass(frozen=True)
class SealedPart:
    """Contents sealed to the room's session key; only that room can open them."""

    session_public_key: bytes
    ephemeral_public_key: bytes
    ciphertext: bytes = field(repr=False)


@dataclass(frozen=True)
class Request:
    """What the online side asks the room to do. Public, but for its sealed part."""

    id: str  # 32 lower-case hex digits
    operation: Operation
    params: dict[str, str]
    key_version: str
    created_at: datetime
    expires_at: datetime
    recipient_public_key: bytes  # X25519, 32 raw bytes
    rehearsal: bool = False
    registration: Registration | None = None
    sealed: SealedPart | None = None

    @property
    def custodian_fingerprint(self) -> str | None:
        """The registered custodian fingerprint: the room checks the rebuilt component."""
        return self.registration.fingerprints.get("custodian") if self.registration else None

    @property
    def platform_fingerprint(self) -> str | None:
        return self.registration.fingerprints.get("platform") if self.registration else None

    def sealed_header(self) -> bytes:
        """The frame's version and body up to the ciphertext: the sealed part's associated data."""
        body = Writer()
        body.raw(bytes.fromhex(self.id))
        body.uint(OP_CODE[self.operation], 1)
        body.uint(int(self.created_at.timestamp()), 8)
        body.uint(int((self.expires_at - self.created_at).total_seconds()), 4)
        body.raw(self.recipient_public_key)
        body.text(self.key_version)
        body.pairs(self.params)
        flags = (
            (_REHEARSAL if self.rehearsal else 0)
            | (_REGISTRATION if self.registration else 0)
            | (_SEALED if self.sealed else 0)
        )
        body.uint(flags, 1)
        if self.registration:
            body.raw(self.registration.export_public_key)
            body.pairs({k: v.replace("-", "") for k, v in self.registration.fingerprints.items()})
        if self.sealed:
            body.raw(self.sealed.session_public_key)
            body.raw(self.sealed.ephemeral_public_key)
        return bytes([REQUEST_VERSION]) + bytes(body.buf)

    def to_bytes(self) -> bytes:
        """The canonical version-2 frame."""
        head = self.sealed_header()
        body = head[1:]
        if self.sealed:
            tail = Writer()
            tail.blob(self.sealed.ciphertext)
            body += bytes(tail.buf)
        frame = bytes([REQUEST_VERSION]) + len(body).to_bytes(2, "big") + body
        return frame + hashlib.sha256(frame).digest()[:4]

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
        return utc(now) >= self.expires_at

    def _registered_text(self) -> str:
        if not self.registration:
            return "none yet"
        return ", ".join(f"{k} {v}" for k, v in sorted(self.registration.fingerprints.items()))

    def _export_check_text(self) -> str:
        return self.registration.export_key_check if self.registration else "none yet"

    def file_text(self) -> str:
        """A request file: explanations for people, and the QR payload line for the app."""
        return "\n".join(
            [
                "CheckTick custodian ceremony request",
                f"Operation:   {self.operation} — {self.describe()}",
                f"Key version: {self.key_version}",
                f"Registered fingerprints: {self._registered_text()}",
                f"Export key check: {self._export_check_text()}",
                f"Rehearsal: {'yes' if self.rehearsal else 'no'}",
                f"Request id:  {self.id}",
                f"Created:     {stamp(self.created_at)}",
                f"Expires:     {stamp(self.expires_at)}",
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
    *,
    registration: Registration | None = None,
    rehearsal: bool = False,
    session: SessionCode | None = None,
    contents: RequestContents | None = None,
) -> tuple[Request, Secret]:
    """A fresh request and its X25519 private key (32 raw bytes; keep it online only).

    recover-escrow and adopt need the room's ``session`` code and the ``contents``
    to seal to it; the other operations take neither.
    """
    if operation not in OP_CODE:
        raise RequestCodeError(f"Unknown operation {operation!r}.", code="params")
    if registration is not None:
        _check_registration(registration, RequestCodeError)
    check_params(operation, params, RequestCodeError)
    check_label(key_version, "key version", RequestCodeError)
    ttl = _new_lifetime(
        operation, ttl, has_session=session is not None, has_contents=contents is not None
    )
    rand = random_bytes or secrets.token_bytes
    created = utc(now)
    secret, public, request_id = _new_request_key(rand)
    if session is not None and session.public_key == public:
        raise RequestCodeError("The session key equals the request key; try again.", code="params")
    request = Request(
        id=request_id.hex(),
        operation=operation,
        params=dict(params),
        key_version=key_version,
        created_at=created,
        expires_at=created + ttl,
        recipient_public_key=public,
        rehearsal=rehearsal,
        registration=registration,
    )
    if session is not None and contents is not None:
        request = _seal_contents(request, session, contents, rand)
    if len(request.to_bytes()) > MAX_REQUEST_FRAME:
        raise RequestCodeError(
            "This request would be too large for a code; the escrow record is unusually long.",
            code="oversized",
        )
    return request, secret


def _new_lifetime(
    operation: Operation, ttl: timedelta, *, has_session: bool, has_contents: bool
) -> timedelta:
    """The lifetime in whole seconds, once the session code is there exactly when it must be."""
    needs_session = operation in SESSION_OPERATIONS
    if needs_session != has_session or needs_session != has_contents:
        raise RequestCodeError(
            f"A {operation} request "
            + (
                "needs the room's session code (--session)."
                if needs_session
                else "takes no session code."
            ),
            code="params",
        )
    limit = MAX_SEALED_LIFETIME if needs_session else MAX_LIFETIME
    ttl = timedelta(seconds=int(ttl.total_seconds()))
    if not timedelta(seconds=1) <= ttl <= limit:
        span = "24 hours" if needs_session else "30 days"
        raise RequestCodeError(
            f"A {operation} request must live between 1 second and {span}.", code="params"
        )
    return ttl


def _new_request_key(rand: RandomBytes) -> tuple[Secret, bytes, bytes]:
    """The request's private key, its public key, and the request id, from ``rand``."""
    private = bytearray(rand(KEY_BYTES))
    request_id = rand(ID_BYTES)
    if len(private) != KEY_BYTES or len(request_id) != ID_BYTES:
        raise ValueError("the random source returned the wrong number of bytes")
    secret = Secret.take(private, "request key")
    public = public_raw(X25519PrivateKey.from_private_bytes(secret.reveal()).public_key())
    return secret, public, request_id


def _seal_contents(
    request: Request, session: SessionCode, contents: RequestContents, rand: RandomBytes
) -> Request:
    """``request`` with ``contents`` sealed to the room's session key; the header is bound."""
    ephemeral = bytearray(rand(KEY_BYTES))
    with Secret.take(ephemeral, "ephemeral key") as eph:
        placeholder = SealedPart(session.public_key, ephemeral_public(eph.reveal()), b"")
        unsealed = replace(request, sealed=placeholder)
        plaintext = bytearray(encode_contents(request.operation, contents))
        with Secret.take(plaintext, "request contents") as plain:
            try:
                ciphertext = seal_to(
                    session.public_key,
                    eph.reveal(),
                    REQUEST_SEAL,
                    bytes.fromhex(request.id),
                    unsealed.sealed_header(),
                    plain.reveal(),
                )
            except ValueError:
                raise RequestCodeError(
                    "The session code's key is not usable; ask the room for a new one.",
                    code="session",
                ) from None
    return replace(unsealed, sealed=replace(placeholder, ciphertext=ciphertext))


def _check_registration(registration: Registration, error: type[RequestCodeError]) -> None:
    if len(registration.export_public_key) != KEY_BYTES:
        raise error("The registered export key has the wrong length.", code="params")
    for label, value in registration.fingerprints.items():
        if label not in FINGERPRINT_LABELS or not _FINGERPRINT.fullmatch(value):
            raise error(f"{label}={value!r} is not a registered fingerprint.", code="params")


def open_request(request: Request, session_private: Secret) -> RequestContents:
    """The sealed contents, opened with the room's session key (the room only)."""
    if request.sealed is None:
        raise RequestCodeError("This request carries nothing sealed for the room.", code="session")
    key = session_private.reveal()
    if ephemeral_public(key) != request.sealed.session_public_key:
        raise RequestCodeError(
            "This request was sealed to another session key: it answers another room's "
            "session, or the session was restarted. Ask for a request made with this session code.",
            code="session",
        )
    if request.sealed.session_public_key == request.recipient_public_key:
        raise RequestCodeError(
            "This request names the session key as its answer key; it is refused.",
            code="session",
        )
    try:
        plaintext = open_sealed(
            key,
            request.sealed.ephemeral_public_key,
            REQUEST_SEAL,
            bytes.fromhex(request.id),
            request.sealed_header(),
            request.sealed.ciphertext,
        )
    except SealFailed:
        raise RequestCodeError(
            "The request's sealed part does not open with this session key: it was altered.",
            code="session",
        ) from None
    # ``plaintext`` is immutable and cannot be wiped (a wiped copy would only add one more):
    # it lives in the hardened, memory-locked process until collected.
    return decode_contents(request.operation, plaintext)


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
    moment = utc(now)
    if request.expired(moment):
        raise RequestCodeError(
            f"This request expired at {stamp(request.expires_at)} (this computer says "
            f"{stamp(moment)}). Ask for a new request, or check this computer's clock.",
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
    text, sep, body = payload[len(REQUEST_PREFIX) :].partition(":")
    version = version_number(text)
    if not sep or version is None:
        raise RequestCodeError(
            "The request is damaged: its CTREQ prefix is not followed by a version.",
            code="malformed",
        )
    if version != REQUEST_VERSION:
        raise _unknown_request_version(version)
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
    if version < REQUEST_VERSION:
        return RequestCodeError(
            f"This request was made by an older version of the ceremony tool (format {version}); "
            f"this one reads format {REQUEST_VERSION}. Update the online side and make a new "
            "request.",
            code="version",
        )
    return RequestCodeError(
        f"This request uses format version {version}; this app reads version "
        f"{REQUEST_VERSION}. Use matching versions on both sides.",
        code="version",
    )


def _fingerprint_text(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def _decode_request_frame(frame: bytes) -> Request:
    fields = Reader(_checked_request_body(frame), RequestCodeError, "request")
    request_id = fields.take(ID_BYTES).hex()
    operation = read_operation(fields)
    created_at, expires_at = _read_times(fields, operation)
    recipient = fields.take(KEY_BYTES)
    key_version = fields.text("key version", LABEL)
    params = fields.pairs("parameters", PARAM_KEY, PARAM_VALUE)
    flags = fields.uint(1)
    if flags & ~(_REHEARSAL | _REGISTRATION | _SEALED):
        raise fields.malformed("it has unknown flags")
    registration = _read_registration(fields) if flags & _REGISTRATION else None
    sealed = _read_sealed_part(fields) if flags & _SEALED else None
    fields.end()
    check_params(operation, params, RequestCodeError)
    if (sealed is not None) != (operation in SESSION_OPERATIONS):
        raise fields.malformed(
            f"a {operation} request {'must' if sealed is None else 'cannot'} carry a sealed part"
        )
    request = Request(
        id=request_id,
        operation=operation,
        params=params,
        key_version=key_version,
        created_at=created_at,
        expires_at=expires_at,
        recipient_public_key=recipient,
        rehearsal=bool(flags & _REHEARSAL),
        registration=registration,
        sealed=sealed,
    )
    if request.to_bytes() != frame:  # one encoding per request, so one set of check words
        raise fields.malformed("it is not in canonical form")
    return request


def _checked_request_body(frame: bytes) -> bytes:
    """The body of a frame whose version, length and check are right."""
    if len(frame) > MAX_REQUEST_FRAME:
        raise _oversized_request()
    reader = Reader(frame, RequestCodeError, "request")
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
    return body


def _read_times(fields: Reader, operation: Operation) -> tuple[datetime, datetime]:
    """When the request was made and when it expires, each a real moment."""
    created = fields.uint(8)
    lifetime = fields.uint(4)
    limit = MAX_SEALED_LIFETIME if operation in SESSION_OPERATIONS else MAX_LIFETIME
    if not 1 <= lifetime <= limit.total_seconds():
        raise fields.malformed("its lifetime is out of range")
    try:
        created_at = datetime.fromtimestamp(created, UTC)
        # a creation time at the end of the calendar leaves no room for the lifetime
        return created_at, created_at + timedelta(seconds=lifetime)
    except (OverflowError, OSError, ValueError):
        raise fields.malformed("its creation time is out of range") from None


def _read_registration(fields: Reader) -> Registration:
    export = fields.take(KEY_BYTES)
    raw = fields.pairs("fingerprints", PARAM_KEY, _RAW_FINGERPRINT)
    if set(raw) - FINGERPRINT_LABELS:
        raise fields.malformed("it names an unknown fingerprint")
    return Registration(export, {k: _fingerprint_text(v) for k, v in raw.items()})


def _read_sealed_part(fields: Reader) -> SealedPart:
    session = fields.take(KEY_BYTES)
    ephemeral = fields.take(KEY_BYTES)
    return SealedPart(session, ephemeral, fields.blob("sealed part", MAX_REQUEST_FRAME))
