"""The bag check made as each share is entered in a recovery or drill (collect shares page).

A holder types the serial of the bag they opened; when the last record listed
bags, a serial that differs stops that share (the good shares stay in). Each
accepted share's check value and holder go in the journal: the drill's answer
names every share checked.
"""

from __future__ import annotations

from ceremony.errors import CeremonyError, ShareError
from ceremony.evidence.check_value import check_value, share_key
from ceremony.evidence.log import SWAPPED_BAG
from ceremony.shares import inspect
from ui.context import CeremonyContext

__all__ = [
    "SPARE_CHECKED",
    "bag_refusal",
    "opened_bag_ok",
    "share_checked",
    "spare_share_checked",
]

SPARE_CHECKED = "A drill checks every share: this one counts as checked (readable, this set)."
_SPARE_CODES = ("group_full", "not_needed")


def _key(text: str) -> str | None:
    try:
        return share_key(text)
    except ShareError:
        return None  # not a readable share: the session says what is wrong with it


def opened_bag_ok(context: CeremonyContext, text: str, holder: str, serial: str) -> bool:
    """False when the last record listed bags and this holder's bag is not the recorded one."""
    if not context.expected_bags:
        return True
    key = _key(text)
    if key is None:
        return True
    if not serial.strip():
        return False
    expected = context.expected_bags.get(key, "")
    try:
        return context.log.bag_opened(key, holder or "holder", serial, expected)
    except CeremonyError:  # not a serial at all: refused as well
        return False


def bag_refusal(context: CeremonyContext, text: str, serial: str) -> str:
    if not serial.strip():
        return "Type the serial of the bag you opened first, then enter your share again."
    key = _key(text) or "?"
    expected = context.expected_bags.get(key)
    if expected is None:
        return (
            f"The last record lists no bag for share {key}: the bag may have been swapped; "
            "follow the incident steps. This share is not used; the others are kept."
        )
    return SWAPPED_BAG


def share_checked(context: CeremonyContext, text: str, holder: str) -> None:
    key = _key(text)
    if key is None:
        return
    info = inspect(text)
    name = holder or f"holder of share {key}"
    context.log.share_made(key, name, check_value(text))
    context.log.share_checked(info.set_id or "legacy", key, name)


def spare_share_checked(context: CeremonyContext, code: str, text: str, holder: str) -> bool:
    """In a drill, a share the quorum does not need still counts as checked (it fits the set)."""
    if context.kind != "drill" or code not in _SPARE_CODES:
        return False
    share_checked(context, text, holder)
    return True
