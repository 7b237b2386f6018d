"""The record refuses to print a share or a key, whatever field it was typed into."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from ceremony.errors import PaperError
from ceremony.paper import (
    Attendee,
    BundleDigest,
    EnvironmentRow,
    GroupRow,
    RecordData,
    ShareAssignment,
    SheetData,
    VerificationResult,
    render_record,
    render_share_sheet,
)
from ceremony.shares.secret_text import find_secret
from tests.pdf_pages import all_text
from tests.secret_formats import secret_texts

DIGEST = "0f" * 32
BASE = RecordData(
    organisation="Example Trust",
    ceremony_id="C-18",
    kind="genesis",
    started_at="2026-12-02 18:00:00 UTC",
    ended_at="2026-12-02 19:00:00 UTC",
    key_version="v1",
    scheme="slip39",
    threshold=2,
    count=3,
    set_id="01234",
    attendees=(
        Attendee("Ann Lee", "custodian", "CFO"),
        Attendee("Ben Ode", "custodian"),
        Attendee("Cat Roy", "custodian"),
        Attendee("Wendy Ng", "witness"),
    ),
    fingerprints=(("custodian", "3F9A-0C1B-77D2"), ("export key check", "AS1VH0-HVR0EK-E2")),
    shares=(
        ShareAssignment(1, "Ann Lee"),
        ShareAssignment(2, "Ben Ode"),
        ShareAssignment(3, "Cat Roy"),
    ),
    environment=(
        EnvironmentRow("Installation", f"Installed from the wheelhouse whose SHA-256 {DIGEST}"),
    ),
    verification=(VerificationResult("Share 1 (Ann Lee) read back from paper", "passed"),),
    bundles=(BundleDigest("install bundle for request R-1", DIGEST),),
)

Change = Callable[[RecordData, str], RecordData]
FIELDS: dict[str, Change] = {
    "organisation": lambda r, t: replace(r, organisation=t),
    "key version": lambda r, t: replace(r, key_version=t),
    "ceremony id": lambda r, t: replace(r, ceremony_id=t),
    "custodian name": lambda r, t: replace(
        r, attendees=(Attendee(t, "custodian"), *r.attendees[1:])
    ),
    "custodian title": lambda r, t: replace(
        r, attendees=(Attendee("Ann Lee", "custodian", t), *r.attendees[1:])
    ),
    "witness": lambda r, t: replace(r, attendees=(*r.attendees[:3], Attendee(t, "witness"))),
    "share holder": lambda r, t: replace(r, shares=(ShareAssignment(1, t), *r.shares[1:])),
    "verification note": lambda r, t: replace(
        r, verification=(VerificationResult("Share 2 read back", "passed", t),)
    ),
    "deviations and notes": lambda r, t: replace(r, deviations=t),
    "revoked set": lambda r, t: replace(r, revoked=(t,)),
    "group name": lambda r, t: replace(r, groups=(GroupRow(t, ("Ann Lee", "Ben Ode"), 2),)),
    "environment result": lambda r, t: replace(r, environment=(EnvironmentRow("Swap", t),)),
    "bundle label": lambda r, t: replace(r, bundles=(BundleDigest(t, DIGEST),)),
    "fingerprint": lambda r, t: replace(r, fingerprints=(("custodian", t),)),
}
# The digest column holds 64 hex digits by design (the program computes it; nobody types it),
# so the one format it cannot tell from a digest is a 32-byte component in lower-case hex.
DIGEST_LOOKALIKE = "32-byte component hex"


def test_the_base_record_prints_and_its_text_reads_as_no_secret() -> None:
    text = all_text(render_record(BASE)).replace(DIGEST, "")
    for line in text.splitlines():
        assert find_secret(line) is None, line


@pytest.mark.parametrize("field", sorted(FIELDS))
@pytest.mark.parametrize("fmt", sorted(secret_texts()))
def test_each_share_format_through_each_field_is_refused(field: str, fmt: str) -> None:
    record = FIELDS[field](BASE, secret_texts()[fmt])
    with pytest.raises(PaperError) as caught:
        render_record(record)
    message = caught.value.message
    assert "not" in message and "printed" in message
    for token in secret_texts()[fmt].split():
        assert len(token) < 4 or token not in message


@pytest.mark.parametrize("fmt", sorted(set(secret_texts()) - {DIGEST_LOOKALIKE}))
def test_the_digest_column_takes_only_a_digest(fmt: str) -> None:
    record = replace(BASE, bundles=(BundleDigest("install", secret_texts()[fmt]),))
    with pytest.raises(PaperError, match="not 64 hex digits"):
        render_record(record)


@pytest.mark.parametrize("field", ["organisation", "custodian name", "key version"])
def test_the_envelope_label_refuses_share_words_in_a_name(field: str) -> None:
    share = secret_texts()["SLIP-39 share words"]
    sheet = SheetData(
        "Org", "Ann", 1, 3, 2, "00001", "v1", "C-1", "2026-11-28", "0000-0000-0000", share
    )
    changed = {
        "organisation": replace(sheet, organisation=share),
        "custodian name": replace(sheet, custodian=share),
        "key version": replace(sheet, key_version=share),
    }[field]
    render_share_sheet(sheet)  # the share itself belongs on the sheet
    with pytest.raises(PaperError, match="envelope label"):
        render_share_sheet(changed)
