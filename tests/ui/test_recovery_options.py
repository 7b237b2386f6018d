"""Recovery options: a SLIP-39 passphrase, the expected fingerprint, legacy shares' threshold."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from ceremony import keys
from ceremony.secret import Secret
from ceremony.shares import split
from ceremony.shares.session import RecoverySession
from tests.ui.driver import (
    TIMEOUT_MS,
    cancel_and_wipe,
    click,
    focus_of,
    next_page,
    open_window,
    start,
    type_fingerprint,
)
from tests.ui.test_recovery import VECTORS, _enter, _request, _to_shares_page
from ui import sheets
from ui.pages.collect_shares_page import CollectSharesPage
from ui.wizard import Wizard


def _rebuild(qtbot: Any, wizard: Wizard) -> Any:
    """Next to the fingerprint page and wait for the core's answer."""
    next_page(qtbot, wizard, "Check the key's fingerprint")
    page: Any = wizard.page
    qtbot.waitUntil(lambda: not page.busy(), timeout=TIMEOUT_MS)
    return page


def _back_to_shares(qtbot: Any, wizard: Wizard) -> CollectSharesPage:
    click(qtbot, wizard.back_button)
    assert isinstance(wizard.page, CollectSharesPage)
    return wizard.page


def test_a_wrong_passphrase_is_refused_by_the_fingerprint_and_the_right_one_recovers(
    qtbot: Any, air_gapped: Any
) -> None:
    component = keys.new_component()
    shares = split(component, 2, 3, passphrase=b"blue heron")
    fingerprint = keys.fingerprint(component, "custodian")
    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "drill")
    page = _to_shares_page(qtbot, wizard, _request("verify", component))
    assert not page.legacy_note.isVisible()
    assert not page.passphrase.isVisible()  # no field to type share words into by mistake
    assert focus_of(page) is page.holder  # the keyboard starts at the custodian's name
    click(qtbot, page.has_passphrase)
    assert page.passphrase.isVisible() and focus_of(page) is page.passphrase
    qtbot.keyClicks(page.passphrase, "blue herom")  # one letter off
    assert page.passphrase.echoMode() == page.passphrase.EchoMode.Password
    qtbot.keyClicks(page.expected, fingerprint)
    _enter(qtbot, page, shares[0])
    assert page.passphrase.text() == "" and not page.passphrase.isEnabled()  # the core holds it
    _enter(qtbot, page, shares[2])

    refused = _rebuild(qtbot, wizard)
    assert wizard.context.component is None and not wizard.next_button.isEnabled()
    assert f"not the expected {fingerprint}" in refused.status.text()
    assert "wrong passphrase" in refused.status.text()

    page = _back_to_shares(qtbot, wizard)
    click(qtbot, page.restart_button)
    click(qtbot, page.drop_button)  # it asks first
    assert wizard.context.session is None and page.passphrase.isEnabled()
    qtbot.keyClicks(page.passphrase, "blue heron")
    _enter(qtbot, page, shares[1])
    _enter(qtbot, page, shares[2])
    _rebuild(qtbot, wizard)
    assert wizard.context.fingerprints["custodian"] == fingerprint
    rows = {(v.what, v.outcome) for v in wizard.context.verification}
    assert ("Rebuilding the component from the shares", "refused") in rows
    assert ("Fingerprint from the last ceremony record", "matched") in rows
    cancel_and_wipe(qtbot, wizard)
    assert not wizard.context.holds_secrets()


def _legacy_vector() -> tuple[list[str], Secret]:
    vector = json.loads(VECTORS.read_text())["vectors"][0]
    shares = vector["shares"]
    shares = ast.literal_eval(shares) if isinstance(shares, str) else shares
    assert int(vector["threshold"]) == 3
    by_index = sorted(shares, key=lambda s: int(s.split("-")[1]))
    return by_index, Secret(bytes.fromhex(vector["secret_hex"]))


def _typo_in_last_digit(share: str) -> str:
    last = share[-1]
    return share[:-1] + ("e" if last == "f" else format(int(last, 16) + 1, "x"))


def test_legacy_typo_at_exactly_the_threshold_is_caught_by_the_expected_fingerprint(
    qtbot: Any, air_gapped: Any, tmp_path: Path
) -> None:
    shares, secret = _legacy_vector()
    expected = keys.fingerprint(secret, "custodian")
    typo = _typo_in_last_digit(shares[2])
    # Why the field matters: without it, these three shares rebuild a wrong key quietly.
    quiet = RecoverySession(legacy_threshold=3)
    for share in (shares[0], shares[1], typo):
        assert quiet.add(share).accepted
    with quiet.recover() as wrong:
        assert keys.fingerprint(wrong, "custodian") != expected
    quiet.wipe()

    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "recovery")
    with Secret(secret.reveal()) as component:
        request = _request("recover-escrow", component, user="42", survey="7")
        page = _to_shares_page(qtbot, wizard, request)
    assert not page.legacy_note.isVisible()
    assert not page.legacy_threshold.isVisible()
    qtbot.keyClicks(page.expected, expected)
    _enter(qtbot, page, shares[0], typed=False)
    assert page.legacy_note.isVisible() and page.legacy_threshold.isVisible()
    assert "typo in the last digits" in page.legacy_note.text()
    assert not page.passphrase.isVisible()  # SLIP-39 only
    page.legacy_threshold.setFocus()
    for _ in range(3):
        qtbot.keyClick(page.legacy_threshold, Qt.Key.Key_Up)
    assert wizard.context.session is not None and wizard.context.session.legacy_threshold == 3
    _enter(qtbot, page, shares[1], typed=False)
    _enter(qtbot, page, typo, typed=False)
    assert page.progress.text() == "3 of 3 shares entered"

    refused = _rebuild(qtbot, wizard)
    assert wizard.context.component is None
    assert f"not the expected {expected}" in refused.status.text()

    page = _back_to_shares(qtbot, wizard)
    click(qtbot, page.restart_button)
    click(qtbot, page.drop_button)  # it asks first
    for share in shares[:3]:
        _enter(qtbot, page, share, typed=False)
    _rebuild(qtbot, wizard)
    assert wizard.context.fingerprints["custodian"] == expected
    type_fingerprint(qtbot, wizard, expected)
    next_page(qtbot, wizard, "Check what will be released")
    review: Any = wizard.page
    qtbot.waitUntil(lambda: review.approve.isVisible(), timeout=TIMEOUT_MS)
    click(qtbot, review.approve)
    next_page(qtbot, wizard, "Custodians confirm")
    record = sheets.record_data(wizard.context)
    assert record.kind == "recovery" and record.scheme == "checktick"
    assert [s.index for s in record.shares] == [1, 2, 3]
    assert record.fingerprints == (("custodian", expected),)
    cancel_and_wipe(qtbot, wizard)
    assert not wizard.context.holds_secrets()


def test_the_request_brings_the_registered_fingerprint(qtbot: Any, air_gapped: Any) -> None:
    """Vault's registered fingerprint arrives with the request: nobody has to type it."""
    component = keys.new_component()
    shares = split(component, 2, 3)
    fingerprint = keys.fingerprint(component, "custodian")
    with keys.new_component() as other:
        strangers = split(other, 2, 3)
    request = _request("verify", component)(None)
    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "drill")
    page = _to_shares_page(qtbot, wizard, request)
    assert page.expected.text() == fingerprint and page.expected.isReadOnly()
    _enter(qtbot, page, strangers[0])
    _enter(qtbot, page, strangers[1])
    refused = _rebuild(qtbot, wizard)
    assert wizard.context.component is None and not wizard.next_button.isEnabled()
    assert f"not the expected {fingerprint}" in refused.status.text()

    page = _back_to_shares(qtbot, wizard)
    click(qtbot, page.restart_button)
    click(qtbot, page.drop_button)  # it asks first
    _enter(qtbot, page, shares[0])
    _enter(qtbot, page, shares[1])
    _rebuild(qtbot, wizard)
    assert wizard.context.fingerprints["custodian"] == fingerprint
    cancel_and_wipe(qtbot, wizard)
    assert not wizard.context.holds_secrets()
