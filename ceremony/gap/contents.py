"""What a request seals to the room's session key, and how the room opens it.

Only recover-escrow and adopt requests carry sealed contents (see
``SESSION_OPERATIONS``). Binary, every field a u16-length blob:

- recover-escrow: vault component, escrow path, ``encrypted_kek``, ``encrypted_email``
- adopt:          vault component, escrow user (may be empty), ``encrypted_email`` (may be empty),
                  then optionally that user's escrow path and ``encrypted_kek``: CheckTick's KEK
                  key covers the whole platform key, its e-mail key only the first 32 bytes

The vault component never sits in anything the shares alone can open: the
session key is random, made in the room, and wiped when the ceremony ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from ceremony.errors import RequestCodeError
from ceremony.gap.operations import Operation
from ceremony.gap.wire import Reader, Writer
from ceremony.secret import Secret

__all__ = ["MAX_ESCROW_FIELD", "RequestContents", "decode_contents", "encode_contents"]

MAX_ESCROW_FIELD: Final = 256  # CheckTick's encrypted fields are nonce + short text + tag
_COMPONENT_SIZES: Final = (32, 64)


@dataclass
class RequestContents:
    """The opened contents of a request: hold it briefly, wipe it with ``wipe()``."""

    vault_component: Secret = field(repr=False)
    escrow_path: str = ""
    escrow_user: str = ""  # adopt: whose escrowed e-mail proves the match
    encrypted_kek: bytes = field(default=b"", repr=False)
    encrypted_email: bytes = field(default=b"", repr=False)

    def wipe(self) -> None:
        self.vault_component.wipe()


def encode_contents(operation: Operation, contents: RequestContents) -> bytes:
    w = Writer()
    w.blob(contents.vault_component.reveal())
    if operation == "recover-escrow":
        w.blob(contents.escrow_path.encode())
        w.blob(contents.encrypted_kek)
        w.blob(contents.encrypted_email)
    elif operation == "adopt":
        w.blob(contents.escrow_user.encode())
        w.blob(contents.encrypted_email)
        if contents.encrypted_kek:
            w.blob(contents.escrow_path.encode())
            w.blob(contents.encrypted_kek)
    else:
        raise ValueError(f"{operation} requests carry no sealed contents")
    return bytes(w.buf)


def decode_contents(operation: Operation, data: bytes) -> RequestContents:
    r = Reader(data, RequestCodeError, "request's sealed contents")
    component = r.blob("vault component", 64)
    if len(component) not in _COMPONENT_SIZES:
        raise r.malformed("its vault component has the wrong size")
    vault = Secret(component, "vault component")
    try:
        if operation == "recover-escrow":
            path = _text(r, "escrow path")
            kek = r.blob("encrypted KEK", MAX_ESCROW_FIELD)
            email = r.blob("encrypted e-mail", MAX_ESCROW_FIELD)
            r.end()
            return RequestContents(
                vault, escrow_path=path, encrypted_kek=kek, encrypted_email=email
            )
        if operation == "adopt":
            user = _text(r, "escrow user")
            email = r.blob("encrypted e-mail", MAX_ESCROW_FIELD)
            path, kek = "", b""
            if r.pos < len(r.data):
                path = _text(r, "escrow path")
                kek = r.blob("encrypted KEK", MAX_ESCROW_FIELD)
                if not kek:
                    raise r.malformed("its escrow path comes without an encrypted KEK")
            r.end()
            return RequestContents(
                vault, escrow_path=path, escrow_user=user, encrypted_kek=kek, encrypted_email=email
            )
    except RequestCodeError:
        vault.wipe()
        raise
    vault.wipe()
    raise r.malformed(f"a {operation} request carries no sealed contents")


def _text(r: Reader, what: str) -> str:
    raw = r.blob(what, 255)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise r.malformed(f"its {what} is not text") from None
