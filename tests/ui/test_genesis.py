"""Genesis 3-of-4 end to end: printed on the cups-pdf queue, every printed share read back."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ceremony import gap
from ceremony.shares import canonical
from tests.cups_support import cups_pdf_out_dir
from tests.pdf_pages import render
from tests.secret_scan import AtRest, SecretNeedles
from tests.ui.driver import TIMEOUT_MS, click, next_page, open_window, start, type_share
from ui import sheets
from ui.pages.print_sheets_page import PrintSheetsPage
from ui.pages.verify_shares_page import VerifySharesPage
from ui.wizard import Wizard

REPO = Path(__file__).resolve().parents[2]
QUEUE = "PDF"
CUSTODIANS = ["Ann, CFO", "Ben, CTO", "Cat, Security", "Dan, Legal"]


@pytest.fixture
def cups_queue(cups: None) -> Path:
    return cups_pdf_out_dir()


def _new_pdf(directory: Path, before: set[Path], timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [p for p in directory.glob("*.pdf") if p not in before and p.stat().st_size > 0]
        if new:
            time.sleep(0.2)  # cups-pdf renames into place; let it finish
            return new[0]
        time.sleep(0.2)
    raise AssertionError(f"cups-pdf wrote nothing new in {directory}")


def _details(qtbot: Any, wizard: Wizard) -> None:
    page: Any = wizard.page
    qtbot.keyClicks(page.organisation, "Example Health Ltd")
    qtbot.keyClicks(page.key_version, "2025-1")
    for line in CUSTODIANS:
        qtbot.keyClicks(page.custodians, line)
        qtbot.keyClick(page.custodians, Qt.Key.Key_Return)
    page.threshold.setFocus()
    qtbot.keyClick(page.threshold, Qt.Key.Key_Up)  # 2 -> 3
    qtbot.keyClicks(page.witness, "Wendy")
    assert page.threshold.value() == 3


def test_genesis_3_of_4_printed_and_every_share_read_back(
    qtbot: Any,
    air_gapped: Any,
    cups_queue: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    at_rest: AtRest,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # A practice Vault's request: cups-pdf is refused in a real ceremony, so this is a
    # rehearsal, and a rehearsal answers only a practice Vault.
    request, private_key = gap.new_request(
        "install", {}, "2025-1", timedelta(hours=1), rehearsal=True
    )
    private_key.wipe()
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "genesis")
    assert wizard.step_title() == "Step 1 of 14: Who is here and what we make"
    _details(qtbot, wizard)
    next_page(qtbot, wizard, "Step 3 of 14: Check this computer")
    next_page(qtbot, wizard, "The request from the Vault side")
    qtbot.keyClicks(wizard.page.code, request.typed_code())  # type: ignore[attr-defined]
    next_page(qtbot, wizard, "What you are asked to do")
    click(qtbot, wizard.page.match)  # type: ignore[attr-defined]
    next_page(qtbot, wizard, "Add your own randomness")
    qtbot.keyClicks(wizard.page.field, "4 2 6 6 1 3 5")  # type: ignore[attr-defined]
    click(qtbot, wizard.page.add_button)  # type: ignore[attr-defined]
    next_page(qtbot, wizard, "Check everything before the key is made")
    assert wizard.next_button.text() == "&Make the key"
    summary = wizard.page
    needed = summary.findChild(QLabel, "summary_shares_needed")
    custodians = summary.findChild(QLabel, "summary_custodians")
    assert needed is not None and custodians is not None
    assert "any 3 of 4" in needed.text()
    assert "Dan (Legal)" in custodians.text()
    next_page(qtbot, wizard, "Make the key and the shares")
    qtbot.waitUntil(lambda: bool(wizard.context.shares), timeout=TIMEOUT_MS)
    fingerprint = wizard.context.fingerprints["custodian"]
    needles = SecretNeedles()
    assert wizard.context.genesis is not None
    needles.add_component("custodian component", wizard.context.genesis.custodian.reveal())
    needles.add_component("vault component", wizard.context.genesis.vault.reveal())
    assert fingerprint in wizard.page.fingerprint.text()  # type: ignore[attr-defined]

    next_page(qtbot, wizard, "Print each custodian's share sheet")
    printer: PrintSheetsPage = wizard.page  # type: ignore[assignment]
    qtbot.waitUntil(lambda: not printer.busy(), timeout=TIMEOUT_MS)
    assert printer.printer.select(QUEUE)
    printed: dict[int, Path] = {}
    for index, line in enumerate(CUSTODIANS, 1):
        name = line.split(",")[0]
        assert printer.who.text() == f"{name} ({index} of 4), step up to the printer."
        before = set(cups_queue.glob("*.pdf"))
        click(qtbot, printer.print_button)
        qtbot.waitUntil(lambda i=index: printer.awaiting == i, timeout=120_000)
        assert printer.question.text() == f"Is {name}'s sheet complete and legible?"
        assert not wizard.next_button.isEnabled() and index not in wizard.context.printed
        printed[index] = _new_pdf(cups_queue, before)
        if index == 2:  # Ben's sheet came out smudged: reprint it
            printed[index].unlink()
            before = set(cups_queue.glob("*.pdf"))
            click(qtbot, printer.reprint_button)
            qtbot.waitUntil(lambda i=index: printer.awaiting == i, timeout=120_000)
            printed[index] = _new_pdf(cups_queue, before)
        click(qtbot, printer.yes_button)
        assert index in wizard.context.printed
    shares = {i: wizard.context.share_text(i) for i in printed}
    for i, share in shares.items():
        needles.add_share(f"share {i}", share)

    next_page(qtbot, wizard, "Read every sheet back")
    verify: VerifySharesPage = wizard.page  # type: ignore[assignment]
    for index, pdf in printed.items():
        picture = tmp_path / f"scan-{index}.png"
        render(pdf.read_bytes(), 0, dpi=150).save(picture)
        monkeypatch.setattr("ui.dialogs.ask_open_image", lambda *_a, p=picture: p)
        click(qtbot, verify.entry.image_button)  # a picture of the printed page
        qtbot.waitUntil(lambda: verify.entry.info() is not None, timeout=TIMEOUT_MS)
        assert canonical(verify.entry.text()) == canonical(shares[index])
        if index % 2 == 0:  # the even ones are typed in as well, word by word
            verify.entry.clear_secret()
            type_share(qtbot, verify.entry, shares[index])
        click(qtbot, verify.check_button)
        assert index in wizard.context.verified, verify.result.text()
    assert verify.progress.text() == "Verified: 4 of 4."
    how = {1: "QR scanned", 2: "typed words", 3: "QR scanned", 4: "typed words"}
    assert wizard.context.verified == how  # kept by the core's GenesisKeys

    next_page(qtbot, wizard, "Seal the answer for Vault")
    bundle_file = tmp_path / "install.bundle"
    monkeypatch.setattr("ui.dialogs.ask_save_path", lambda *a: bundle_file)
    bundle_page: Any = wizard.page
    qtbot.waitUntil(lambda: not bundle_page.busy(), timeout=TIMEOUT_MS)
    assert not wizard.next_button.isEnabled()  # sealed, but not yet out of this computer
    click(qtbot, bundle_page.save_button)
    assert wizard.next_button.isEnabled() and bundle_page.verified == "file read back"
    export = tmp_path / "export.pdf"
    bundle_page.save_export(export)  # the second copy, on paper (here: its PDF)
    qtbot.waitUntil(lambda: not bundle_page.busy(), timeout=TIMEOUT_MS)
    assert export.read_bytes().startswith(b"%PDF")
    bundle = gap.parse_bundle(bundle_file.read_bytes())
    assert bundle.operation == "install"
    assert bundle.header.fingerprints["custodian"] == fingerprint
    data = sheets.record_data(wizard.context)
    assert data.kind == "genesis" and data.threshold == 3 and data.count == 4
    assert [(a.index, a.custodian, a.verified) for a in data.shares] == [
        (i, line.split(",")[0], how[i]) for i, line in enumerate(CUSTODIANS, 1)
    ]
    rows = [(v.what, v.outcome, v.detail) for v in data.verification]
    assert ("Sheet of Ben (share 2)", "printed", f"printed on {QUEUE}; 1 reprint") in rows
    assert ("Sheet of Ann (share 1)", "printed", f"printed on {QUEUE}; no reprint") in rows
    assert ("Share 2 (Ben) read back from paper", "passed", "typed words") in rows
    assert data.bundles[0].sha256 == gap.bundle_digest(bundle)

    next_page(qtbot, wizard, "Print the ceremony record")
    record_page: Any = wizard.page
    qtbot.waitUntil(lambda: not record_page.busy(), timeout=TIMEOUT_MS)
    assert record_page.printer.select(QUEUE)
    before = set(cups_queue.glob("*.pdf"))
    click(qtbot, record_page.print_button)
    qtbot.waitUntil(lambda: record_page.done, timeout=120_000)
    record = _new_pdf(cups_queue, before)
    assert record.read_bytes().startswith(b"%PDF")
    record.unlink()
    next_page(qtbot, wizard, "Done")
    next_page(qtbot, wizard)
    assert wizard.closed and window.wizard is None
    assert not wizard.context.holds_secrets()
    for pdf in printed.values():
        pdf.unlink()  # printed shares do not stay on this disk

    # Secrets at rest: nothing but the test's own photos of the sheets holds a secret.
    pictures = list(tmp_path.glob("scan-*.png"))
    assert at_rest.leftovers(needles, allowed=pictures) == {}
    out, err = capfd.readouterr()
    assert needles.find_in((out + err).encode()) == []
