"""The record's evidence pages: roles and signature lines, the script as run, bags, QR."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from ceremony.evidence.coverage import signing_step
from ceremony.evidence.steps import OPERATIONS, numbered
from ceremony.evidence.transcript import make_transcript, transcript_sha256, with_transcript
from ceremony.operations.genesis import genesis_record
from ceremony.paper import render_record
from ceremony.paper.run_sheet import render_run_sheet
from tests.evidence_support import BAGS, CUSTODIANS, rehearsed_genesis
from tests.pdf_pages import all_text, page_count, page_text, qr_codes, render


def test_the_record_prints_roles_script_bags_drills_and_the_transcript_digest() -> None:
    keys, log = rehearsed_genesis()
    record = genesis_record(keys, ended=datetime(2026, 3, 14, 10, 30, tzinfo=UTC))
    data = make_transcript(log, record, keys.custodian, rehearsal=True)
    keys.wipe()
    digest = transcript_sha256(data)
    evidence = dataclasses.replace(log.evidence(), transcript_sha256=digest)
    pdf = render_record(dataclasses.replace(record, evidence=evidence))
    text = " ".join(all_text(pdf).split())
    assert "The script as it ran" in text
    assert "2026-03-14 09:36:00" in text  # step 9's completion time
    assert "Deviation (reprint): Sheet of Ben Ode (share 2): 1 reprint" in text
    for name, bag in zip(CUSTODIANS, BAGS, strict=True):
        assert name in text and bag in text
    for share in evidence.shares:
        assert share.check_value in text
    assert "drill every 182 days" in text and "due by 2026-09-12" in text
    assert digest[:32] in text and digest[32:] in text
    signatures = text[text.index("Signatures") :]
    for who in ("Ada Admin administrator", "Wendy Ng witness", "Walt Ito witness"):
        assert who in signatures
    assert "Ann Lee custodian (CFO)" in signatures and "Date and time" in signatures
    found = [
        r.text for page in range(page_count(pdf)) for r in qr_codes(render(pdf, page, dpi=200))
    ]
    assert digest.upper() in found


def test_the_steps_still_to_come_are_printed_to_fill_in_by_hand() -> None:
    """As the record is printed, the journal ends at sealing: printing the record (and its
    check that it is complete and legible) and Done are rows to write the time and initial."""
    keys, log = rehearsed_genesis()
    log.at_step(12)  # sealing: the transcript is signed here
    record = genesis_record(keys, ended=datetime(2026, 3, 14, 10, 30, tzinfo=UTC))
    data = make_transcript(log, record, keys.custodian, rehearsal=True)
    keys.wipe()
    evidence = with_transcript(log.evidence(), data)
    assert evidence.transcript_signed_at == 12
    pdf = render_record(dataclasses.replace(record, evidence=evidence))
    text = " ".join(all_text(pdf).split())
    script = text[text.index("The script as it ran") : text.index("Shares, check values")]
    assert "11 Each sheet into its numbered bag 2026-03-14 10:00:00" in script
    assert "12 Seal the answer for Vault administrator" in script  # not yet stamped
    assert "13 Print the ceremony record: complete and legible? \u2610 yes administrator" in script
    assert "14 Done witness" in script and "write the time and initial by hand" in script
    assert "Signed at step 12 (Seal the answer for Vault)" in text
    assert "the rest of step 12 (the answer being saved or scanned)" in text
    assert "steps 13 (Print the ceremony record), 14 (Done)" in text


def test_the_run_sheet_fits_its_steps_on_one_page_and_has_numbered_notes() -> None:
    for operation in OPERATIONS:
        pdf = render_run_sheet(operation, numbered(operation), organisation="Example Org")
        first = " ".join(page_text(pdf, 0).split())
        last = numbered(operation)[-1]
        assert f"{last[0]} {last[1].title} {last[1].who}" in first, operation
        text = " ".join(all_text(pdf).split())
        assert "Deviations and notes Step no. What happened Time Witness initials" in text
        signed = signing_step(operation)
        if signed:
            assert f"The signed transcript is signed at step {signed}" in first
        else:
            assert "signed transcript" not in text
