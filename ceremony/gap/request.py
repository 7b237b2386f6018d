"""Request codes: QR payload, typed code in checked groups, check words, request file.

Frame (version 1): ``version u8 | body length u16 | body | check 4``; the check
is the first 4 bytes of SHA-256 over everything before it. Body: id (16),
operation u8, created u64 (Unix seconds), lifetime u32 (seconds), recipient
X25519 public key (32), key version (u8 length + ASCII), then the parameter
values in the order ``OPERATION_PARAMS`` fixes (u8 length + text each).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from shamir_mnemonic.wordlist import WORDLIST

from ceremony import crockford
from ceremony.errors import RequestCodeError
from ceremony.gap.operations import (
    OP_CODE,
    OPERATION_PARAMS,
    OPERATIONS,
    PARAM_VALUE,
    Operation,
    check_params,
    describe_operation,
)
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
)
from ceremony.secret import Secret

__all__ = [
    "MAX_LIFETIME",
    "MAX_REQUEST_FRAME",
    "MAX_REQUEST_TEXT",
    "REQUEST_PREFIX",
    "REQUEST_VERSION",
    "Request",
    "new_request",
    "parse_request",
]

REQUEST_PREFIX: Final = "CTREQ"
REQUEST_VERSION: Final = 1
MAX_REQUEST_FRAME: Final = 512
MAX_REQUEST_TEXT: Final = 16_384  # a request file with its explanations
MAX_LIFETIME: Final = timedelta(days=30)
_WORDS_LABEL: Final = b"checktick-ceremony request words v1"
FINGERPRINT_BYTES: Final = 6
_FINGERPRINT: Final = re.compile(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}")


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
    # The registered custodian fingerprint, when Vault has one: the room checks the rebuilt
    # component against it before sealing anything (a wrong passphrase, a wrong set, a
    # legacy typo), instead of hearing about it from the online side.
    custodian_fingerprint: str | None = None

    def to_bytes(self) -> bytes:
        """The canonical version-1 frame."""
        body = Writer()
        body.raw(bytes.fromhex(self.id))
        body.uint(OP_CODE[self.operation], 1)
        body.uint(int(self.created_at.timestamp()), 8)
        body.uint(int((self.expires_at - self.created_at).total_seconds()), 4)
        body.raw(self.recipient_public_key)
        body.text(self.key_version)
        for key in OPERATION_PARAMS[self.operation]:  # the operation fixes names and order
            body.text(self.params[key])
        if self.custodian_fingerprint is None:
            body.uint(0, 1)
        else:
            body.uint(1, 1)
            body.raw(bytes.fromhex(self.custodian_fingerprint.replace("-", "")))
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
        return utc(now) >= self.expires_at

    def file_text(self) -> str:
        """A request file: explanations for people, and the QR payload line for the app."""
        return "\n".join(
            [
                "CheckTick custodian ceremony request",
                f"Operation:   {self.operation} — {self.describe()}",
                f"Key version: {self.key_version}",
                f"Custodian fingerprint expected: {self.custodian_fingerprint or 'none yet'}",
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
    custodian_fingerprint: str | None = None,
) -> tuple[Request, Secret]:
    """A fresh request and its X25519 private key (32 raw bytes; keep it online only)."""
    if operation not in OP_CODE:
        raise RequestCodeError(f"Unknown operation {operation!r}.", code="params")
    if custodian_fingerprint is not None and not _FINGERPRINT.fullmatch(custodian_fingerprint):
        raise RequestCodeError(
            f"{custodian_fingerprint!r} is not a fingerprint like 3F9A-0C1B-77D2.", code="params"
        )
    check_params(operation, params, RequestCodeError)
    check_label(key_version, "key version", RequestCodeError)
    ttl = timedelta(seconds=int(ttl.total_seconds()))
    if not timedelta(seconds=1) <= ttl <= MAX_LIFETIME:
        raise RequestCodeError("A request must live between 1 second and 30 days.", code="params")
    rand = random_bytes or secrets.token_bytes
    created = utc(now)
    private = bytearray(rand(KEY_BYTES))
    request_id = rand(ID_BYTES)
    if len(private) != KEY_BYTES or len(request_id) != ID_BYTES:
        raise ValueError("the random source returned the wrong number of bytes")
    secret = Secret.take(private, "request key")
    public = public_raw(X25519PrivateKey.from_private_bytes(secret.reveal()).public_key())
    request = Request(
        id=request_id.hex(),
        operation=operation,
        params=dict(params),
        key_version=key_version,
        created_at=created,
        expires_at=created + ttl,
        recipient_public_key=public,
        custodian_fingerprint=custodian_fingerprint,
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
    fields = Reader(body, RequestCodeError, "request")
    request_id = fields.take(ID_BYTES).hex()
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
    recipient = fields.take(KEY_BYTES)
    key_version = fields.text("key version", LABEL)
    params = {key: fields.text(key, PARAM_VALUE) for key in OPERATION_PARAMS[operation]}
    has_fingerprint = fields.uint(1)
    if has_fingerprint not in (0, 1):
        raise fields.malformed("its fingerprint marker is unknown")
    fingerprint = None
    if has_fingerprint:
        text = fields.take(FINGERPRINT_BYTES).hex().upper()
        fingerprint = "-".join(text[i : i + 4] for i in range(0, 12, 4))
    fields.end()
    check_params(operation, params, RequestCodeError)
    request = Request(
        id=request_id,
        operation=operation,
        params=params,
        key_version=key_version,
        created_at=created_at,
        expires_at=created_at + timedelta(seconds=lifetime),
        recipient_public_key=recipient,
        custodian_fingerprint=fingerprint,
    )
    if request.to_bytes() != frame:  # one encoding per request, so one set of check words
        raise fields.malformed("it is not in canonical form")
    return request
