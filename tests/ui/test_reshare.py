"""Re-share end to end: old shares in, the same key split for new custodians, its record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ceremony import keys
from ceremony.shares import combine, inspect, split
from testkit.tour_steps import finish_page
from tests.pdf_pages import all_text
from tests.ui.driver import Tour, advance_to, click, open_window, start
from ui import sheets
from ui.pages.record_page import RecordPage


@pytest.mark.parametrize("size", [64, 32], ids=["v1 key", "32-byte key (v2 and later)"])
def test_reshare_keeps_the_key_and_records_old_and_new_shares(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path, size: int
) -> None:
    with keys.new_component(length=size) as component:
        old = split(component, 3, 4)
        fingerprint = keys.fingerprint(component, "custodian")
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "reshare")
    tour = Tour(qapp, tmp_path)
    advance_to(qtbot, wizard, tour, old, RecordPage)
    context = wizard.context
    assert context.genesis is not None
    new = list(context.shares)
    assert inspect(new[0]).set_id != inspect(old[0]).set_id
    with combine(new[:3]) as rebuilt:
        assert keys.fingerprint(rebuilt, "custodian") == fingerprint
        assert len(rebuilt) == size
    assert len(new[0].split()) == (59 if size == 64 else 33)
    assert set(context.verified) == {1, 2, 3, 4}

    record = sheets.record_data(context)
    assert record.kind == "re-share"
    assert record.fingerprints[0] == ("custodian", fingerprint)
    # the export key is the same as before: the same component signs, so Vault needs no change
    with combine(new[:3]) as rebuilt:
        assert record.fingerprints[1] == ("export key check", keys.export_key_check_of(rebuilt))
    assert (
        record.verification[0].what == f"Old SLIP-39 shares 1, 2, 3 of set {inspect(old[0]).set_id}"
    )
    assert record.set_id == inspect(new[0]).set_id and record.threshold == 3
    assert all(s.verified for s in record.shares)
    old_set = inspect(old[0]).set_id
    revoked = [(v.what, v.outcome, v.detail) for v in record.verification if v.outcome == "revoked"]
    assert [what for what, _o, _d in revoked] == ["Old share sheets"]
    assert revoked[0][2].startswith(f"Destroy every sheet of old set {old_set} (entered today:")
    assert revoked[0][2].endswith("including sheets not brought today.")
    finish_page(tour, wizard, old)  # saves the record
    text = all_text((tmp_path / f"{context.ceremony_id}-record.pdf").read_bytes())
    assert fingerprint in text and "revoked" in text
    click(qtbot, wizard.next_button)
    done: Any = wizard.page
    assert f"every sheet of old set {old_set}" in done.summary.text()
    assert not any(" ".join(s.split()[4:7]) in text for s in old + new)
    click(qtbot, wizard.next_button)
    assert wizard.closed and not context.holds_secrets()
