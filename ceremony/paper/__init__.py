"""Paper: share sheets and the ceremony record as PDF bytes, made in memory.

A share sheet holds a secret; its bytes should go to the printer (see
:mod:`ceremony.printers.cups`) or to a file a custodian asked for, nowhere else.
The ceremony record holds no secret.
"""

from __future__ import annotations

from ceremony.paper.layout import REHEARSAL_TEXT
from ceremony.paper.legacy_lines import check_code, layout_legacy
from ceremony.paper.model import (
    Attendee,
    BundleDigest,
    CeremonyKind,
    EnvironmentRow,
    GroupRow,
    Paper,
    RecordData,
    ShareAssignment,
    SheetData,
    VerificationResult,
)
from ceremony.paper.record import render_record
from ceremony.paper.sheet import render_share_sheet, render_share_sheets

__all__ = [
    "REHEARSAL_TEXT",
    "Attendee",
    "BundleDigest",
    "CeremonyKind",
    "EnvironmentRow",
    "GroupRow",
    "Paper",
    "RecordData",
    "ShareAssignment",
    "SheetData",
    "VerificationResult",
    "check_code",
    "layout_legacy",
    "render_record",
    "render_share_sheet",
    "render_share_sheets",
]
