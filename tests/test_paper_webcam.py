"""Share QRs read from a poor webcam frame, by zxing-cpp and by zbar; a group set reads back."""

import random

import pytest

from ceremony import keys
from ceremony.genesis import GenesisPlan, generate
from ceremony.paper import render_share_sheets
from ceremony.secret import Secret
from ceremony.shares import Group, SharePolicy, canonical, combine, split
from tests.pdf_pages import page_text, qr_codes, render, webcam, words_from_text, zbar_texts
from tests.test_paper import NAMES16, sheet_for

POLICY = SharePolicy(
    (
        Group("Board", ("Ann", "Ben", "Cat"), 2),
        Group("Legal", ("Hal",), 1),
        Group("Operations", ("Dan", "Eve", "Fay", "Gus"), 3),
    ),
    2,
)


def four_sheets(size: int) -> tuple[bytes, list[str]]:
    rng = random.Random(size)
    component = Secret(rng.randbytes(size))
    shares = split(component, 3, 4, random_bytes=rng.randbytes)
    fp = keys.fingerprint(component, "custodian")
    sheets = [sheet_for(s, i, 4, 3, "slip39", fp) for i, s in enumerate(shares, start=1)]
    return render_share_sheets(sheets), shares


@pytest.mark.parametrize("size", [64, 32])
def test_every_sheet_decodes_from_a_75_dpi_webcam_frame_with_both_decoders(size: int) -> None:
    pdf, shares = four_sheets(size)
    for page, share in enumerate(shares):
        frame = webcam(render(pdf, page, dpi=75))
        assert [canonical(c.text) for c in qr_codes(frame)] == [share], f"zxing, page {page + 1}"
        assert [canonical(t) for t in zbar_texts(frame)] == [share], f"zbar, page {page + 1}"


def test_qr_text_is_four_letter_prefixes_in_capitals() -> None:
    pdf, shares = four_sheets(64)
    text = qr_codes(render(pdf, 0, dpi=150))[0].text
    assert text == " ".join(w[:4].upper() for w in shares[0].split())
    said = " ".join(page_text(pdf, 0).split())
    assert "the bold first four letters are enough, and the QR code holds just those" in said


def test_group_set_reads_back_sheet_by_sheet() -> None:
    rng = random.Random(5)
    plan = GenesisPlan.with_policy(
        POLICY, organisation="Acme Health", key_version="v2", witness="Wes", paper="letter"
    )
    genesis = generate(plan, random_bytes=rng.randbytes, ceremony_id="CER-G")
    pdf = render_share_sheets(genesis.sheets(), "letter")
    back = []
    for sheet in range(1, 9):
        text = page_text(pdf, sheet - 1)
        group, member = POLICY.locate(sheet)
        name = POLICY.group_name(group)
        count = len(POLICY.groups[group - 1].members)
        assert POLICY.custodians[sheet - 1] in text
        assert f"{name} share {member} of {count}" in text
        assert POLICY.sheet_wording(sheet) in " ".join(text.split())
        printed = words_from_text(text)
        scanned = canonical(qr_codes(render(pdf, sheet - 1, dpi=150))[0].text)
        # read-back verification: the typed words and the scanned QR are the printed share
        assert genesis.matches_share(sheet, printed) and genesis.matches_share(sheet, scanned)
        assert not genesis.matches_share(sheet % 8 + 1, printed)
        back.append(printed)
    assert "Board — any 2 of your 3 Board sheets; any 2 of the 3 groups rebuild the key" in (
        " ".join(page_text(pdf, 0).split())
    )
    assert combine([back[0], back[2], back[3]]) == genesis.custodian
    assert genesis.check_rebuild(back)
    assert NAMES16  # the plain sets' names stay those of test_paper
