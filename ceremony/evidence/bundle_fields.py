"""The optional evidence fields an answer for Vault carries (see docs/protocol.md).

- ``transcript_sha256``: SHA-256 of the signed transcript written beside the answer;
- install answers: ``drill_interval_days``, the interval the custodians chose, and
  ``holders``, the names the new shares were made for (the online side names those no
  drill has checked within the interval);
- verify (drill) answers: ``shares_checked``, every share checked in the drill.
"""

from __future__ import annotations

from typing import Any

from ceremony.evidence.log import DEFAULT_DRILL_DAYS
from ceremony.evidence.model import Evidence

__all__ = ["bundle_fields"]


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
    if operation == "verify":
        out["shares_checked"] = [
            {"set_id": set_id, "share": share, "holder": holder}
            for set_id, share, holder in evidence.shares_checked
        ]
    return out
