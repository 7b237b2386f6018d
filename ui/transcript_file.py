"""The signed transcript as a file: where the app offers to save it, and how it is written.

Used by the answer page (beside the answer for Vault) and by a re-share's record page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ceremony.files import create_private_file
from ui import dialogs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.context import CeremonyContext


def transcript_filename(context: CeremonyContext) -> str:
    return f"ceremony-{context.ceremony_id}-transcript.json"


def ask_transcript_path(parent: QWidget, context: CeremonyContext) -> Path | None:
    name = transcript_filename(context)
    return dialogs.ask_save_path(parent, "Save the signed transcript", name, "Transcript (*.json)")


def write_transcript(path: Path, transcript: bytes) -> str | None:
    """Write it once; saving the same transcript again is fine. None, or why it was not saved."""
    try:
        if not path.exists():
            create_private_file(path, transcript)
        elif path.read_bytes() != transcript:
            return f"{path.name} exists there and is another transcript: save it elsewhere."
    except Exception as err:  # a CeremonyError carries a custodian message
        return f"The transcript could not be written: {getattr(err, 'message', err)}"
    return None
