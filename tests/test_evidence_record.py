"""The record's evidence pages: roles and signature lines, the script as run, bags, QR."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from ceremony.evidence.transcript import make_transcript, transcript_sha256
from ceremony.operations.genesis import genesis_record
from ceremony.paper import render_record
from tests.evidence_support import BAGS, CUSTODIANS, rehearsed_genesis
from tests.pdf_pages import all_text, page_count, qr_codes, render


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
