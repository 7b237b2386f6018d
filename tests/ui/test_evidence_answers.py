"""In the app, recover-escrow and adopt answers carry their signed transcript too.

The transcript is signed with the export key as the answer is sealed, written
beside the saved answer, and named in it (``transcript_sha256``); the paper
record prints its digest and says what it covers. A re-share, which has no
answer, cannot finish before its transcript is saved, even when the record was
only printed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from ceremony import gap, keys
from ceremony.evidence.steps import steps_for
from ceremony.evidence.verify import verify_transcript
from ceremony.secret import Secret
from ceremony.shares import split
from tests.cups_support import cups
from tests.pdf_pages import all_text
from tests.ui.driver import Tour, advance_to, next_page, open_window, start
from tests.ui.requests import KEY_VERSION, UI_EMAIL, _contents, vault_for
from tests.ui.test_recovery import _enter, _finish, _to_shares_page
from ui.pages.record_page import RecordPage

__all__ = ["cups"]  # the fixture, used by name


def _maker(operation: gap.Operation, component: Secret, keep: list[Secret], **params: str) -> Any:
    """Like tests.ui.requests.answerable, but the request key is kept to open the answer."""
    vault = vault_for(component)
    registered = gap.Registration(
        keys.export_signing_public_key(component), keys.fingerprints(component, vault)
    )

    def make(session: gap.SessionCode | None) -> gap.Request:
        request, private = gap.new_request(
            operation,
            params,
            KEY_VERSION,
            timedelta(hours=1),
            registration=None if operation == "adopt" else registered,
            session=session,
            contents=_contents(operation, component, vault, params),
        )
        keep.append(private)
        return request

    return make


@pytest.mark.parametrize(
    ("operation", "params"),
    [("recover-escrow", {"user": "42", "survey": "7", "ticket": "RT-9"}), ("adopt", {})],
)
def test_recover_escrow_and_adopt_write_a_signed_transcript_beside_the_answer(
    qtbot: Any,
    air_gapped: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    operation: gap.Operation,
    params: dict[str, str],
) -> None:
    private: list[Secret] = []
    with keys.new_component() as component:
        shares = split(component, 2, 3)
        check = keys.export_key_check_of(component)
        window = open_window(qtbot, air_gapped)
        wizard = start(qtbot, window, "recovery")
        page = _to_shares_page(qtbot, wizard, _maker(operation, component, private, **params))
    for share in shares[1:]:
        _enter(qtbot, page, share)
    context = wizard.context
    next_page(qtbot, wizard, "Check the key's fingerprint")
    qtbot.waitUntil(lambda: context.component is not None, timeout=60_000)
    bundle = gap.parse_bundle(_finish(qtbot, wizard, tmp_path, monkeypatch, shown=[UI_EMAIL]))
    assert bundle.operation == operation
    transcript = tmp_path / f"ceremony-{context.ceremony_id}-transcript.json"
    data = transcript.read_bytes()  # written beside the saved answer
    digest = hashlib.sha256(data).hexdigest()
    assert gap.open_bundle(bundle, private[0])["transcript_sha256"] == digest
    verdict = verify_transcript(data, export_key_check=check, paper_digest=digest)
    assert verdict.ok, [f.text for f in verdict.findings]
    body = json.loads(data)["body"]
    assert body["answers"] == {"operation": operation, "request_id": bundle.request_id}
    bundle_step = [s.key for s in steps_for("recovery")].index("bundle") + 1
    assert body["covers"]["signed_at_step"] == bundle_step
    assert [s["title"] for s in body["covers"]["steps_after"]][1:] == [
        "Print the ceremony record",
        "Done",
    ]
    assert verdict.evidence is not None
    assert [s.number for s in verdict.evidence.steps] == list(range(1, bundle_step))
    record = " ".join(all_text((tmp_path / "record.pdf").read_bytes()).split())
    assert digest[:32] in record and f"Signed at step {bundle_step}" in record
    for share in shares:
        assert share not in data.decode()


def test_a_reshare_with_a_printed_record_waits_for_its_transcript(
    qtbot: Any, qapp: Any, air_gapped: Any, tmp_path: Path, cups: None
) -> None:
    with keys.new_component() as component:
        old = split(component, 3, 4)
        check = keys.export_key_check_of(component)
    window = open_window(qtbot, air_gapped, rehearsal=True)
    wizard = start(qtbot, window, "reshare")
    page = advance_to(qtbot, wizard, Tour(qapp, tmp_path), old, RecordPage)
    assert isinstance(page, RecordPage) and wizard.context.transcript is not None
    qtbot.waitUntil(lambda: page.print_button.isEnabled(), timeout=30_000)
    assert page.transcript_button.isVisible() and page.transcript_button.isEnabled()
    assert page.printer.select("PDF")  # a rehearsal may print to the cups-pdf queue
    page.print_record()
    qtbot.waitUntil(lambda: page.done, timeout=60_000)
    assert not wizard.next_button.isEnabled()  # printed, but the transcript is nowhere yet
    assert "Now save the signed transcript" in page.status.text()
    saved = tmp_path / "reshare-transcript.json"
    page.save_transcript_to(saved)
    assert wizard.next_button.isEnabled() and not page.transcript_button.isEnabled()
    data = saved.read_bytes()
    verdict = verify_transcript(data, export_key_check=check)
    assert verdict.ok, [f.text for f in verdict.findings]
    record_step = [s.key for s in steps_for("reshare")].index("record") + 1
    assert json.loads(data)["body"]["covers"]["signed_at_step"] == record_step
