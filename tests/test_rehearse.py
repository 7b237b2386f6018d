"""`ceremony rehearse`: a throwaway genesis whose written output really rebuilds the key."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from ceremony import keys
from ceremony.errors import CeremonyError
from ceremony.operations.rehearsal import RehearsalPlan, read_shares_file, run_rehearsal
from ceremony.paper import REHEARSAL_TEXT, EnvironmentRow
from ceremony.shares import canonical, combine
from tests.cli import run_ceremony
from tests.pdf_pages import all_text, page_count, page_text, qr_codes, render
from tests.secret_scan import SecretNeedles

FINGERPRINT = re.compile(r"custodian fingerprint:\s+([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})")


@pytest.mark.parametrize(("paper", "scheme"), [("a4", "slip39"), ("letter", "checktick")])
def test_rehearse_command_writes_sheets_record_and_shares_that_rebuild(
    tmp_path: Path, paper: str, scheme: str
) -> None:
    out = tmp_path / "rehearsal"
    done = run_ceremony(
        "rehearse",
        "--out",
        str(out),
        "--custodians",
        "Ann,Ben,Cat,Dan",
        "--threshold",
        "3",
        "--paper",
        paper,
        "--format",
        scheme,
    )
    assert done.returncode == 0, done.stderr
    assert REHEARSAL_TEXT in done.stdout

    shares_file = out / "shares.txt"
    for name in ("share-sheets.pdf", "ceremony-record.pdf", "shares.txt"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert REHEARSAL_TEXT in shares_file.read_text()
    shares = read_shares_file(shares_file)
    assert len(shares) == 4

    printed_fp = FINGERPRINT.search(done.stdout)
    assert printed_fp
    with combine(shares[1:]) as rebuilt:
        assert keys.fingerprint(rebuilt, "custodian") == printed_fp.group(1)
        component = rebuilt.reveal()

    needles = SecretNeedles()
    needles.add_component("component", component)
    for i, share in enumerate(shares, start=1):
        needles.add_share(f"share {i}", share)
    assert needles.find_in(done.stdout.encode() + done.stderr.encode()) == []

    sheets = (out / "share-sheets.pdf").read_bytes()
    assert page_count(sheets) == 4
    for i, share in enumerate(shares):
        assert [canonical(c.text) for c in qr_codes(render(sheets, i))] == [share]
        assert REHEARSAL_TEXT in page_text(sheets, i)

    record = (out / "ceremony-record.pdf").read_bytes()
    text = all_text(record)
    for i in range(page_count(record)):
        assert REHEARSAL_TEXT in page_text(record, i)
    assert printed_fp.group(1) in text
    assert "passed" in text
    assert needles.find_in(" ".join(text.split()).encode()) == []


def test_rehearsal_library_call_reports_what_it_checked(tmp_path: Path) -> None:
    plan = RehearsalPlan(custodians=tuple(f"C{i}" for i in range(1, 7)), threshold=4)
    result = run_rehearsal(tmp_path / "out", plan, environment=[EnvironmentRow("Network", "up")])
    assert result.checked_subsets
    assert all(len(s) == 4 for s in result.checked_subsets)
    assert set(result.fingerprints) == {"custodian", "vault", "platform"}
    with combine(read_shares_file(result.shares_file)[2:]) as rebuilt:
        assert keys.fingerprint(rebuilt, "custodian") == result.fingerprints["custodian"]


def test_rehearsal_never_overwrites_an_earlier_one(tmp_path: Path) -> None:
    first = run_ceremony("rehearse", "--out", str(tmp_path))
    assert first.returncode == 0, first.stderr
    before = (tmp_path / "shares.txt").read_bytes()
    again = run_ceremony("rehearse", "--out", str(tmp_path))
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert (tmp_path / "shares.txt").read_bytes() == before


@pytest.mark.parametrize(
    ("custodians", "threshold", "message"),
    [
        ("Ann,Ben", 3, "threshold must be between 2 and the number of custodians"),
        ("Ann,Ann,Ben", 2, "same name"),
        ("Ann,,Ben", 2, "name is empty"),
    ],
)
def test_rehearsal_plans_that_do_not_add_up_are_refused(
    tmp_path: Path, custodians: str, threshold: int, message: str
) -> None:
    with pytest.raises(CeremonyError, match=message):
        run_rehearsal(tmp_path, RehearsalPlan(tuple(custodians.split(",")), threshold))
    assert list(tmp_path.iterdir()) == []
