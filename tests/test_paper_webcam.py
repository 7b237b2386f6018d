"""Share QRs read from a poor webcam frame, by zxing-cpp and by zbar; a group set reads back."""

import json
import random

import pytest

from ceremony import keys
from ceremony.operations.genesis import GenesisPlan, generate
from ceremony.paper import render_share_sheets
from ceremony.paper.model import Paper
from ceremony.secret import Secret
from ceremony.shares import Group, SharePolicy, canonical, combine, split
from tests.paths import data_file
from tests.pdf_pages import (
    legacy_from_text,
    page_text,
    qr_codes,
    render,
    webcam,
    words_from_text,
    zbar_texts,
)
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


def legacy_vector(name: str) -> tuple[str, list[str]]:
    """The 3-of-4 set of CheckTick's own legacy shares in the named vector file."""
    vector = json.loads(data_file(name).read_text())["vectors"][0]
    assert (int(vector["threshold"]), int(vector["total"])) == (3, 4)
    return vector["secret_hex"], list(vector["shares"])


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize(
    "vectors", ["checktick_legacy_vectors.json", "checktick_legacy_vectors_32.json"]
)
def test_every_legacy_sheet_decodes_from_a_75_dpi_webcam_frame_with_both_decoders(
    vectors: str, paper: Paper
) -> None:
    secret_hex, shares = legacy_vector(vectors)
    fp = keys.fingerprint(bytes.fromhex(secret_hex), "custodian")
    sheets = [sheet_for(s, i, 4, 3, "checktick", fp) for i, s in enumerate(shares, start=1)]
    pdf = render_share_sheets(sheets, paper)
    scanned = []
    for page, share in enumerate(shares):
        assert legacy_from_text(page_text(pdf, page)) == share  # the lines still read back
        frame = webcam(render(pdf, page, dpi=75))
        by_zxing = [c.text for c in qr_codes(frame)]
        by_zbar = zbar_texts(frame)
        assert [canonical(t) for t in by_zxing] == [share], f"zxing, page {page + 1}"
        assert [canonical(t) for t in by_zbar] == [share], f"zbar, page {page + 1}"
        assert by_zxing == by_zbar == ["".join(share.split()).upper()]
        scanned.append(by_zbar[0])
    # the scanned text as it is, in capitals, rebuilds the component from any three sheets
    for left_out in range(4):
        picked = scanned[:left_out] + scanned[left_out + 1 :]
        assert combine(picked).reveal().hex() == secret_hex


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
