"""Every answer for Vault has a signed transcript beside it, its digest in the answer.

recover-escrow and adopt as well as install and verify: sealed in the room with
the transcript's digest (``transcript_sha256``), which `vault apply` stores with
the operation on the double and on OpenBao; `ceremony authorize` writes the
transcript beside its answer and `ceremony verify-record` checks it offline.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ceremony import keys
from ceremony.evidence.bundle_fields import sign_answer
from ceremony.evidence.check_value import check_value
from ceremony.evidence.headless import answer_approved, start_answer_log
from ceremony.evidence.steps import steps_for
from ceremony.evidence.verify import verify_transcript
from ceremony.gap import RequestContents, open_bundle, parse_bundle
from ceremony.operations.adopt import Adopt
from ceremony.operations.records import SharesUsed, recovery_record
from ceremony.operations.recover_escrow import RecoverEscrow
from ceremony.operations.table import Room as RoomRules
from ceremony.operations.table import RoomOperation
from ceremony.secret import Secret
from ceremony.vaultops import audit_entries
from ceremony.vaultops.paths import MASTER_KEY
from ceremony.vaultops.requesting import registration
from tests.cli import run_authorize, run_ceremony
from tests.openbao_support import openbao_server
from tests.pdf_pages import all_text
from tests.test_cli_gap import Room, _session, _stdin, room
from tests.vault_support import (
    CEREMONY_ID,
    SURVEY,
    USER,
    Deployment,
    deployment,
    write_escrow,
)

__all__ = ["deployment", "openbao_server", "room"]

ITERATIONS = 2000


def _answer(dep: Deployment, operation: str, rules: RoomOperation, **params: str) -> bytes:
    """What the room seals: the review, the transcript signed for it, the answer naming it."""
    request = dep.request(operation, **params)  # type: ignore[arg-type]
    custodian = dep.keys.custodian
    review = rules.review(request, custodian, dep.sessions.get(request.id))
    log = start_answer_log(operation, CEREMONY_ID, "Ada Admin", ["Wendy Ng"])
    answer_approved(log)
    record = recovery_record(
        kind="recovery",
        organisation="Example Org",
        ceremony_id=CEREMONY_ID,
        started=request.created_at,
        ended=request.created_at,
        key_version=request.key_version,
        used=SharesUsed("slip39", None, 2, ((1, "Ann"), (2, "Ben"))),
        fingerprints=review.fingerprints,
        witness="Wendy Ng",
    )
    transcript, fields = sign_answer(log, record, custodian, request, rehearsal=False)
    room_rules = RoomRules(
        rehearsal=False,
        session_public_key=request.sealed.session_public_key if request.sealed else None,
    )
    try:
        bundle = rules.seal(review, request, custodian, CEREMONY_ID, room_rules, "slip39", fields)
    finally:
        review.wipe()
    body = json.loads(transcript)["body"]
    assert body["answers"] == {"operation": operation, "request_id": request.id}
    verdict = verify_transcript(
        transcript,
        export_key_check=dep.export_key_check(),
        paper_digest=hashlib.sha256(transcript).hexdigest(),
    )
    assert verdict.ok, [f.text for f in verdict.findings]
    dep.apply(bundle.to_bytes())
    return transcript


def test_vault_apply_stores_the_transcript_digest_of_recover_escrow_and_adopt(
    deployment: Deployment,
) -> None:
    root = deployment.client(token="root-token")
    master = {"vault_component": deployment.keys.vault.reveal().hex(), "note": "CheckTick's"}
    assert root.create(MASTER_KEY, master, "test")
    write_escrow(deployment, bytes(range(32)), iterations=ITERATIONS)
    adopted = _answer(deployment, "adopt", Adopt(ITERATIONS, ITERATIONS // 2))
    adopt_digest = hashlib.sha256(adopted).hexdigest()
    assert registration(deployment.client())["transcript_sha256"] == adopt_digest  # type: ignore[index]
    recovered = _answer(
        deployment,
        "recover-escrow",
        RecoverEscrow(ITERATIONS, ITERATIONS // 2),
        user=USER,
        survey=SURVEY,
    )
    stored = {e["operation"]: e for e in audit_entries(deployment.client())}
    assert stored["adopt"]["transcript_sha256"] == adopt_digest
    assert stored["recover-escrow"]["transcript_sha256"] == hashlib.sha256(recovered).hexdigest()
    assert stored["adopt"]["verified"] and stored["recover-escrow"]["verified"]


def _authorize(room: Room, operation: str, out: Path, *extra: str) -> tuple[dict, Secret]:  # type: ignore[type-arg]
    code, key_file = _session(room)
    if operation == "adopt":
        escrow = room.escrow()
        contents = RequestContents(
            Secret(room.vault.reveal(), "vault"),
            escrow_user=USER_OF_ROOM,
            encrypted_email=escrow.encrypted_email,
        )
        escrow.wipe()
    else:
        contents = room.escrow()
    _, private, path = room.request(operation, session=code, contents=contents)  # type: ignore[arg-type]
    result = run_authorize(
        *("--request", str(path), "--session-key", str(key_file), "--out", str(out)),
        *("--administrator", "Ada Admin", "--witness", "Wendy Ng", "--also-witness", "Walt Ito"),
        *extra,
        "--json",
        stdin=_stdin([room.shares[1], room.shares[2]]),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), private


USER_OF_ROOM = "42"  # tests.test_cli_gap's escrow user


@pytest.mark.parametrize("operation", ["recover-escrow", "adopt"])
def test_authorize_writes_a_signed_transcript_beside_the_answer(room: Room, operation: str) -> None:
    out = room.tmp / f"{operation}.bundle"
    record = room.tmp / f"{operation}-record.pdf"
    summary, private = _authorize(room, operation, out, "--record", str(record))
    transcript = room.tmp / f"{operation}-transcript.json"
    data = transcript.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert summary["transcript"] == str(transcript) and summary["transcript_sha256"] == digest
    assert transcript.stat().st_mode & 0o777 == 0o600
    payload = open_bundle(parse_bundle(out.read_bytes()), private)
    assert payload["transcript_sha256"] == digest  # what `vault apply` stores
    check = keys.export_key_check_of(room.component)
    verified = run_ceremony(
        *("verify-record", str(transcript), "--export-key-check", check),
        *("--paper-digest", digest),
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    said = verified.stdout
    assert "VERIFIED: every check passed." in said
    assert "Administrator: Ada Admin" in said and "Witness: Walt Ito" in said
    assert f"It answers the Vault side's {operation} request" in said
    bundle_step = [s.key for s in steps_for("recovery")].index("bundle") + 1
    assert f"Signed at step {bundle_step} (Seal the answer for Vault)" in said
    assert "Print the ceremony record" in said.split("Signed at step")[1]  # not covered
    evidence = verify_transcript(data, export_key_check=check).evidence
    assert evidence is not None
    assert [s.check_value for s in evidence.shares] == [
        check_value(s) for s in (room.shares[1], room.shares[2])
    ]
    assert [d.kind for d in evidence.deviations] == ["skipped"]  # no bag serials checked
    text = " ".join(all_text(record.read_bytes()).split())
    assert digest[:32] in text and "Wendy Ng" in text and "Signed at step" in text
    for secret in (room.component.reveal().hex(), room.vault.reveal().hex()):
        assert secret not in data.decode()
    for share in room.shares:
        assert share not in data.decode()


def test_authorize_refuses_to_overwrite_a_transcript_before_reading_anything(room: Room) -> None:
    request, _, path = room.request("verify")
    (room.tmp / "verify-transcript.json").write_text("an older transcript")
    result = run_ceremony(
        *("authorize", "--request", str(path), "--out", str(room.tmp / "verify.bundle")),
        *("--approve", "0000-0000-0000"),
        stdin=_stdin(room.shares[:2]),
    )
    assert result.returncode == 2 and "verify-transcript.json already exists" in result.stderr
    assert not (room.tmp / "verify.bundle").exists() and request.id


def test_a_share_pasted_as_organisation_or_ceremony_id_is_refused_before_any_share(
    room: Room,
) -> None:
    """Neither goes into the transcript, the record or the refusal; nothing is written."""
    share = room.shares[0]
    _, _, path = room.request("verify")
    before = sorted(room.tmp.iterdir())
    for flag, value in (("--organisation", share), ("--ceremony-id", share)):
        result = run_ceremony(
            *("authorize", "--request", str(path), "--out", str(room.tmp / "verify.bundle")),
            *(flag, value, "--approve", "0000-0000-0000"),
            stdin=_stdin(room.shares[:2]),
        )
        assert result.returncode == 2 and result.stdout == "", result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert " ".join(share.split()[:3]) not in result.stderr, result.stderr
        assert sorted(room.tmp.iterdir()) == before


def test_an_output_that_could_not_be_written_is_refused_before_any_share(room: Room) -> None:
    """The files are written after the seal: a missing folder or a name given twice would
    leave an answer without its transcript or record, so they are refused up front."""
    _, _, path = room.request("verify")
    before = sorted(room.tmp.iterdir())
    out = str(room.tmp / "verify.bundle")
    for extra, message in (
        (("--text-out", str(room.tmp / "no-folder" / "v.txt")), "does not exist"),
        (("--record", str(room.tmp / "no-folder" / "r.pdf")), "does not exist"),
        (("--record", str(room.tmp / "v.txt"), "--text-out", str(room.tmp / "v.txt")), "own"),
        (("--record", out), "own"),
    ):
        result = run_ceremony(
            *("authorize", "--request", str(path), "--out", out, *extra),
            *("--approve", "0000-0000-0000"),
            stdin=_stdin(room.shares[:2]),
        )
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "Request " not in result.stderr  # refused before the request was read
        assert sorted(room.tmp.iterdir()) == before
