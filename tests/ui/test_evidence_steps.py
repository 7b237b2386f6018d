"""One step list: the wizards' pages are the run sheet's steps, and the journal hears each step."""

from __future__ import annotations

from typing import Any

import pytest

from ceremony.evidence.steps import OPERATIONS, steps_for
from ui.context import CeremonyContext
from ui.wizards.catalog import build_wizard


@pytest.mark.parametrize("kind", OPERATIONS)
def test_each_wizard_is_the_run_sheet_of_its_kind(qtbot: Any, kind: Any) -> None:
    wizard = build_wizard(CeremonyContext(kind, rehearsal=True))
    qtbot.addWidget(wizard)
    titles = [page.title for page in wizard.pages]
    assert titles == [step.title for step in steps_for(kind)]
    assert wizard.step_title() == f"Step 1 of {len(titles)}: {titles[0]}"
    wizard.cancel()
    deviations = wizard.context.log.evidence().deviations
    assert [(d.step, d.kind) for d in deviations] == [(1, "cancelled")]
    assert titles[0] in deviations[0].text


def test_checks_that_went_wrong_are_deviations_where_they_happened() -> None:
    c = CeremonyContext("genesis", rehearsal=True)
    c.log.at_step(9)
    c.note("Sheet of Ann (share 1)", "printed", "printed on Office; no reprint")
    c.note("Sheet of Ben (share 2)", "printed", "printed on Office; 2 reprints")
    c.log.at_step(10)
    c.note("Share 3 (Cat) read back from paper", "failed")
    c.note("Share 3 (Cat) read back from paper", "passed", "typed")
    c.log.at_step(7)
    c.note("Fingerprint typed from a sheet", "mismatch", "0000-0000-0000")
    c.note("A share was refused", "refused", "checksum")
    found = [(d.step, d.kind, d.text) for d in c.log.evidence().deviations]
    assert found == [
        (9, "reprint", "Sheet of Ben (share 2): printed on Office; 2 reprints"),
        (10, "failed", "Share 3 (Cat) read back from paper"),
        (7, "mismatch", "Fingerprint typed from a sheet: 0000-0000-0000"),
        (7, "refused", "A share was refused: checksum"),
    ]


def test_a_drill_counts_a_share_the_quorum_does_not_need_as_checked() -> None:
    from tests.sharesets import make_set
    from ui.pages.opened_bags import spare_share_checked

    _, shares = make_set(2, 3, seed=8)
    drill = CeremonyContext("drill", rehearsal=True)
    assert spare_share_checked(drill, "not_needed", shares[2], "Cat")
    assert [(s[1], s[2]) for s in drill.log.evidence().shares_checked] == [("3", "Cat")]
    assert not spare_share_checked(drill, "checksum", shares[1], "Ben")
    recovery = CeremonyContext("recovery", rehearsal=True)
    assert not spare_share_checked(recovery, "not_needed", shares[2], "Cat")
    assert recovery.log.evidence().shares_checked == ()
