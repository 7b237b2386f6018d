"""Every parameter a request fixes is compared where it is entered, before any secret exists.

The operation table (ceremony.operations.table.FIXED_BY_REQUEST) names them; this walks each
one through the pages a custodian sees: a mismatch keeps Next disabled with the reason
beside it, so "Make the key" (or the shares) cannot be reached.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from ceremony import gap, keys
from ceremony.operations.table import FIXED_BY_REQUEST
from ceremony.secret import Secret
from tests.ui.driver import (
    Tour,
    advance_to,
    cancel_and_wipe,
    click,
    idle,
    next_page,
    open_window,
    start,
)
from tests.ui.requests import answerable
from ui.pages.details_page import DetailsPage
from ui.pages.request_page import RequestPage
from ui.wizard import Wizard

SHOTS = Path(os.environ.get("CEREMONY_SHOTS", "/work/shots"))
TYPED_VERSION = "2026-1"  # what the custodians typed; the hint says "for example 2025-1"


def _install(
    key_version: str = TYPED_VERSION,
    *,
    rehearsal: bool,
    operation: gap.Operation = "install",
    now: datetime | None = None,
) -> str:
    registration = None
    if operation == "verify":
        with keys.new_component() as component:
            registration = gap.Registration(
                keys.export_signing_public_key(component), keys.fingerprints(component)
            )
    request, private = gap.new_request(
        operation,
        {},
        key_version,
        timedelta(hours=1),
        now=now,
        rehearsal=rehearsal,
        registration=registration,
    )
    private.wipe()
    return request.qr_payload()


def _details(qtbot: Any, wizard: Wizard, key_version: str) -> None:
    page: Any = wizard.page
    qtbot.keyClicks(page.organisation, "Example Health Ltd")
    qtbot.keyClicks(page.key_version, key_version)
    page.custodians.setPlainText("Ann, CFO\nBen, CTO\nCat, Legal")
    qtbot.keyClicks(page.witness, "Wendy")


def _enter(qtbot: Any, wizard: Wizard, code: str) -> None:
    page = wizard.page
    assert isinstance(page, RequestPage)
    page.code.setPlainText(code)
    idle(qtbot, wizard)


def _refused(wizard: Wizard, words: str) -> str:
    """Next is disabled, and the reason, beside it, says ``words``."""
    assert not wizard.next_button.isEnabled(), wizard.step_title()
    reason = wizard.waiting.text()
    assert words in reason, reason
    assert reason == wizard.page.waiting_for()
    return reason


def _back_to_details(qtbot: Any, wizard: Wizard) -> None:
    while not isinstance(wizard.page, DetailsPage):
        idle(qtbot, wizard)
        click(qtbot, wizard.back_button)


def _shot(window: Any, qtbot: Any, name: str) -> None:
    """An offscreen grab at the size of the room's laptop screen."""
    window.resize(1366, 768)
    qtbot.wait(50)  # let the layout settle before the grab
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / name))


@pytest.mark.parametrize("rehearsal", [False, True])
def test_genesis_compares_what_the_install_request_fixes_before_the_key_exists(
    qtbot: Any, air_gapped: Any, rehearsal: bool
) -> None:
    window = open_window(qtbot, air_gapped, rehearsal=rehearsal)
    wizard = start(qtbot, window, "genesis")
    _details(qtbot, wizard, TYPED_VERSION)
    next_page(qtbot, wizard, "Check this computer")
    next_page(qtbot, wizard, "The request from the Vault side")
    walked: set[str] = set()

    _enter(qtbot, wizard, _install(rehearsal=rehearsal, operation="verify"))
    _refused(wizard, "this ceremony answers a new platform key")
    walked.add("operation")
    _enter(qtbot, wizard, _install(rehearsal=not rehearsal))
    _refused(wizard, "production Vault" if rehearsal else "practice Vault")
    walked.add("rehearsal")
    an_hour_ago = datetime.now(UTC) - timedelta(hours=2)
    _enter(qtbot, wizard, _install(rehearsal=rehearsal, now=an_hour_ago))
    _refused(wizard, "expired")
    walked.add("expiry")
    _enter(qtbot, wizard, _install("v1", rehearsal=rehearsal))
    reason = _refused(
        wizard, f"key version 'v1' but this ceremony's key version is '{TYPED_VERSION}'"
    )
    walked.add("key version")
    assert wizard.context.request is None and wizard.context.genesis is None
    if not rehearsal:
        _shot(window, qtbot, "key-version-refusal.png")
    assert "correct this ceremony's key version" in reason

    # Back to the details, where the version is typed: correct it there, and the request is taken.
    _back_to_details(qtbot, wizard)
    details: Any = wizard.page
    assert isinstance(details, DetailsPage)
    details.key_version.selectAll()
    qtbot.keyClicks(details.key_version, "v1")
    next_page(qtbot, wizard, "Check this computer")
    next_page(qtbot, wizard, "The request from the Vault side")
    assert wizard.next_button.isEnabled(), wizard.waiting.text()
    assert wizard.context.request is not None and wizard.context.request.key_version == "v1"

    # Changing the version after the request was taken is refused on the details page itself.
    _back_to_details(qtbot, wizard)
    details.key_version.selectAll()
    qtbot.keyClicks(details.key_version, TYPED_VERSION)
    _refused(wizard, "key version 'v1'")
    if not rehearsal:
        _shot(window, qtbot, "key-version-refusal-details.png")
    qtbot.keyClick(details.witness, Qt.Key.Key_Return)  # Enter does not get past it either
    assert isinstance(wizard.page, DetailsPage)
    assert walked | {"session code", "registration"} == set(FIXED_BY_REQUEST)
    assert wizard.context.genesis is None  # no key was ever made
    cancel_and_wipe(qtbot, wizard)


def test_a_recovery_compares_session_code_and_registration_before_the_shares(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, air_gapped, rehearsal=False)
    wizard = start(qtbot, window, "recovery")
    advance_to(qtbot, wizard, Tour(qapp, tmp_path), [], RequestPage)  # roles, session code
    assert wizard.context.session_code is not None
    other_code, other_key = gap.new_session()
    other_key.wipe()
    with Secret(bytes(range(64))) as component:
        make = answerable("recover-escrow", component, user="42", survey="s-1")
        _enter(qtbot, wizard, make(other_code).qr_payload())
        _refused(wizard, "sealed to another session code")
        _enter(qtbot, wizard, make(wizard.context.session_code).qr_payload())
        assert wizard.next_button.isEnabled(), wizard.waiting.text()
    _enter(qtbot, wizard, _install("v1", rehearsal=False, operation="verify"))
    assert wizard.next_button.isEnabled()  # a drill request that names a registered key
    unregistered, private = gap.new_request("verify", {}, "v1", timedelta(hours=1))
    private.wipe()
    _enter(qtbot, wizard, unregistered.qr_payload())
    _refused(wizard, "names no registered key")
    cancel_and_wipe(qtbot, wizard)
