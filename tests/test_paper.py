"""Share sheets and the ceremony record: they read back exactly, and the record holds no secret."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pypdfium2 as pdfium
import pytest

from ceremony import keys
from ceremony.errors import PaperError
from ceremony.paper import (
    REHEARSAL_TEXT,
    Attendee,
    BundleDigest,
    EnvironmentRow,
    Paper,
    RecordData,
    ShareAssignment,
    SheetData,
    VerificationResult,
    check_code,
    layout_legacy,
    render_record,
    render_share_sheet,
    render_share_sheets,
)
from ceremony.paper.layout import mm, page_for
from ceremony.paper.qr import QUIET_ZONE, qr_matrix, share_qr_text
from ceremony.paper.sheet import CUT_SPACE, ENVELOPE_HEIGHT, LEGACY_QR_SIZE, QR_SIZE
from ceremony.secret import Secret
from ceremony.shares import Scheme, canonical, inspect
from tests.pdf_pages import (
    all_text,
    blurred,
    legacy_from_text,
    page_count,
    page_text,
    qr_codes,
    render,
    rotated,
    text_in_box,
    words_from_text,
)
from tests.secret_scan import SecretNeedles
from tests.sharesets import make_set

NAMES16 = tuple(f"Custodian {chr(ord('A') + i)}. Example-{i + 1}" for i in range(16))
SETS: dict[str, tuple[int, int, Scheme]] = {
    "16of16": (16, 16, "slip39"),
    "3of4": (3, 4, "slip39"),
    "legacy3of4": (3, 4, "checktick"),
}


def sheet_for(
    share: str, index: int, count: int, threshold: int, scheme: Scheme, fp: str
) -> SheetData:
    return SheetData(
        organisation="Example Health Ltd",
        custodian=NAMES16[index - 1],
        index=index,
        count=count,
        threshold=threshold,
        set_id=inspect(share).set_id,
        key_version="v3",
        ceremony_id="CER-2025-0314-A",
        date="2025-03-14",
        fingerprint=fp,
        share=share,
        scheme=scheme,
    )


@cache
def share_set(name: str) -> tuple[bytes, list[str]]:
    t, n, scheme = SETS[name]
    component, shares = make_set(t, n, seed=len(name), scheme=scheme)
    return component.reveal(), shares


@cache
def sheets_pdf(name: str, paper: Paper = "a4", rehearsal: bool = False) -> bytes:
    t, n, scheme = SETS[name]
    raw, shares = share_set(name)
    fp = keys.fingerprint(raw, "custodian")
    sheets = [
        replace(sheet_for(s, i, n, t, scheme, fp), rehearsal=rehearsal)
        for i, s in enumerate(shares, start=1)
    ]
    return render_share_sheets(sheets, paper)


CASES = [(name, i) for name, (_, n, _) in SETS.items() for i in range(n)]


@pytest.mark.parametrize(("set_name", "position"), CASES)
def test_every_share_reads_back_from_its_page(set_name: str, position: int) -> None:
    share = share_set(set_name)[1][position]
    pdf = sheets_pdf(set_name)
    page = render(pdf, position, dpi=150)
    for variant in (page, blurred(page, 0.8), rotated(page, 3), rotated(blurred(page, 0.8), 3)):
        codes = qr_codes(variant)
        assert [canonical(c.text) for c in codes] == [share]
        assert codes[0].ec_level == "L"
    text = page_text(pdf, position)
    printed = words_from_text(text) if SETS[set_name][2] == "slip39" else legacy_from_text(text)
    assert printed == share


@pytest.mark.parametrize("set_name", list(SETS))
def test_header_says_whose_sheet_which_share_and_secret(set_name: str) -> None:
    t, n, _ = SETS[set_name]
    pdf = sheets_pdf(set_name)
    assert page_count(pdf) == n
    for position in range(n):
        first_lines = page_text(pdf, position).splitlines()[:6]
        assert "SECRET" in first_lines
        assert NAMES16[position] in first_lines
        assert f"Share {position + 1} of {n} — any {t} rebuild the key" in first_lines


def test_qr_is_large_enough_for_a_webcam_and_stays_in_the_frame() -> None:
    for name in SETS:
        share = share_set(name)[1][0]
        scheme = SETS[name][2]
        modules = len(qr_matrix(share_qr_text(share, scheme), "L"))
        assert QR_SIZE >= 80 * mm and LEGACY_QR_SIZE >= 85 * mm
        # measure what the scanner sees: the symbol between the finder corners, at 300 dpi
        pdf = sheets_pdf(name)
        code = qr_codes(render(pdf, 0, dpi=300))[0]
        pos = code.position
        symbol_px = (
            (pos.top_right.x - pos.top_left.x) ** 2 + (pos.top_right.y - pos.top_left.y) ** 2
        ) ** 0.5
        symbol_mm = symbol_px / 300 * 25.4
        with_quiet_zone = symbol_mm * modules / (modules - 2 * QUIET_ZONE)
        assert with_quiet_zone >= (80 if scheme == "slip39" else 85)
        if scheme == "slip39":  # version 9: 53 modules, each at least 1.35 mm
            assert modules - 2 * QUIET_ZONE == 53 and symbol_mm / 53 >= 1.35
        else:  # version 12: 65 modules, each at least 1.2 mm (3.5 pixels at 75 dpi)
            assert modules - 2 * QUIET_ZONE == 65 and symbol_mm / 65 >= 1.2
        # the symbol itself lies inside the printable frame and over no text
        page = page_for("a4")
        xs = [p.x * 72 / 300 for p in (pos.top_left, pos.top_right, pos.bottom_left)]
        ys = [page.height - p.y * 72 / 300 for p in (pos.top_left, pos.bottom_left)]
        assert page.left <= min(xs) and max(xs) <= page.right + 0.5
        assert page.bottom <= min(ys) and max(ys) <= page.top
        assert text_in_box(pdf, 0, min(xs), min(ys), max(xs), max(ys)).strip() == ""


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_letter_and_a4_pages_have_their_size_and_read_back(paper: Paper) -> None:
    _, shares = share_set("3of4")
    pdf = sheets_pdf("3of4", paper)
    expected = page_for(paper)
    width, height = pdfium.PdfDocument(pdf)[0].get_size()
    assert (round(width), round(height)) == (round(expected.width), round(expected.height))
    assert [canonical(c.text) for c in qr_codes(render(pdf, 1))] == [shares[1]]


def test_legacy_sheet_fits_on_letter_with_the_longest_share() -> None:
    pdf = sheets_pdf("legacy3of4", "letter", rehearsal=True)
    share = share_set("legacy3of4")[1][2]
    assert len(layout_legacy(share).lines) >= 8
    assert legacy_from_text(page_text(pdf, 2)) == share


def test_envelope_label_carries_the_facts_and_nothing_secret() -> None:
    _, shares = share_set("3of4")
    _, other = make_set(3, 4, seed=99)
    fp = "AAAA-BBBB-CCCC"
    page = page_for("a4")
    label_top = page.bottom + ENVELOPE_HEIGHT + CUT_SPACE / 2
    labels = []
    for share in (shares[0], other[0]):
        data = replace(sheet_for(share, 1, 4, 3, "slip39", fp), set_id="01234")
        pdf = render_share_sheet(data)
        labels.append(text_in_box(pdf, 0, 0, 0, page.width, label_top - 1))
    # the label of a different share with the same facts is the same text: nothing from the share
    assert labels[0] == labels[1]
    for fact in (NAMES16[0], "Share 1 of 4", "01234", fp, "v3", "CER-2025-0314-A"):
        assert fact in labels[0]


def test_rehearsal_sheets_are_watermarked_on_every_page() -> None:
    pdf = sheets_pdf("3of4", "a4", rehearsal=True)
    for position in range(page_count(pdf)):
        assert page_text(pdf, position).count(REHEARSAL_TEXT) >= 2  # banner and watermark
    assert REHEARSAL_TEXT not in all_text(sheets_pdf("3of4"))


def test_long_names_are_shrunk_not_run_over_the_secret_box() -> None:
    _, shares = share_set("3of4")
    data = replace(
        sheet_for(shares[0], 1, 4, 3, "slip39", "AAAA-BBBB-CCCC"),
        custodian="Maria-Magdalena Theodora Wolfeschlegelsteinhausen",
    )
    pdf = render_share_sheet(data, "letter")
    assert data.custodian in page_text(pdf)
    assert [canonical(c.text) for c in qr_codes(render(pdf))] == [shares[0]]


def test_refuses_what_does_not_add_up() -> None:
    _, shares = share_set("3of4")
    good = sheet_for(shares[0], 1, 4, 3, "slip39", "AAAA-BBBB-CCCC")
    with pytest.raises(PaperError, match="does not add up"):
        render_share_sheet(replace(good, index=5))
    with pytest.raises(PaperError, match="empty"):
        render_share_sheet(replace(good, share="  "))
    with pytest.raises(PaperError, match="no shares"):
        render_share_sheets([])
    with pytest.raises(PaperError, match="a4 or letter"):
        render_share_sheet(good, "a3")  # type: ignore[arg-type]
    with pytest.raises(PaperError, match="legacy"):
        render_share_sheet(replace(good, scheme="checktick"))


def test_a_typo_in_a_legacy_line_changes_its_check_code() -> None:
    share = share_set("legacy3of4")[1][0]
    line = layout_legacy(share).lines[3]
    for position in range(len(line.digits)):
        typo = "0" if line.digits[position] != "0" else "1"
        changed = line.digits[:position] + typo + line.digits[position + 1 :]
        assert check_code(line.number, changed) != line.check
    assert check_code(line.number + 1, line.digits) != line.check  # a line typed in the wrong place


def record_for(name: str, rehearsal: bool = False) -> tuple[RecordData, bytes, list[str]]:
    t, n, scheme = SETS[name]
    raw, shares = share_set(name)
    vault = bytes(range(64))
    with Secret(raw) as c, Secret(vault) as v:
        prints = keys.fingerprints(c, v)
    names = NAMES16[:n]
    data = RecordData(
        organisation="Example Health Ltd",
        ceremony_id="CER-2025-0314-A",
        kind="genesis",
        started_at="2025-03-14 09:02 UTC",
        ended_at="2025-03-14 11:40 UTC",
        key_version="v3",
        scheme=scheme,
        threshold=t,
        count=n,
        set_id=inspect(shares[0]).set_id,
        attendees=(
            *(Attendee(x, "custodian") for x in names),
            Attendee("Wendy Witness", "witness"),
        ),
        fingerprints=tuple(prints.items()),
        shares=tuple(
            ShareAssignment(i, x, "re-entered, QR scanned") for i, x in enumerate(names, 1)
        ),
        environment=(
            EnvironmentRow("Network", "air-gapped"),
            EnvironmentRow("Camera", "none", "warning"),
        ),
        verification=(VerificationResult("Shares 1-3 rebuild the component", "passed"),),
        bundles=(BundleDigest("install", "ab" * 32),),
        deviations="Started ten minutes late.",
        rehearsal=rehearsal,
    )
    return data, raw, shares


@pytest.mark.parametrize("set_name", list(SETS))
def test_record_holds_every_fact_and_no_secret(set_name: str) -> None:
    data, raw, shares = record_for(set_name)
    pdf = render_record(data)
    text = all_text(pdf)
    needles = SecretNeedles()
    needles.add_component("custodian component", raw)
    for i, share in enumerate(shares, start=1):
        needles.add_share(f"share {i}", share)
    flat = " ".join(text.split())
    assert needles.find_in(flat.encode()) == []
    assert needles.find_in(pdf) == []
    for _, fp in data.fingerprints:
        assert fp in text
    for person in (*data.custodians, *data.witnesses):
        assert person in text
    for fact in (
        "CER-2025-0314-A",
        "Genesis",
        "2025-03-14 09:02 UTC",
        "2025-03-14 11:40 UTC",
        "air-gapped",
        "passed",
        "ab" * 32,
        "Started ten minutes late.",
        "Signature",
    ):
        assert fact in flat
    # one signature row per custodian and the witness, after the "Signatures" heading
    signatures = flat[flat.index("Signatures") :]
    for person in (*data.custodians, *data.witnesses):
        assert person in signatures


def test_rehearsal_record_is_watermarked_on_every_page() -> None:
    data, _, _ = record_for("16of16", rehearsal=True)
    pdf = render_record(data)
    assert page_count(pdf) >= 2
    for position in range(page_count(pdf)):
        assert REHEARSAL_TEXT in page_text(pdf, position)


def test_the_sheet_says_whether_the_set_has_a_passphrase() -> None:
    _, shares = share_set("3of4")
    sheet = sheet_for(shares[0], 1, 4, 3, "slip39", "3F9A-0C1B-77D2")
    plain = " ".join(all_text(render_share_sheet(sheet)).split())  # lines wrap anywhere
    assert "This set has NO passphrase" in plain and "HAS a passphrase" not in plain
    marked = replace(sheet, has_passphrase=True)
    protected = " ".join(all_text(render_share_sheet(marked)).split())
    assert "This set HAS a passphrase" in protected and "NO passphrase" not in protected
