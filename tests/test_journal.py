import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from ceremony.errors import CeremonyError
from ceremony.journal import GENESIS_HASH, Journal


def ticking_clock() -> Callable[[], datetime]:
    t = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def now() -> datetime:
        nonlocal t
        t += timedelta(minutes=1)
        return t

    return now


def test_chain_round_trips_and_detects_edits() -> None:
    j = Journal(ticking_clock())
    assert j.head == GENESIS_HASH
    j.record("started", kind="genesis")
    j.record("share_printed", index=1, custodian="Ann")
    j.record("share_verified", index=1)
    saved = j.to_json()
    assert Journal.verify(saved) == j.head
    items = json.loads(saved)
    items[1]["details"]["custodian"] = "Eve"
    with pytest.raises(CeremonyError, match="entry 1"):
        Journal.verify(json.dumps(items))
    with pytest.raises(CeremonyError, match="entry 1"):
        Journal.verify(json.dumps([items[0], items[2]]))


def test_same_events_same_head() -> None:
    a, b = Journal(ticking_clock()), Journal(ticking_clock())
    for j in (a, b):
        j.record("started", kind="drill")
    assert a.head == b.head and a.entries[0].at == "2026-11-28T09:01:00+00:00"


def test_details_must_be_plain_values() -> None:
    with pytest.raises(CeremonyError):
        Journal().record("bad", thing=object())
    with pytest.raises(CeremonyError):
        Journal.verify("not json")
