"""CheckTick legacy shares on paper: hex in groups of four, a check code per line.

A legacy share carries no checksum, so one mistyped digit would only show up as
"these shares do not rebuild a component". Each printed line ends in three
check letters computed from the line number and its digits; software that
knows the same rule can say which line holds the typo. The letters are chosen
outside the hex alphabet (and without I, L, O, U) so they cannot be taken for
share digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ceremony.errors import PaperError
from ceremony.shares.line_checks import CHECK_ALPHABET, DIGITS_PER_LINE, check_code

__all__ = [
    "CHECK_ALPHABET",
    "DIGITS_PER_LINE",
    "LegacyLayout",
    "LegacyLine",
    "check_code",
    "layout_legacy",
]

GROUP: Final = 4
GROUPS_PER_LINE: Final = 8


@dataclass(frozen=True, repr=False)
class LegacyLine:
    number: int  # 1-based
    digits: str

    def __repr__(self) -> str:
        return f"<LegacyLine {self.number}>"

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(self.digits[i : i + GROUP] for i in range(0, len(self.digits), GROUP))

    @property
    def check(self) -> str:
        return check_code(self.number, self.digits)


@dataclass(frozen=True, repr=False)
class LegacyLayout:
    prefix: str  # "80{i}-{x}-", typed before the digits
    lines: tuple[LegacyLine, ...]

    def __repr__(self) -> str:
        return f"<LegacyLayout {len(self.lines)} lines>"


def layout_legacy(share: str) -> LegacyLayout:
    """Split ``80{i}-{x}-{hex}`` into its prefix and numbered lines of grouped digits."""
    compact = "".join(share.split()).lower()
    head, sep, digits = compact.rpartition("-")
    if not sep or not head.startswith("80") or not digits:
        raise PaperError("This is not a CheckTick legacy share, so it cannot go on a legacy sheet.")
    lines = tuple(
        LegacyLine(n + 1, digits[i : i + DIGITS_PER_LINE])
        for n, i in enumerate(range(0, len(digits), DIGITS_PER_LINE))
    )
    return LegacyLayout(head + "-", lines)
