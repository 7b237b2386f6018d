"""Secret bytes that can be wiped and never show themselves.

Python cannot promise that no copy of a secret survives: ``bytes`` objects are
immutable, the garbage collector may move nothing but also zero nothing, and
libraries we call (hashlib, cryptography, shamir-mnemonic) make their own
copies. We keep the long-lived copy in a ``bytearray`` we overwrite, and keep
short-lived ``bytes`` copies as few and as local as we can. See README,
"Security model".
"""

from __future__ import annotations

import ctypes
from typing import Self

__all__ = ["Secret", "wipe"]


def wipe(buf: bytearray | memoryview) -> None:
    """Overwrite a mutable buffer with zeros in place."""
    view = memoryview(buf).cast("B")
    if len(view) == 0:
        return
    if view.readonly:
        raise TypeError("cannot wipe a read-only buffer")
    ctypes.memset((ctypes.c_char * len(view)).from_buffer(view), 0, len(view))


class Secret:
    """A mutable secret buffer with a redacted repr and an explicit wipe."""

    __slots__ = ("_buf", "_label", "_wiped")

    def __init__(self, data: bytes | bytearray, label: str = "secret") -> None:
        self._buf = bytearray(data)
        self._label = label
        self._wiped = False

    @classmethod
    def take(cls, data: bytearray, label: str = "secret") -> Self:
        """Copy ``data`` into a new Secret and wipe the caller's buffer."""
        secret = cls(data, label)
        wipe(data)
        return secret

    def __len__(self) -> int:
        return len(self._buf)

    def __repr__(self) -> str:
        state = "wiped" if self.wiped else f"{len(self._buf)} bytes"
        return f"<Secret {self._label}: {state}>"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        import hmac

        if isinstance(other, Secret):
            return hmac.compare_digest(self._buf, other._buf)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    @property
    def wiped(self) -> bool:
        return self._wiped

    def view(self) -> memoryview:
        """A read-only view; valid until :meth:`wipe`."""
        if self.wiped:
            raise ValueError("this secret has been wiped")
        return memoryview(self._buf).toreadonly()

    def reveal(self) -> bytes:
        """A ``bytes`` copy for libraries that need one. Keep it local and short-lived."""
        if self.wiped:
            raise ValueError("this secret has been wiped")
        return bytes(self._buf)

    def wipe(self) -> None:
        wipe(self._buf)
        self._buf = bytearray()
        self._wiped = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.wipe()
