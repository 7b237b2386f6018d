"""The room's session key: a fresh X25519 key for one ceremony that needs the vault component.

The room shows the public half as a QR code (``CTSESSION2:`` + Crockford
base32), a typed code in checked groups and four check words. The online side
seals the vault component (and whatever else the operation needs) to it. The
private half never leaves the room and is wiped when the ceremony ends; it is
never derived from the shares, so a thief who later steals shares cannot open
old requests.

Frame: ``version u8 (2) | public key (32) | check (4)``, the check being the
first 4 bytes of SHA-256 over what precedes it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Final

from shamir_mnemonic.wordlist import WORDLIST

from ceremony import crockford
from ceremony.errors import RequestCodeError
from ceremony.gap.seal import ephemeral_public
from ceremony.gap.wire import KEY_BYTES, RandomBytes, version_number
from ceremony.secret import Secret

__all__ = [
    "SESSION_PREFIX",
    "SESSION_VERSION",
    "SessionCode",
    "new_session",
    "parse_session_code",
]

SESSION_PREFIX: Final = "CTSESSION"
SESSION_VERSION: Final = 2
_WORDS_LABEL: Final = b"checktick-ceremony session words v2"
_FRAME_BYTES: Final = 1 + KEY_BYTES + 4


@dataclass(frozen=True)
class SessionCode:
    """The public half of a session key, as it crosses to the online side."""

    public_key: bytes

    def to_bytes(self) -> bytes:
        head = bytes([SESSION_VERSION]) + self.public_key
        return head + hashlib.sha256(head).digest()[:4]

    def qr_payload(self) -> str:
        return f"{SESSION_PREFIX}{SESSION_VERSION}:{crockford.encode(self.to_bytes())}"

    def typed_code(self) -> str:
        return "-".join(crockford.split_groups(self.to_bytes()))

    def check_words(self) -> tuple[str, str, str, str]:
        bits = int.from_bytes(hashlib.sha256(_WORDS_LABEL + self.public_key).digest()[:5], "big")
        w = [WORDLIST[(bits >> shift) & 1023] for shift in (30, 20, 10, 0)]
        return (w[0], w[1], w[2], w[3])


def new_session(random_bytes: RandomBytes | None = None) -> tuple[SessionCode, Secret]:
    """A fresh session key: the code to show, and the private half (wipe it when done)."""
    raw = bytearray((random_bytes or secrets.token_bytes)(KEY_BYTES))
    if len(raw) != KEY_BYTES:
        raise ValueError("the random source returned the wrong number of bytes")
    private = Secret.take(raw, "session key")
    return SessionCode(ephemeral_public(private.reveal())), private


def parse_session_code(text: str) -> SessionCode:
    """A session code from its QR payload or its typed groups; a plain error otherwise."""
    stripped = text.strip()
    if len(stripped) > 400:
        raise RequestCodeError("This is far too long to be a session code.", code="oversized")
    if stripped.upper().startswith(SESSION_PREFIX):
        version, sep, body = stripped[len(SESSION_PREFIX) :].partition(":")
        if not sep or version_number(version) is None:
            raise RequestCodeError("The session code is damaged after CTSESSION.", code="malformed")
        if version_number(version) != SESSION_VERSION:
            raise RequestCodeError(
                f"This session code was made by another version (format {version}); this tool "
                f"reads format {SESSION_VERSION}. Use matching versions on both sides.",
                code="version",
            )
        try:
            frame = crockford.decode(body.strip(), lenient=True)
        except crockford.CodeError:
            raise RequestCodeError(
                "The session code is damaged: scan or copy it again.", code="malformed"
            ) from None
    else:
        if not stripped:
            raise RequestCodeError("The session code is empty.", code="malformed")
        try:
            frame = crockford.join_groups(stripped)
        except crockford.BadSymbol as err:
            raise RequestCodeError(
                f"Group {err.group} of the session code holds a character that session codes "
                "do not use.",
                code="typo",
            ) from None
        except crockford.GroupMismatch as err:
            raise RequestCodeError(
                f"Group {err.group} ({err.text}) of the session code does not check out: a "
                "character is mistyped or two are swapped.",
                code="typo",
            ) from None
        except crockford.CodeError:
            raise RequestCodeError(
                "The session code ends in the wrong place: a group is missing.", code="truncated"
            ) from None
    if len(frame) != _FRAME_BYTES or frame[0] != SESSION_VERSION:
        raise RequestCodeError(
            "This is not a session code of this version: check you copied the room's code.",
            code="malformed",
        )
    if hashlib.sha256(frame[:-4]).digest()[:4] != frame[-4:]:
        raise RequestCodeError(
            "The session code does not check out as a whole: a group is missing or repeated.",
            code="checksum",
        )
    return SessionCode(frame[1 : 1 + KEY_BYTES])
