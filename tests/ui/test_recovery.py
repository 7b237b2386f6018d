"""Recovery wizard end to end: legacy shares, bad shares refused mid-session, too few shares."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from ceremony import gap, keys
from ceremony.secret import Secret
from ceremony.shares import split
from tests.paths import data_file
from tests.secret_scan import AtRest, SecretNeedles, pdf_text
from tests.ui.driver import (
    cancel_and_wipe,
    click,
    next_page,
    open_window,
    start,
    type_fingerprint,
    type_share,
)
from tests.ui.requests import UI_EMAIL, RequestMaker, answerable
from ui.pages.collect_shares_page import CollectSharesPage
from ui.wizard import Wizard

VECTORS = data_file("checktick_legacy_vectors.json")


def _request(operation: gap.Operation, component: Secret, **params: str) -> RequestMaker:
    return answerable(operation, component, rehearsal=False, **params)


def _to_shares_page(
    qtbot: Any, wizard: Wizard, request: gap.Request | RequestMaker
) -> CollectSharesPage:
    if wizard.context.kind == "recovery":  # three crossings: the room's session code first
        next_page(qtbot, wizard, "This room's session code")
        assert wizard.context.session_code is not None
        code = wizard.context.session_code.typed_code()
        assert code in page_text(wizard)
    next_page(qtbot, wizard, "The request from the Vault side")
    if not isinstance(request, gap.Request):
        request = request(wizard.context.session_code)
    page = wizard.page
    qtbot.keyClicks(page.code, request.typed_code())  # type: ignore[attr-defined]
    assert wizard.context.request is not None
    next_page(qtbot, wizard, "What you are asked to do")
    assert "   ".join(w.upper() for w in request.check_words()) in page_text(wizard)
    click(qtbot, wizard.page.match)  # type: ignore[attr-defined]
    next_page(qtbot, wizard, "Each custodian enters a share")
    assert isinstance(wizard.page, CollectSharesPage)
    return wizard.page


def page_text(wizard: Wizard) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in wizard.page.findChildren(QLabel))


def _enter(qtbot: Any, page: CollectSharesPage, share: str, typed: bool = True) -> None:
    if page.entry.text():
        click(qtbot, page.entry.clear_button)  # a refused share stays until cleared
    if typed:
        type_share(qtbot, page.entry, share)
    else:
        if not page.entry.is_legacy():
            click(qtbot, page.entry.legacy)
        qtbot.keyClicks(page.entry.field, share)
    click(qtbot, page.add_button)


def _drill_answer(
    qtbot: Any, wizard: Wizard, fingerprint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a full share page: the rebuilt key has ``fingerprint``, and the answer is a verify."""
    next_page(qtbot, wizard, "Check the key's fingerprint")
    qtbot.waitUntil(lambda: wizard.context.component is not None, timeout=60_000)
    assert wizard.context.fingerprints["custodian"] == fingerprint
    bundle = gap.parse_bundle(_finish(qtbot, wizard, tmp_path, monkeypatch))
    assert bundle.operation == "verify"


def _finish(
    qtbot: Any,
    wizard: Wizard,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: list[str] | None = None,
) -> bytes:
    type_fingerprint(qtbot, wizard, wizard.context.fingerprints["custodian"])
    next_page(qtbot, wizard, "Check what will be released")
    review: Any = wizard.page
    qtbot.waitUntil(lambda: review.approve.isVisible(), timeout=60_000)
    assert not wizard.next_button.isEnabled()  # nothing is sealed before the custodians approve
    for detail in shown or []:  # e.g. the escrowed e-mail and the ticket, for the quorum
        assert detail in page_text(wizard)
    click(qtbot, review.approve)
    next_page(qtbot, wizard, "Custodians confirm")
    confirm = wizard.page
    for n, (name, tick) in enumerate(confirm.rows):  # type: ignore[attr-defined]
        qtbot.keyClicks(name, f"Custodian {n + 1}")
        click(qtbot, tick)
    qtbot.keyClicks(confirm.witness, "Wendy")  # type: ignore[attr-defined]
    qtbot.keyClicks(confirm.organisation, "Example Health Ltd")  # type: ignore[attr-defined]
    next_page(qtbot, wizard, "Seal the answer for Vault")
    bundle_file = tmp_path / "answer.bundle"
    monkeypatch.setattr("ui.dialogs.ask_save_path", lambda *a: bundle_file)
    qtbot.waitUntil(lambda: wizard.page.save_button.isEnabled(), timeout=60_000)  # type: ignore[attr-defined]
    click(qtbot, wizard.page.save_button)  # type: ignore[attr-defined]
    next_page(qtbot, wizard, "Print the ceremony record")
    record_file = tmp_path / "record.pdf"
    monkeypatch.setattr("ui.dialogs.ask_save_path", lambda *a: record_file)
    click(qtbot, wizard.page.save_button)  # type: ignore[attr-defined]
    next_page(qtbot, wizard, "Done")
    assert not wizard.context.holds_secrets()
    next_page(qtbot, wizard)
    assert wizard.closed
    assert record_file.read_bytes().startswith(b"%PDF")
    record_text = pdf_text(record_file.read_bytes()).upper()
    assert "EXAMPLE HEALTH LTD" in record_text and "WENDY" in record_text
    return bundle_file.read_bytes()


def test_recovery_from_legacy_checktick_shares(
    qtbot: Any,
    air_gapped: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    at_rest: AtRest,
    capfd: pytest.CaptureFixture[str],
) -> None:
    vector = json.loads(VECTORS.read_text())["vectors"][0]
    shares = vector["shares"]
    shares = ast.literal_eval(shares) if isinstance(shares, str) else shares
    threshold = int(vector["threshold"])
    expected = keys.fingerprint(Secret(bytes.fromhex(vector["secret_hex"])), "custodian")

    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "recovery")
    with Secret(bytes.fromhex(vector["secret_hex"])) as component:
        request = _request("recover-escrow", component, user="42", survey="7", ticket="RT-9")
        page = _to_shares_page(qtbot, wizard, request)
    for share in shares[:threshold]:
        _enter(qtbot, page, share, typed=False)
    assert wizard.next_button.isEnabled(), page.message.text()
    next_page(qtbot, wizard, "Check the key's fingerprint")
    qtbot.waitUntil(lambda: wizard.context.component is not None, timeout=60_000)
    assert wizard.context.fingerprints["custodian"] == expected
    bundle = gap.parse_bundle(
        _finish(qtbot, wizard, tmp_path, monkeypatch, shown=[UI_EMAIL, "RT-9"])
    )
    assert bundle.header.fingerprints["custodian"] == expected
    assert bundle.operation == "recover-escrow"
    assert wizard.context.session_key is not None and wizard.context.session_key.wiped

    # Secrets at rest: the component and the shares are nowhere on disk or in the output.
    needles = SecretNeedles()
    needles.add_component("component", bytes.fromhex(vector["secret_hex"]))
    for i, share in enumerate(shares):
        needles.add_share(f"share {i + 1}", share)
    assert at_rest.leftovers(needles) == {}
    out, err = capfd.readouterr()
    assert needles.find_in((out + err).encode()) == []


def test_a_wrong_word_and_a_share_of_another_set_are_refused_and_the_session_goes_on(
    qtbot: Any, air_gapped: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    component = keys.new_component()
    good = split(component, 3, 4)
    fingerprint = keys.fingerprint(component, "custodian")
    with keys.new_component() as other:
        stranger = split(other, 3, 4)[2]
    words = good[1].split()
    words[20] = "acid" if words[20] != "acid" else "acne"
    mistyped = " ".join(words)

    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "drill")
    page = _to_shares_page(qtbot, wizard, _request("verify", component))
    _enter(qtbot, page, good[0])
    assert page.progress.text() == "1 of 3 shares entered"
    _enter(qtbot, page, mistyped)
    # privacy is on in a real ceremony: the suspect word is named, the suggestion not shown
    assert "Word 21 looks wrong" in page.message.text()
    assert good[1].split()[20] not in page.message.text()
    _enter(qtbot, page, stranger)
    assert "another set" in page.message.text()
    assert page.progress.text() == "1 of 3 shares entered"
    assert page.entry.text() == stranger  # a refused share stays on screen, to correct
    _enter(qtbot, page, good[1])
    assert page.progress.text() == "2 of 3 shares entered"
    assert not wizard.next_button.isEnabled()
    _enter(qtbot, page, good[3])
    assert page.progress.text() == "3 of 3 shares entered"
    _drill_answer(qtbot, wizard, fingerprint, tmp_path, monkeypatch)


def test_too_few_shares_cannot_go_on(qtbot: Any, air_gapped: Any) -> None:
    with keys.new_component() as component:
        shares = split(component, 3, 5)
        window = open_window(qtbot, air_gapped)
        wizard = start(qtbot, window, "drill")
        page = _to_shares_page(qtbot, wizard, _request("verify", component))
    _enter(qtbot, page, shares[4])
    _enter(qtbot, page, shares[2])
    assert page.progress.text() == "2 of 3 shares entered"
    assert "Next custodian (3 of 3)" in page.turn.text()
    assert not wizard.next_button.isEnabled()
    cancel_and_wipe(qtbot, wizard)
    assert wizard.closed and window.wizard is None
    assert not wizard.context.holds_secrets()


def test_a_drill_refuses_a_request_for_another_operation(qtbot: Any, air_gapped: Any) -> None:
    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "drill")
    next_page(qtbot, wizard, "The request from the Vault side")
    session, key = gap.new_session()
    key.wipe()
    with keys.new_component() as component:
        request = _request("recover-escrow", component, user="1", survey="2")(session)
    qtbot.keyClicks(wizard.page.code, request.qr_payload())  # type: ignore[attr-defined]
    message = wizard.page.message.text()  # type: ignore[attr-defined]
    assert message.startswith("This request is for an individual recovery, but this ceremony")
    assert "answers a recovery drill" in message
    assert not wizard.next_button.isEnabled()


def test_a_rehearsal_refuses_a_production_request_unopened(qtbot: Any, air_gapped: Any) -> None:
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "recovery")
    next_page(qtbot, wizard, "This room's session code")
    next_page(qtbot, wizard, "The request from the Vault side")
    with keys.new_component() as component:
        request = _request("recover-escrow", component, user="1", survey="2")(
            wizard.context.session_code
        )
    qtbot.keyClicks(wizard.page.code, request.qr_payload())  # type: ignore[attr-defined]
    assert "production Vault" in wizard.page.message.text()  # type: ignore[attr-defined]
    assert wizard.context.request is None and not wizard.next_button.isEnabled()


def test_a_group_backup_reports_progress_per_group_and_what_is_missing(
    qtbot: Any, air_gapped: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceremony.shares import SharePolicy, parse_group, split_policy

    policy = SharePolicy((parse_group("Board=Ann,Ben,Cat:2"), parse_group("Legal=Hal:1")), 2)
    component = keys.new_component()
    board_ann, board_ben, board_cat, legal_hal = split_policy(component, policy)
    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "drill")
    page = _to_shares_page(qtbot, wizard, _request("verify", component))
    _enter(qtbot, page, board_ann)
    # Shares carry group numbers, not names (those are on the sheets and the record).
    assert page.progress.text() == "Group 1: 1 of 2 · Group 2: 0 entered · 2 more groups needed"
    assert "Still needed: 2 more complete groups" in page.turn.text()
    _enter(qtbot, page, board_ann)  # a duplicate is refused and the good share kept
    assert "already" in page.message.text()
    _enter(qtbot, page, board_cat)
    assert page.progress.text().startswith("Group 1: 2 of 2 ✓ · Group 2: 0 entered")
    _enter(qtbot, page, board_ben)  # an over-full group is refused in one sentence
    assert "already has the 2 shares it needs" in page.message.text()
    assert not wizard.next_button.isEnabled()
    _enter(qtbot, page, legal_hal)
    assert "enough groups to rebuild the key" in page.progress.text()
    _drill_answer(qtbot, wizard, keys.fingerprint(component, "custodian"), tmp_path, monkeypatch)


def test_a_drill_with_a_32_byte_component_of_a_later_key_version(
    qtbot: Any, air_gapped: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    component = keys.new_component(length=32)  # CheckTick key versions v2 and later
    shares = split(component, 2, 3)
    assert len(shares[0].split()) == 33
    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "drill")
    page = _to_shares_page(qtbot, wizard, _request("verify", component))
    _enter(qtbot, page, shares[2])
    _enter(qtbot, page, shares[0])
    _drill_answer(qtbot, wizard, keys.fingerprint(component, "custodian"), tmp_path, monkeypatch)


def test_legacy_shares_typed_with_their_check_letters_name_the_line_of_a_typo(
    qtbot: Any, air_gapped: Any
) -> None:
    from ceremony.paper.legacy_lines import layout_legacy
    from ceremony.shares.line_checks import check_code

    vector = json.loads(VECTORS.read_text())["vectors"][0]
    shares = vector["shares"]
    shares = ast.literal_eval(shares) if isinstance(shares, str) else shares

    def as_on_paper(share: str, typo_line: int | None = None) -> str:
        layout = layout_legacy(share)
        parts = [layout.prefix]
        for line in layout.lines:
            digits = line.digits
            if line.number == typo_line:  # one digit misread on this line
                digits = ("1" if digits[0] != "1" else "2") + digits[1:]
            parts.append(f"{line.number}. {digits} {check_code(line.number, line.digits)}")
        return " ".join(parts)

    with Secret(bytes.fromhex(vector["secret_hex"])) as component:
        window = open_window(qtbot, air_gapped)
        wizard = start(qtbot, window, "drill")
        page = _to_shares_page(qtbot, wizard, _request("verify", component))
    _enter(qtbot, page, as_on_paper(shares[0], typo_line=7), typed=False)
    assert "Line 7 does not match its check letters" in page.message.text()
    assert not page.state().indices
    _enter(qtbot, page, as_on_paper(shares[0]), typed=False)
    assert len(page.state().indices) == 1
