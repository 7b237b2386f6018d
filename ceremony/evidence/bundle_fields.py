"""The optional evidence fields an answer for Vault carries (see docs/protocol.md).

- ``transcript_sha256``: SHA-256 of the signed transcript written beside the answer
  (every operation: install, verify, recover-escrow, adopt);
- install answers: ``drill_interval_days``, the interval the custodians chose, and
  ``holders``, the names the new shares were made for (the online side names those no
  drill has checked within the interval), and ``share_holders``, which share each holds
  (a drill's checked shares are matched to holders by share); adopt answers carry the
  interval when the custodians chose one;
- verify (drill) answers: ``shares_checked``, every share checked in the drill.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ceremony.evidence.log import DEFAULT_DRILL_DAYS
from ceremony.evidence.model import Evidence

if TYPE_CHECKING:
    from ceremony.evidence.log import EvidenceLog
    from ceremony.gap import Request
    from ceremony.paper.model import RecordData
    from ceremony.secret import Secret

__all__ = ["bundle_fields", "sign_answer"]


def bundle_fields(
    operation: str, evidence: Evidence, transcript_sha256: str = ""
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if transcript_sha256:
        out["transcript_sha256"] = transcript_sha256
    if operation == "install":
        out["drill_interval_days"] = evidence.drill_interval_days or DEFAULT_DRILL_DAYS
        holders = list(dict.fromkeys(s.holder for s in evidence.shares if s.holder))
        if holders:
            out["holders"] = holders
            out["share_holders"] = [
                {"share": s.share, "holder": s.holder} for s in evidence.shares if s.holder
            ]
    if operation == "adopt" and evidence.drill_interval_days:
        out["drill_interval_days"] = evidence.drill_interval_days
    if operation == "verify":
        out["shares_checked"] = [
            {"set_id": set_id, "share": share, "holder": holder}
            for set_id, share, holder in evidence.shares_checked
        ]
    return out


def sign_answer(
    log: EvidenceLog, record: RecordData, custodian: Secret, request: Request, *, rehearsal: bool
) -> tuple[bytes, dict[str, Any]]:
    """The transcript signed for the answer to ``request``, and the fields that name it there."""
    from ceremony.evidence.transcript import make_transcript, transcript_sha256

    transcript = make_transcript(
        log, record, custodian, rehearsal=rehearsal, answers=(request.operation, request.id)
    )
    fields = bundle_fields(request.operation, log.evidence(), transcript_sha256(transcript))
    return transcript, fields
