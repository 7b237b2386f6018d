"""A hash-chained ceremony log. It holds what happened, never a secret.

Each entry's hash covers the previous entry's hash, so the final hash printed
on the ceremony record commits to every step in order; an edited or dropped
entry breaks the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ceremony.errors import CeremonyError

__all__ = ["GENESIS_HASH", "Journal", "JournalEntry"]

GENESIS_HASH = "0" * 64
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    at: str  # ISO 8601, UTC
    event: str
    details: Mapping[str, Any]
    prev: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "event": self.event,
            "details": dict(self.details),
            "prev": self.prev,
            "hash": self.hash,
        }


def _entry_hash(seq: int, at: str, event: str, details: Mapping[str, Any], prev: str) -> str:
    body = json.dumps(
        {"seq": seq, "at": at, "event": event, "details": details, "prev": prev},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(body.encode()).hexdigest()


class Journal:
    """Append-only list of entries; ``head`` is the hash of the last one."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self._entries: list[JournalEntry] = []

    @property
    def entries(self) -> tuple[JournalEntry, ...]:
        return tuple(self._entries)

    @property
    def head(self) -> str:
        return self._entries[-1].hash if self._entries else GENESIS_HASH

    def record(self, event: str, **details: Any) -> JournalEntry:
        """Append an event. Details must be JSON values and must not be secret."""
        at = self._clock().astimezone(UTC).isoformat(timespec="seconds")
        seq = len(self._entries)
        try:
            digest = _entry_hash(seq, at, event, details, self.head)
        except TypeError as err:
            raise CeremonyError(f"Journal details must be plain values ({err}).") from None
        entry = JournalEntry(seq, at, event, details, self.head, digest)
        self._entries.append(entry)
        return entry

    def to_json(self) -> str:
        return json.dumps([e.as_dict() for e in self._entries], indent=2)

    @classmethod
    def verify(cls, data: str) -> str:
        """Check a saved journal's chain; returns its head hash or raises CeremonyError."""
        try:
            items = json.loads(data)
        except json.JSONDecodeError:
            raise CeremonyError("The journal is not valid JSON.") from None
        if not isinstance(items, list):
            raise CeremonyError("The journal must be a list of entries.")
        prev = GENESIS_HASH
        for seq, item in enumerate(items):
            if not isinstance(item, dict):
                raise CeremonyError(f"Journal entry {seq} is malformed.")
            try:
                expected = _entry_hash(seq, item["at"], item["event"], item["details"], prev)
            except (KeyError, TypeError):
                raise CeremonyError(f"Journal entry {seq} is malformed.") from None
            if item.get("seq") != seq or item.get("prev") != prev or item.get("hash") != expected:
                raise CeremonyError(f"The journal chain breaks at entry {seq}.")
            prev = expected
        return prev
