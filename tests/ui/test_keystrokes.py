"""Keystroke targets for a typed 3-share recovery, counted on the real widgets (bench reports)."""

from __future__ import annotations

from typing import Any

from tests.ui.keycount import recovery_keys
from ui.widgets.share_entry import SHARE_WORDS

PER_SHARE = 240
FIX_ONE_WORD = 8


def test_a_typed_recovery_meets_the_keystroke_targets(qtbot: Any, air_gapped: Any) -> None:
    counts = recovery_keys(air_gapped)
    assert counts["shares"] == 3 * (4 * SHARE_WORDS + 1)  # four letters a word, Enter to add
    assert counts["shares"] / 3 <= PER_SHARE
    assert counts["fix one wrong word"] <= FIX_ONE_WORD
    assert counts["re-enter a refused share"] == 0
    assert counts["request code"] > 0 and counts["fingerprint"] == 12
