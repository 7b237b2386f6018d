"""A whole rehearsal genesis and drill through the app, with roles, witnesses and bags.

The genesis seals each sheet into a numbered bag and writes a signed
transcript beside the answer; the drill reads the expected bags from that
transcript, refuses a share whose bag was swapped (keeping the good shares),
puts each sheet into a new bag and signs its own transcript.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from ceremony.evidence.check_value import check_value
from ceremony.evidence.log import SWAPPED_BAG
from ceremony.evidence.steps import steps_for
from ceremony.evidence.transcript import transcript_sha256
from ceremony.evidence.verify import verify_transcript
from testkit.tour_steps import finish_page
from tests.pdf_pages import all_text
from tests.ui.driver import Tour, advance_to, click, open_window, start
from ui.pages.bags_page import ExpectedBagsPage, SealBagsPage
from ui.pages.collect_shares_page import CollectSharesPage
from ui.pages.done_page import DonePage
from ui.pages.record_page import RecordPage
from ui.pages.roles_page import RolesPage
from ui.wizard import Wizard

SHOTS = Path("/work/shots")
BAGS = ["TE-100201", "TE-100202", "TE-100203", "TE-100204"]


def _shot(widget: Any, name: str) -> None:
    if SHOTS.is_dir():  # the proof screenshots; the test does not depend on them
        QApplication.processEvents()  # rows added as a page opens are shown by a queued event
        widget.grab().save(str(SHOTS / f"{name}.png"))


def _finish(qtbot: Any, wizard: Wizard, tour: Tour, shares: list[str]) -> Path:
    """From the record page: save the record, then Done and Finish; the record's path."""
    assert isinstance(wizard.page, RecordPage)
    finish_page(tour, wizard, shares)  # type: ignore[arg-type]
    record: Path = tour.scratch / f"{wizard.context.ceremony_id}-record.pdf"
    qtbot.waitUntil(lambda: record.exists() and wizard.next_button.isEnabled(), timeout=30_000)
    click(qtbot, wizard.next_button)
    assert isinstance(wizard.page, DonePage)
    click(qtbot, wizard.next_button)
    return record


def test_a_rehearsal_genesis_then_drill_with_witnesses_and_bags(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, air_gapped, rehearsal=True)
    window.resize(1100, 800)
    tour = Tour(qapp, tmp_path)

    # -- genesis -------------------------------------------------------------------
    wizard = start(qtbot, window, "genesis")
    roles = advance_to(qtbot, wizard, tour, [], RolesPage)
    assert wizard.context.shares == []  # asked before any secret exists
    assert roles.witnesses.toPlainText() == "Wendy Ng"  # carried from the details page
    qtbot.keyClicks(roles.administrator, "Wendy Ng")
    roles.witnesses.setPlainText("Wendy Ng\nWalt Ito")
    assert not wizard.next_button.isEnabled() and "cannot be a witness" in roles.problem.text()
    roles.administrator.setText("Ada Admin")
    assert wizard.next_button.isEnabled()
    _shot(window, "evidence-roles-page")
    bags = advance_to(qtbot, wizard, tour, [], SealBagsPage)
    shares = list(wizard.context.shares)
    assert [field.text() for *_, field in bags.rows] == ["", "", "", ""]
    for (_, _, field), serial in zip(bags.rows, BAGS, strict=True):
        qtbot.keyClicks(field, serial)
    bags.rows[3][2].setText(BAGS[0])
    assert not wizard.next_button.isEnabled() and "typed twice" in bags.problem.text()
    bags.rows[3][2].setText(BAGS[3])
    _shot(window, "evidence-seal-bags-page")
    advance_to(qtbot, wizard, tour, [], RecordPage)
    genesis = wizard.context
    transcript = tmp_path / f"ceremony-{genesis.ceremony_id}-transcript.json"
    assert transcript.exists()  # written beside the saved answer
    check = genesis.genesis.export_key_check if genesis.genesis else ""
    genesis_record = _finish(qtbot, wizard, tour, shares)
    data = transcript.read_bytes()
    verdict = verify_transcript(data, export_key_check=check, paper_digest=transcript_sha256(data))
    assert verdict.ok, [f.text for f in verdict.findings]
    evidence = verdict.evidence
    assert evidence is not None
    done = [s.number for s in evidence.steps]
    assert done == list(range(1, len(done) + 1)) and len(done) == 11  # up to sealing
    assert [s.title for s in evidence.steps] == [s.title for s in steps_for("genesis")][:11]
    assert [(b.share, b.holder, b.serial) for b in evidence.bags_sealed] == [
        ("1", "Ann Lee", BAGS[0]), ("2", "Ben Okafor", BAGS[1]),
        ("3", "Cat Silva", BAGS[2]), ("4", "Dan Weber", BAGS[3]),
    ]  # fmt: skip
    assert [s.check_value for s in evidence.shares] == [check_value(s) for s in shares]
    assert evidence.drill_interval_days == 182
    text = " ".join(all_text(genesis_record.read_bytes()).split())
    assert transcript_sha256(data)[:32] in text and "Ada Admin administrator" in text
    assert "Walt Ito witness" in text and BAGS[2] in text

    # -- drill -----------------------------------------------------------------------
    wizard = start(qtbot, window, "drill")
    advance_to(qtbot, wizard, tour, shares, RolesPage)
    expected = advance_to(qtbot, wizard, tour, shares, ExpectedBagsPage)
    assert wizard.context.shares == [] and wizard.context.session is None
    expected.load_transcript(transcript)
    assert expected.lines.toPlainText().splitlines()[1] == f"2 {BAGS[1]}"
    assert expected.loaded.text().startswith(f"✓ Read from {transcript.name}")
    _shot(window, "evidence-expected-bags-page")
    click(qtbot, wizard.next_button)
    collect = wizard.page
    assert isinstance(collect, CollectSharesPage) and not collect.bag.isHidden()

    def enter(index: int, name: str, serial: str) -> None:
        collect.holder.setText(name)
        collect.bag.setText(serial)
        collect.entry.set_text(shares[index - 1])
        collect.add_share()

    enter(2, "Ben Okafor", BAGS[1].lower())
    assert collect.state().indices == (2,)
    enter(1, "Ann Lee", "TE-999999")  # the bag was swapped
    assert collect.bag_problem.text() == SWAPPED_BAG  # beside the serial typed
    assert "the bag may have been swapped; follow the incident steps" in SWAPPED_BAG
    assert collect.state().indices == (2,)  # the good share is kept, the suspect one not used
    assert collect.entry.text() == ""
    _shot(window, "evidence-swapped-bag")  # the page scrolled the refusal into view itself
    enter(3, "Cat Silva", BAGS[2])
    enter(4, "Dan Weber", BAGS[3])
    assert collect.state().complete and collect.state().indices == (2, 3, 4)
    assert collect.entry.isEnabled() and "A drill checks every share" in collect.turn.text()
    click(qtbot, wizard.next_button)  # the tour would type a bad share on the share page
    reseal = advance_to(qtbot, wizard, tour, shares, SealBagsPage)
    assert [(s, h) for s, h, _ in reseal.rows] == [
        ("2", "Ben Okafor"), ("3", "Cat Silva"), ("4", "Dan Weber"),
    ]  # fmt: skip
    for (_, _, field), serial in zip(reseal.rows, ["NB-2", "NB-3", "NB-4"], strict=True):
        field.setText(serial)
    _shot(window, "evidence-new-bags-after-drill")
    click(qtbot, wizard.next_button)
    advance_to(qtbot, wizard, tour, shares, RecordPage)
    drill = wizard.context
    drill_transcript = tmp_path / f"ceremony-{drill.ceremony_id}-transcript.json"
    drill_record = _finish(qtbot, wizard, tour, shares)
    drill_data = drill_transcript.read_bytes()
    verdict = verify_transcript(drill_data, export_key_check=check)
    assert verdict.ok, [f.text for f in verdict.findings]
    evidence = verdict.evidence
    assert evidence is not None
    assert [(b.share, b.matched) for b in evidence.bags_opened] == [
        ("2", True), ("1", False), ("3", True), ("4", True),
    ]  # fmt: skip
    assert [d.kind for d in evidence.deviations] == ["bag-swapped"]
    assert evidence.deviations[0].step == 6  # listed under "Each custodian enters a share"
    assert [(s[1], s[2]) for s in evidence.shares_checked] == [
        ("2", "Ben Okafor"), ("3", "Cat Silva"), ("4", "Dan Weber"),
    ]  # fmt: skip
    assert [b.serial for b in evidence.bags_sealed] == ["NB-2", "NB-3", "NB-4"]
    text = " ".join(all_text(drill_record.read_bytes()).split())
    assert "Bags opened" in text and "TE-999999" in text and "NB-3" in text
    assert "Deviation (bag-swapped)" in text
    body = json.loads(drill_data)["body"]
    assert body["operation"] == "drill" and body["record"]["kind"] == "drill"


def test_a_reshare_signs_its_transcript_and_saves_it_beside_the_record(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path
) -> None:
    from ceremony import keys
    from ceremony.shares import split

    with keys.new_component() as component:
        old = split(component, 3, 4)
        check = keys.export_key_check_of(component)
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "reshare")
    tour = Tour(qapp, tmp_path)
    advance_to(qtbot, wizard, tour, old, RecordPage)
    context = wizard.context
    assert context.transcript is not None
    record = _finish(qtbot, wizard, tour, old)
    saved = record.parent / f"ceremony-{context.ceremony_id}-transcript.json"
    data = saved.read_bytes()
    verdict = verify_transcript(data, export_key_check=check, paper_digest=transcript_sha256(data))
    assert verdict.ok, [f.text for f in verdict.findings]
    assert verdict.evidence is not None and verdict.evidence.operation == "reshare"
    assert [b.serial for b in verdict.evidence.bags_sealed] == [
        f"TE-{100200 + n}" for n in (1, 2, 3, 4)
    ]
    assert transcript_sha256(data)[:32] in " ".join(all_text(record.read_bytes()).split())
