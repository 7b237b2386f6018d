"""The real print path: CUPS with a cups-pdf queue, from memory to a PDF we read back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ceremony import keys
from ceremony.errors import PrintError
from ceremony.paper import SheetData, render_record, render_share_sheet
from ceremony.printers import cups as printing
from ceremony.shares import canonical, inspect
from tests.cups_support import QUEUE, _lp, cups_pdf_out_dir, wait_for_output
from tests.pdf_pages import qr_codes, render
from tests.secret_scan import SecretNeedles, scan
from tests.sharesets import make_set
from tests.test_paper import record_for

pytestmark = pytest.mark.cups

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


@pytest.fixture
def scratch_queue(cups: None) -> Iterator[str]:
    """A throwaway cups-pdf queue that holds every job, for the failure paths."""
    if os.getuid() != 0:
        pytest.skip("creating a test queue needs root")
    name = f"ceremony-test-{os.getpid()}"
    done = _lp(
        "lpadmin",
        "-p",
        name,
        "-E",
        "-v",
        "cups-pdf:/",
        "-P",
        str(PPD),
        "-o",
        "job-hold-until-default=indefinite",
    )
    assert done.returncode == 0, done.stderr
    try:
        yield name
    finally:
        _lp("cancel", "-a", name)
        _lp("lpadmin", "-x", name)


def test_a_share_sheet_prints_and_its_qr_reads_back(cups: None) -> None:
    component, shares = make_set(3, 4, seed=4242)
    share = shares[1]
    sheet = SheetData(
        organisation="Print Test Ltd",
        custodian="Ben",
        index=2,
        count=4,
        threshold=3,
        set_id=inspect(share).set_id,
        key_version="v1",
        ceremony_id="PRINT-TEST",
        date="2025-03-14",
        fingerprint=keys.fingerprint(component, "custodian"),
        share=share,
    )
    pdf = render_share_sheet(sheet)
    seen: list[printing.PrintProgress] = []
    job_id = printing.print_pdf(pdf, QUEUE, title="print test", progress=seen.append, timeout=120)

    assert seen[0].state == "submitted" and seen[-1].state == "completed"
    assert printing.job_state(job_id, QUEUE).state == "completed"
    printed = wait_for_output(cups_pdf_out_dir(), job_id)
    try:
        codes = qr_codes(render(printed.read_bytes(), 0, dpi=150))
        assert [canonical(c.text) for c in codes] == [share]
    finally:
        printed.unlink()

    needles = SecretNeedles()
    # from word 6 on: words 1-5 are mostly set metadata that other test sets share
    needles.add_share("printed share", " ".join(share.split()[5:]))
    needles.add_component("component", component.reveal())
    roots = {Path("/tmp"), Path(os.environ.get("TMPDIR", "/tmp"))}
    assert scan(roots, needles) == {}


def test_the_record_prints_too(cups: None) -> None:
    data, _, _ = record_for("3of4")
    job_id = printing.print_pdf(render_record(data), QUEUE, title="record test", timeout=120)
    wait_for_output(cups_pdf_out_dir(), job_id).unlink()


def test_queues_are_listed(cups: None) -> None:
    queue = next(q for q in printing.list_queues() if q.name == QUEUE)
    assert queue.ready and queue.enabled and queue.accepting


def test_a_missing_queue_is_a_clear_error(cups: None) -> None:
    with pytest.raises(PrintError, match="There is no printer called 'No-Such-Printer'"):
        printing.print_pdf(b"%PDF-1.4\n", "No-Such-Printer")


def test_a_stopped_scheduler_is_a_clear_error(
    cups: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-scheduler.sock"))
    with pytest.raises(PrintError, match="CUPS scheduler\\) is not running"):
        printing.print_pdf(b"%PDF-1.4\n", QUEUE)
    with pytest.raises(PrintError, match="not running"):
        printing.list_queues()


def test_only_pdf_is_sent(cups: None) -> None:
    with pytest.raises(PrintError, match="Only PDF"):
        printing.print_pdf(b"hello", QUEUE)


def test_a_disabled_queue_refuses_before_sending(scratch_queue: str) -> None:
    assert _lp("cupsdisable", "-r", "out of paper", scratch_queue).returncode == 0
    with pytest.raises(PrintError, match="is stopped \\(out of paper\\)"):
        printing.print_pdf(render_record(record_for("3of4")[0]), scratch_queue)


def test_a_job_that_never_finishes_times_out_and_is_cancelled(scratch_queue: str) -> None:
    pdf = render_record(record_for("3of4")[0])
    seen: list[printing.PrintProgress] = []
    with pytest.raises(
        PrintError, match=r"did not finish within 1 seconds and was cancelled\. It is held"
    ):
        printing.print_pdf(pdf, scratch_queue, timeout=1, poll_interval=0.2, progress=seen.append)
    job_id = seen[0].job_id
    assert [p.state for p in seen] == ["submitted", "held"]
    assert printing.job_state(job_id, scratch_queue).state == "canceled"


def test_a_printer_stopped_while_waiting_cancels_the_job(scratch_queue: str) -> None:
    job_id = printing.submit(render_record(record_for("3of4")[0]), scratch_queue, "stop test")
    assert _lp("cupsdisable", "-r", "paper jam", scratch_queue).returncode == 0
    with pytest.raises(PrintError, match=r"stopped \(paper jam\); job .* was cancelled"):
        printing.wait_for_job(job_id, scratch_queue, timeout=30, poll_interval=0.2)
    assert printing.job_state(job_id, scratch_queue).state == "canceled"


def test_a_cancelled_job_is_reported(scratch_queue: str) -> None:
    job_id = printing.submit(render_record(record_for("3of4")[0]), scratch_queue, "cancel test")
    assert _lp("cancel", job_id).returncode == 0
    with pytest.raises(PrintError, match=f"Job {job_id} on '{scratch_queue}' was canceled"):
        printing.wait_for_job(job_id, scratch_queue, timeout=30, poll_interval=0.2)
