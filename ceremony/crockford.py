"""Crockford base32, and typed codes in checked groups.

Crockford's alphabet has no I, L, O or U, so a reader can type ``O`` for zero
and ``I`` or ``L`` for one and still be understood; every symbol is also in the
QR alphanumeric set, so the same text makes a compact QR code.

A typed code is the base32 text cut into groups of five symbols, each followed
by one check symbol. The check is computed over GF(32) (polynomial
x^5 + x^2 + 1, generator a = x): symbols ``x_0..x_m`` of group ``g``, check
symbol last, satisfy ``sum a^i * x_i = g mod 31 + 1``. A single changed symbol
changes the sum by ``a^i * e`` and a swap of neighbours by ``a^i * (1 + a) * e``;
both are non-zero in a field, so every single substitution and every adjacent
swap inside a group (the check symbol included) is caught and located. A
swap across a group boundary changes the check symbol of the first group. The
group number in the sum makes a group typed in the wrong place fail too; the
encoded data carries its own overall checksum for what is left (see gap.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

__all__ = [
    "ALPHABET",
    "GROUP_DATA",
    "BadSymbol",
    "CodeError",
    "GroupMismatch",
    "NotCanonical",
    "decode",
    "encode",
    "join_groups",
    "split_groups",
]

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUP_DATA: Final = 5
_VALUES: Final = {ch: i for i, ch in enumerate(ALPHABET)}
_ALIASES: Final = {"O": 0, "I": 1, "L": 1}
_SEPARATORS: Final = frozenset(" -\t\r\n")

# GF(32) with x^5 + x^2 + 1; a = 2 generates the multiplicative group (order 31).
_EXP: list[int] = []
_LOG: dict[int, int] = {}
_value = 1
for _power in range(31):
    _EXP.append(_value)
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x20:
        _value ^= 0x25
del _value, _power


class CodeError(ValueError):
    """Base of the decoding failures; callers turn them into custodian messages."""


class BadSymbol(CodeError):
    def __init__(self, position: int, symbol: str, group: int | None = None) -> None:
        super().__init__(f"symbol {symbol!r} at {position}")
        self.position = position  # 0-based in the text without separators
        self.symbol = symbol
        self.group = group  # 1-based, for typed codes


class NotCanonical(CodeError):
    """The symbol count or the unused low bits cannot come from our encoder."""


class GroupMismatch(CodeError):
    def __init__(self, group: int, text: str) -> None:
        super().__init__(f"group {group} does not check out")
        self.group = group  # 1-based
        self.text = text


def _mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[(_LOG[a] + _LOG[b]) % 31]


def encode(data: bytes) -> str:
    """Upper-case Crockford base32, no padding; unused low bits of the last symbol are zero."""
    bits = int.from_bytes(data, "big") if data else 0
    count = (len(data) * 8 + 4) // 5
    bits <<= count * 5 - len(data) * 8
    return "".join(ALPHABET[(bits >> (5 * (count - 1 - i))) & 31] for i in range(count))


def _values(text: str, *, lenient: bool, group_of: int | None = None) -> list[int]:
    out: list[int] = []
    for pos, ch in enumerate(text):
        key = ch.upper() if lenient else ch
        value = _VALUES.get(key)
        if value is None and lenient:
            value = _ALIASES.get(key)
        if value is None:
            group = pos // (GROUP_DATA + 1) + 1 if group_of else None
            raise BadSymbol(pos, ch, group)
        out.append(value)
    return out


def _from_values(values: Sequence[int]) -> bytes:
    size = len(values) * 5 // 8
    spare = len(values) * 5 - size * 8
    if spare >= 5:
        raise NotCanonical("one symbol too many")
    bits = 0
    for v in values:
        bits = (bits << 5) | v
    if bits & ((1 << spare) - 1):
        raise NotCanonical("unused bits are not zero")
    return (bits >> spare).to_bytes(size, "big")


def decode(text: str, *, lenient: bool = False) -> bytes:
    """The bytes of a canonical encoding. ``lenient`` accepts lower case and O/I/L."""
    return _from_values(_values(text, lenient=lenient))


def _check_symbol(group: int, data: Sequence[int]) -> int:
    total = (group % 31) + 1
    for i, v in enumerate(data):
        total ^= _mul(_EXP[i], v)
    return _mul(total, _EXP[(31 - len(data)) % 31])


def split_groups(data: bytes) -> list[str]:
    """Typed groups: five data symbols and one check symbol each (the last may be shorter)."""
    text = encode(data)
    groups = []
    for g, start in enumerate(range(0, len(text), GROUP_DATA), start=1):
        chunk = text[start : start + GROUP_DATA]
        check = _check_symbol(g, [_VALUES[c] for c in chunk])
        groups.append(chunk + ALPHABET[check])
    return groups


def join_groups(text: str) -> bytes:
    """The bytes of a typed code. Case, spaces, dashes and O/I/L are forgiven.

    Raises :class:`BadSymbol` or :class:`GroupMismatch` naming the 1-based group,
    or :class:`NotCanonical` when the code ends in the wrong place.
    """
    compact = "".join(ch for ch in text if ch not in _SEPARATORS)
    values = _values(compact, lenient=True, group_of=GROUP_DATA + 1)
    data: list[int] = []
    for g, start in enumerate(range(0, len(values), GROUP_DATA + 1), start=1):
        chunk = values[start : start + GROUP_DATA + 1]
        if len(chunk) < 2:
            raise NotCanonical("the last group has no check symbol")
        if _check_symbol(g, chunk[:-1]) != chunk[-1]:
            shown = "".join(ALPHABET[v] for v in chunk)
            raise GroupMismatch(g, shown)
        data.extend(chunk[:-1])
    return _from_values(data)
