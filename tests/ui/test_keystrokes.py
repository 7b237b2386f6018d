"""Keystroke targets for a typed 3-share recovery and a typed genesis, counted on the real
widgets (the bench reports the table)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.keycount import genesis_keys, genesis_readback_keys, recovery_keys
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


def test_a_genesis_3_of_5_reads_every_sheet_back_with_four_letters_a_word(
    qtbot: Any, air_gapped: Any, tmp_path: Path
) -> None:
    counts = genesis_readback_keys(air_gapped, tmp_path)
    assert counts["shares read back"] == 5
    assert counts["read-back: words"] == 5 * 4 * SHARE_WORDS
    assert counts["read-back: Enter to check"] == 5


def test_a_genesis_3_of_5_by_keyboard_alone_from_launch_to_the_sealed_answer(
    qtbot: Any, air_gapped: Any, cups: None
) -> None:
    counts = genesis_keys(air_gapped)  # printed on the cups-pdf queue
    assert counts["shares read back"] == 5
    assert counts["read-back: words"] == 5 * 4 * SHARE_WORDS
    assert counts["read-back: Enter to check"] == 5
    assert "read-back: putting the keyboard on word 1" not in counts  # the grid moves on itself
    assert counts["printing"] == 5 * 2  # Alt+P, then Alt+Y for "complete and legible"
    assert counts["request code"] > 0 and counts["details"] > 0 and counts["bags"] > 0
