"""The end: what was done, and Finish wipes every secret from memory."""

from __future__ import annotations

from ui.context import CeremonyContext, Crossing, Details, Record, Run, Secrets
from ui.pages.base import Page, message_label
from ui.widgets.status_line import status_label

__all__ = ["DonePage"]


class DonePage(Page):
    reads = (Run, Details, Crossing, Record)
    writes = (Secrets,)
    title = "Done"
    allow_back = False
    can_cancel = False  # the answer has left the room: there is nothing left to cancel

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        self.summary = status_label()
        self.summary.setObjectName("summary")
        self.body.addWidget(self.summary)
        self.body.addWidget(
            message_label(
                "Press Finish: every secret of this ceremony is wiped from memory and the app "
                "returns to the start. Then switch the computer off."
            )
        )
        self.body.addStretch(1)

    def enter(self) -> None:
        c = self.context
        c.wipe()  # nothing secret is needed any more; Finish wipes again, harmlessly
        lines = [f"{c.title} {c.ceremony_id} is complete."]
        lines += [f"Fingerprint ({label}): {fp}" for label, fp in sorted(c.fingerprints.items())]
        if c.verified:
            lines.append(f"Shares verified by re-entry: {len(c.verified)} of {len(c.custodians)}.")
        revoked = [v.detail for v in c.verification if v.outcome == "revoked"]
        for detail in revoked:  # a re-share: the old sheets still rebuild the same key
            lines.append(
                f"The old sheets are revoked (the record says so). {detail} "
                "Shred them now, with the witness watching."
            )
        if c.bundle is not None:
            from ceremony.gap import bundle_digest

            lines.append(f"Bundle SHA-256: {bundle_digest(c.bundle)}")
        self.summary.setText("\n".join(lines))
