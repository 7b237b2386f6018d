"""What is about to be made, before the irreversible step: everything that will be printed."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from ui.context import CeremonyContext, Crossing, Details, Run
from ui.glossary import meanings_in
from ui.pages.base import Page, clear_layout, message_label
from ui.style import heading_font

__all__ = ["SummaryPage"]

PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}
SCHEME_NAMES = {"slip39": "SLIP-39 words", "checktick": "CheckTick legacy"}


class SummaryPage(Page):
    reads = (Run, Details, Crossing)
    writes = ()
    title = "Check everything before the key is made"
    next_text = "Make the key"

    def __init__(self, context: CeremonyContext) -> None:
        super().__init__(context)
        if context.kind == "reshare":
            self.title = "Check everything before the new shares are made"
            self.next_text = "Make the new shares"
        self.intro = message_label(
            "Read this aloud. It is what every sheet and the record will say. Anything wrong: "
            "press Back and correct it. After the next step nothing here can change."
        )
        self.facts_box = QWidget()
        self.facts = QFormLayout(self.facts_box)
        self.body.addWidget(self.intro)
        self.body.addWidget(self.facts_box)
        self.body.addStretch(1)

    def enter(self) -> None:
        c = self.context
        clear_layout(self.facts)
        people = "\n".join(
            f"{n}. {p.label()}" for n, p in enumerate(c.custodians, 1)
        )  # one sheet each, in this order
        rows = [
            ("Organisation", c.organisation or "—"),
            ("Key version", c.key_version or "—"),
            ("Custodians", people or "—"),
            ("Shares needed", _policy_words(c)),
            ("Share format", SCHEME_NAMES.get(c.scheme, c.scheme)),
            ("Paper", PAPER_NAMES.get(c.paper, c.paper)),
            ("Witness", c.witness or "—"),
            ("Mode", "Rehearsal: a throwaway key" if c.rehearsal else "Real ceremony"),
        ]
        if c.kind == "reshare":
            rows.append(("Old sheets", _revocation_words(c)))
        request = c.request
        if request is not None:
            rows.append(("Answering", request.describe()))
            if meanings := meanings_in(request.describe()):
                rows.append(("Words used", meanings))
        for label, value in rows:
            name = message_label(label, wrap=False)
            name.setFont(heading_font(name.font(), 12))
            shown = message_label(value)
            shown.setObjectName(f"summary_{label.lower().replace(' ', '_')}")
            self.facts.addRow(name, shown)


def _revocation_words(c: CeremonyContext) -> str:
    """A re-share retires the old set: say so before the new shares are made."""
    from ui.pages.generate_page import old_sheets_text

    return "Revoked by this ceremony, and listed as revoked on the record. " + old_sheets_text(
        c
    ).replace("Destroy", "Destroy them once the new sheets are read back:", 1)


def _policy_words(c: CeremonyContext) -> str:
    """Who can rebuild the key, in words; named groups say it group by group."""
    if c.groups:
        from ceremony.shares.policy import SharePolicy

        return SharePolicy(c.groups, c.group_threshold).describe()
    return f"any {c.threshold} of {len(c.custodians)} rebuild the key"
