"""The run sheet (printed before a ceremony, filled in by hand) and the record's evidence pages.

Before: each step numbered as the app's step rail numbers it, who does it, a
column for the time and a box for a witness's initials. After (in the
record): the script as it ran from the journal, with deviations under the
step where they happened, bags and check values, the drill schedule, the
transcript's digest as a QR code, and a signature line for every role.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ceremony.evidence.coverage import signing_step, statement
from ceremony.evidence.model import Deviation, Evidence
from ceremony.evidence.steps import OPERATIONS, Operation, Step, numbered
from ceremony.paper.fonts import MONO, SANS, SANS_BOLD, register_fonts
from ceremony.paper.layout import MUTED, REHEARSAL_TEXT, draw_watermark, mm, page_for
from ceremony.paper.model import Paper
from ceremony.paper.no_secret import checked
from ceremony.paper.qr import draw_qr

__all__ = ["evidence_story", "render_run_sheet", "signature_table"]

OPERATION_TITLES: Final[dict[str, str]] = {
    "genesis": "Genesis: a new platform key",
    "recovery": "Recovery",
    "drill": "Recovery drill",
    "reshare": "Re-share to new custodians",
    "verify": "Check one share",
}

_BODY = ParagraphStyle("rs-body", fontName=SANS, fontSize=10, leading=13)
_SMALL = ParagraphStyle(
    "rs-small", parent=_BODY, fontSize=8, leading=10, textColor=colors.Color(*MUTED)
)
_CELL = ParagraphStyle("rs-cell", parent=_BODY, fontSize=10, leading=12.5)
_CELL_MONO = ParagraphStyle("rs-mono", parent=_CELL, fontName=MONO, fontSize=9)
_NOTE = ParagraphStyle(
    "rs-note", parent=_CELL, fontSize=8.5, leading=10.5, textColor=colors.Color(0.6, 0.1, 0.1)
)
_LABEL = ParagraphStyle("rs-label", parent=_BODY, fontSize=9, leading=11)
_H1 = ParagraphStyle("rs-h1", fontName=SANS_BOLD, fontSize=20, leading=24)
_H2 = ParagraphStyle(
    "rs-h2", fontName=SANS_BOLD, fontSize=12, leading=15, spaceBefore=9, spaceAfter=4
)
_RULE = colors.Color(0.3, 0.3, 0.35)
_LIGHT = colors.Color(0.75, 0.75, 0.78)


def _p(text: str, style: ParagraphStyle = _CELL) -> Paragraph:
    # No secret on this paper: names and deviations typed in the room are checked again here.
    return Paragraph(escape(checked(text)).replace("\n", "<br/>"), style)


def _grid(
    rows: list[list[Flowable | str]], widths: Sequence[float], heights: object = None
) -> Table:
    table = Table(rows, colWidths=list(widths), rowHeights=heights, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), SANS_BOLD, 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.92)),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, _RULE),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, _LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


# -- before the ceremony: the run sheet ---------------------------------------------


def render_run_sheet(
    operation: Operation,
    steps: Sequence[tuple[int, Step]],
    paper: Paper = "a4",
    *,
    organisation: str = "",
    rehearsal: bool = False,
) -> bytes:
    """The script as a PDF to fill in by hand: time and a witness's initials per step."""
    register_fonts()
    page = page_for(paper)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(page.width, page.height),
        leftMargin=page.margin,
        rightMargin=page.margin,
        topMargin=page.margin,
        bottomMargin=page.margin + 6 * mm,
        title=f"Run sheet: {OPERATION_TITLES[operation]}",
        author=organisation,
        subject="Ceremony run sheet (contains no secret)",
        invariant=1,
    )

    def furniture(canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        if rehearsal:
            draw_watermark(canvas, page)
        canvas.setFillColorRGB(*MUTED)
        canvas.setFont(SANS, 7.5)
        canvas.drawString(page.left, page.bottom - 2 * mm, f"Run sheet · {operation}")
        canvas.drawRightString(page.right, page.bottom - 2 * mm, f"page {canvas.getPageNumber()}")
        canvas.restoreState()

    story = _run_sheet_story(operation, steps, page.frame_width, organisation, rehearsal)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue()


def _run_sheet_story(
    operation: Operation,
    steps: Sequence[tuple[int, Step]],
    width: float,
    organisation: str,
    rehearsal: bool,
) -> list[Flowable]:
    story: list[Flowable] = []
    if rehearsal:
        story.append(_p(REHEARSAL_TEXT, _BODY))
    if organisation:
        story.append(_p(organisation.upper(), _SMALL))
    story += [
        Paragraph(f"Run sheet: {escape(OPERATION_TITLES[operation])}", _H1),
        Spacer(1, 2 * mm),
        _p(
            "The administrator reads each step aloud; the app's step rail shows the same "
            "numbers. When a step is done, write the time, and the witness initials its box. "
            "Write anything unusual (a reprint, a refused share, a fingerprint that does not "
            "match, a bag serial that differs, a step cancelled) under 'Deviations and notes', "
            "with the number of the step where it happened.",
            _BODY,
        ),
        Spacer(1, 3 * mm),
        _blanks(width),
        Spacer(1, 4 * mm),
        _steps_table(steps, width),
        *_signing_note(operation),
        CondPageBreak(60 * mm),
        Paragraph("Deviations and notes", _H2),
        _notes_table(width),
    ]
    return story


def _steps_table(steps: Sequence[tuple[int, Step]], width: float) -> Table:
    rows: list[list[Flowable | str]] = [
        [_p("No."), _p("Step"), _p("Who does it"), _p("Time"), _p("Witness initials")]
    ]
    for number, step in steps:
        rows.append([_p(str(number)), _p(step.title), _p(step.who), "", ""])
    widths = [12 * mm, width - 108 * mm, 38 * mm, 26 * mm, 32 * mm]
    table = _grid(rows, widths, [None] + [11 * mm] * len(steps))
    table.setStyle(
        TableStyle(
            [
                ("BOX", (4, 1), (4, -1), 0.9, colors.black),
                ("INNERGRID", (4, 1), (4, -1), 0.9, colors.black),
                ("LINEBELOW", (3, 1), (3, -1), 0.6, colors.black),
            ]
        )
    )
    return table


def _signing_note(operation: Operation) -> list[Flowable]:
    """Which steps the signed transcript will hold, and which only the signed paper."""
    signed_at = signing_step(operation)
    if not signed_at:
        return []
    return [
        Spacer(1, 1.5 * mm),
        _p(
            f"The signed transcript is signed at step {signed_at}: it holds steps 1 to "
            f"{signed_at - 1} as the app stamped them. Step {signed_at} and the steps after "
            "it are not in it: this sheet and the signed record are their evidence.",
            _SMALL,
        ),
    ]


def _blanks(width: float) -> Table:
    labels = ["Date", "Ceremony id", "Administrator", "Witness", "Witness"]
    rows = [[_p(label, _LABEL), ""] for label in labels]
    table = Table(rows, colWidths=[32 * mm, width - 32 * mm], rowHeights=8 * mm, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


def _notes_table(width: float, lines: int = 8) -> Table:
    """Step number, what happened, time and the witness's initials, written by hand."""
    rows: list[list[Flowable | str]] = [
        [_p("Step no."), _p("What happened"), _p("Time"), _p("Witness initials")]
    ]
    rows += [["", "", "", ""] for _ in range(lines)]
    widths = [18 * mm, width - 76 * mm, 26 * mm, 32 * mm]
    table = _grid(rows, widths, [None] + [10 * mm] * lines)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 1), (-1, -1), 0.6, colors.black),
                ("LINEAFTER", (0, 1), (-2, -1), 0.3, _LIGHT),
            ]
        )
    )
    return table


# -- after: the record's evidence pages ---------------------------------------------------


class _QrFlowable(Flowable):  # type: ignore[misc]
    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text, self.size = text, size
        self.width = self.height = size

    def draw(self) -> None:
        draw_qr(self.canv, self.text, 0, 0, self.size)


def evidence_story(evidence: Evidence, width: float, count_label: dict[str, str]) -> list[Flowable]:
    """The record's sections from the journal: run sheet as run, bags, drills, transcript."""
    return [
        *_script_as_run(evidence, width),
        *_bags_section(evidence, width, count_label),
        *_opened_section(evidence, width),
        *_drills_section(evidence),
        *_transcript_section(evidence, width),
    ]


def _script_as_run(evidence: Evidence, width: float) -> list[Flowable]:
    if not evidence.steps and not evidence.deviations:
        return []
    names = {
        "administrator": ", ".join(p.name for p in evidence.named("administrator")),
        "witness": ", ".join(p.name for p in evidence.named("witness")),
    }
    rows: list[list[Flowable | str]] = [
        [_p("No."), _p("Step"), _p("Done at"), _p("Who"), _p("Initials")]
    ]
    done = set()
    for step in evidence.steps:
        done.add(step.number)
        who = names.get(step.who) or step.who
        rows.append(
            [_p(str(step.number)), _p(step.title), _p(_time(step.at), _CELL_MONO), _p(who), ""]
        )
        rows += [_deviation_row("", d) for d in evidence.deviations_at(step.number)]
    rows += [
        _deviation_row(str(d.step or "—"), d) for d in evidence.deviations if d.step not in done
    ]
    by_hand = _hand_rows(evidence)
    heights = [None] * len(rows) + [11 * mm] * len(by_hand)
    widths = [12 * mm, width - 114 * mm, 44 * mm, 38 * mm, 20 * mm]
    table = _grid([*rows, *by_hand], widths, heights)
    if by_hand:
        first = len(rows)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (2, first), (2, -1), 0.6, colors.black),
                    ("BOX", (4, first), (4, -1), 0.9, colors.black),
                    ("INNERGRID", (4, first), (4, -1), 0.9, colors.black),
                ]
            )
        )
    note = "Times are UTC, stamped by the app as each step was completed."
    if by_hand:
        note += " The steps still to come as it is printed: write the time and initial by hand."
    return [
        CondPageBreak(40 * mm),
        Paragraph("The script as it ran", _H2),
        table,
        _p(note, _SMALL),
    ]


def _hand_rows(evidence: Evidence) -> list[list[Flowable | str]]:
    """The steps still to come when the record is printed, to fill in by hand."""
    if evidence.operation not in OPERATIONS:
        return []
    operation: Operation = evidence.operation  # type: ignore[assignment]
    last = max((s.number for s in evidence.steps), default=0)
    rows: list[list[Flowable | str]] = []
    for number, step in numbered(operation):
        if number <= last:
            continue
        title = step.title
        if step.key == "record":
            title += ": complete and legible? \u2610 yes"
        rows.append([_p(str(number)), _p(title), "", _p(step.who), ""])
    return rows


def _deviation_row(number: str, d: Deviation) -> list[Flowable | str]:
    return [
        _p(number) if number else "",
        _p(f"Deviation ({d.kind}): {d.text}", _NOTE),
        _p(_time(d.at), _CELL_MONO),
        "",
        "",
    ]


def _bags_section(evidence: Evidence, width: float, labels: dict[str, str]) -> list[Flowable]:
    bag_rows = _bag_rows(evidence, labels)
    if not bag_rows:
        return []
    return [
        CondPageBreak(40 * mm),
        Paragraph("Shares, check values and bags", _H2),
        _grid(
            [[_p("Share"), _p("Holder"), _p("Check value"), _p("Bag serial")], *bag_rows],
            [30 * mm, width - 118 * mm, 34 * mm, 54 * mm],
        ),
        _p(
            "A check value tells this sheet from any other and reveals nothing about the "
            "key; `ceremony inspect-share` shows it. Check the bag serial before opening.",
            _SMALL,
        ),
    ]


def _opened_section(evidence: Evidence, width: float) -> list[Flowable]:
    if not evidence.bags_opened:
        return []
    opened = [
        [
            _p(b.share),
            _p(b.holder),
            _p(b.serial, _CELL_MONO),
            _p(
                "as recorded" if b.matched else f"NOT {b.expected or 'recorded'}: not used",
                _CELL if b.matched else _NOTE,
            ),
        ]
        for b in evidence.bags_opened
    ]
    header: list[Flowable | str] = [
        _p("Share"), _p("Holder"), _p("Serial opened"), _p("Against the last record"),
    ]  # fmt: skip
    return [
        CondPageBreak(30 * mm),
        Paragraph("Bags opened", _H2),
        _grid([header, *opened], [30 * mm, width - 128 * mm, 44 * mm, 54 * mm]),
    ]


def _drills_section(evidence: Evidence) -> list[Flowable]:
    if not evidence.drill_interval_days:
        return []
    return [
        CondPageBreak(20 * mm),
        Paragraph("Recovery drills", _H2),
        _p(
            f"The custodians chose a drill every {evidence.drill_interval_days} days. "
            f"The next drill is due by {evidence.next_drill}: every custodian's share is "
            "checked, even those not needed to rebuild the key.",
            _BODY,
        ),
    ]


def _transcript_section(evidence: Evidence, width: float) -> list[Flowable]:
    """The transcript's digest as text and QR code, and what the transcript covers."""
    if not evidence.transcript_sha256:
        return []
    digest = evidence.transcript_sha256
    where = (
        "saved with this record"
        if evidence.operation == "reshare"
        else "written beside the answer for Vault"
    )
    text = Table(
        [
            [
                _p(
                    f"The signed transcript (the journal and this record's data) was {where}. "
                    "Check it on any computer, offline:\n"
                    "ceremony verify-record FILE --export-key-check CODE --paper-digest "
                    "DIGEST\nDigest (SHA-256 of the file):",
                    _CELL,
                )
            ],
            [_p(f"{digest[:32]}\n{digest[32:]}", _CELL_MONO)],
        ],
        colWidths=[width - 42 * mm],
    )
    box = Table(
        [[text, _QrFlowable(digest.upper(), 36 * mm)]], colWidths=[width - 40 * mm, 40 * mm]
    )
    box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    covers = []
    if evidence.transcript_signed_at:
        covers = [_p(statement(evidence.operation, evidence.transcript_signed_at), _SMALL)]
    return [KeepTogether([Paragraph("Signed transcript", _H2), box, *covers])]


def _bag_rows(evidence: Evidence, labels: dict[str, str]) -> list[list[Flowable | str]]:
    rows: list[list[Flowable | str]] = []
    seen = set()
    for s in evidence.shares:
        seen.add(s.share)
        rows.append(
            [
                _p(labels.get(s.share, s.share)),
                _p(s.holder),
                _p(s.check_value, _CELL_MONO),
                _p(evidence.bag_of(s.share) or "—", _CELL_MONO),
            ]
        )
    for seal in evidence.bags_sealed:
        if seal.share not in seen:
            seen.add(seal.share)
            rows.append(
                [
                    _p(labels.get(seal.share, seal.share)),
                    _p(seal.holder),
                    _p("—"),
                    _p(evidence.bag_of(seal.share), _CELL_MONO),
                ]
            )
    return rows


def _time(at: str) -> str:
    return at.replace("T", " ").replace("+00:00", "")[:19]


def signature_table(evidence: Evidence, width: float) -> list[Flowable]:
    """A line to sign by hand for every person named: name, role, signature, time."""
    people = [
        *evidence.named("administrator"),
        *evidence.named("witness"),
        *evidence.named("custodian"),
    ]
    rows: list[list[Flowable | str]] = [
        [_p("Name"), _p("Role"), _p("Signature"), "", _p("Date and time")]
    ]
    for person in people:
        role = person.role + (f" ({person.title})" if person.title else "")
        rows.append([_p(person.name), _p(role, _SMALL), "", "", ""])
    widths = [50 * mm, 32 * mm, width - 126 * mm, 6 * mm, 38 * mm]
    table = Table(
        rows,
        colWidths=widths,
        rowHeights=[None] + [13 * mm] * len(people),
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (2, 1), (2, -1), 0.6, colors.black),
                ("LINEBELOW", (4, 1), (4, -1), 0.6, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, _RULE),
            ]
        )
    )
    intro = _p(
        "By signing, each person confirms this record is complete and true, and writes the "
        "time they signed.",
        _SMALL,
    )
    heading = Paragraph("Signatures", _H2)
    return [CondPageBreak(50 * mm), KeepTogether([heading, intro, Spacer(1, 2 * mm), table])]
