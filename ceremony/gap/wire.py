"""Binary fields for requests and bundles: strict readers that say what went wrong."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from ceremony.errors import GapError

__all__ = [
    "ID_BYTES",
    "KEY_BYTES",
    "LABEL",
    "RandomBytes",
    "Reader",
    "Writer",
    "check_label",
    "public_raw",
    "stamp",
    "utc",
    "version_number",
]

KEY_BYTES: Final = 32
ID_BYTES: Final = 16
LABEL = re.compile(r"[!-~](?:[ -~]{0,62}[!-~])?")  # printable ASCII, no outer spaces

RandomBytes = Callable[[int], bytes]


def version_number(text: str) -> int | None:
    """The format version after a code's prefix (``CTREQ2:``), or None when it is not one.

    Only a few ASCII digits: ``str.isdigit`` also takes "²" and other digits ``int`` refuses,
    and ``int`` refuses more than 4300 digits, so either would crash instead of saying no.
    """
    if not 0 < len(text) <= 6 or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC).replace(microsecond=0)
    if moment.tzinfo is None:
        raise ValueError("times must carry a time zone")
    return moment.astimezone(UTC).replace(microsecond=0)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def public_raw(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class Writer:
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

    def blob(self, data: bytes) -> None:
        """Bytes with a u16 length."""
        self.uint(len(data), 2)
        self.buf += data

    def pairs(self, items: Mapping[str, str]) -> None:
        self.uint(len(items), 1)
        for key in sorted(items):
            self.text(key)
            self.text(items[key])


class Reader:
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

    def blob(self, field: str, limit: int) -> bytes:
        size = self.uint(2)
        if size > limit:
            raise self.malformed(f"its {field} is too long")
        return self.take(size)

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


def check_label(value: str, field: str, error: type[GapError]) -> None:
    if not LABEL.fullmatch(value):
        raise error(
            # the value is not repeated: a paste gone wrong may be share words or a key
            f"The {field} given is not usable: use 1 to 64 printable ASCII characters.",
            code="params",
        )
