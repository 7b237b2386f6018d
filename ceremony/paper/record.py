"""The ceremony record: what happened, who was there, what was checked. No secrets.

It is laid out with reportlab's flowables (tables break across pages), and
every page carries the ceremony id, a page number and, for a rehearsal, the
watermark.
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

from ceremony.paper.appendix import appendix_flowables
from ceremony.paper.fonts import MONO, SANS, SANS_BOLD, register_fonts
from ceremony.paper.layout import MUTED, REHEARSAL_TEXT, Page, draw_watermark, mm, page_for
from ceremony.paper.model import Paper, RecordData
from ceremony.paper.no_secret import checked, checked_digest, checked_fingerprint
from ceremony.paper.run_sheet import evidence_story, signature_table

__all__ = ["render_record"]

KIND_TITLES: Final = {
    "genesis": "Genesis: a new platform key",
    "recovery": "Recovery",
    "re-share": "Re-share: new shares for the same key",
    "drill": "Recovery drill",
}
SEVERITY_WORDS: Final = {"ok": "OK", "warning": "Warning", "blocking": "Blocking"}

_BODY = ParagraphStyle("body", fontName=SANS, fontSize=9, leading=12)
_SMALL = ParagraphStyle(
    "small", parent=_BODY, fontSize=8, leading=10, textColor=colors.Color(*MUTED)
)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=8.5, leading=10.5)
_CELL_MONO = ParagraphStyle("cellmono", parent=_CELL, fontName=MONO)
_H1 = ParagraphStyle("h1", fontName=SANS_BOLD, fontSize=22, leading=26)
_H2 = ParagraphStyle("h2", fontName=SANS_BOLD, fontSize=12, leading=15, spaceBefore=9, spaceAfter=4)
_GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), SANS_BOLD, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.92)),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.Color(0.3, 0.3, 0.35)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.Color(0.75, 0.75, 0.78)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


def render_record(data: RecordData, paper: Paper = "a4") -> bytes:
    """The ceremony record as PDF bytes.

    Every piece of text passes :mod:`ceremony.paper.no_secret` on its way to the page: a
    name or note that reads as share words or a key stops the whole record (PaperError).
    """
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
        title=f"Ceremony record {checked(data.ceremony_id)}",
        author=checked(data.organisation),
        subject="Ceremony record (contains no secret)",
        invariant=1,
    )

    def decorate(canvas: Canvas, _doc: object) -> None:
        _page_furniture(canvas, page, data)

    doc.build(_story(data, page), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _page_furniture(canvas: Canvas, page: Page, data: RecordData) -> None:
    canvas.saveState()
    if data.rehearsal:
        draw_watermark(canvas, page)
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont(SANS, 7.5)
    canvas.drawString(
        page.left, page.bottom - 2 * mm, f"Ceremony record · {checked(data.ceremony_id)}"
    )
    canvas.drawRightString(page.right, page.bottom - 2 * mm, f"page {canvas.getPageNumber()}")
    canvas.restoreState()


def _p(text: str, style: ParagraphStyle = _CELL, *, prechecked: bool = False) -> Paragraph:
    """A paragraph of ``text``, checked for secrets unless its exact shape was checked."""
    shown = text if prechecked else checked(text)
    return Paragraph(escape(shown).replace("\n", "<br/>"), style)


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    mono: Sequence[int] = (),
    prechecked: Sequence[int] = (),
) -> Table:
    """``prechecked``: columns whose cells were checked already, as digests or measured results."""
    body = [[_p(h) for h in header]] + [
        [
            _p(cell, _CELL_MONO if i in mono else _CELL, prechecked=i in prechecked)
            for i, cell in enumerate(row)
        ]
        for row in rows
    ]
    table = Table(body, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(_GRID)
    return table


def _facts_table(pairs: Sequence[tuple[str, str]], width: float) -> Table:
    rows = [[_p(label, _SMALL), _p(value)] for label, value in pairs]
    table = Table(rows, colWidths=[38 * mm, width - 38 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.Color(0.8, 0.8, 0.82)),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _section(title: str, *content: Flowable) -> list[Flowable]:
    return [CondPageBreak(30 * mm), Paragraph(escape(checked(title)), _H2), *content]


def _story(data: RecordData, page: Page) -> list[Flowable]:
    w = page.frame_width
    return [
        *_opening(data, w),
        *_people_and_room(data, w),
        *_what_was_done(data, w),
        *_evidence_and_signatures(data, w),
        *appendix_flowables(data),
    ]


def _opening(data: RecordData, w: float) -> list[Flowable]:
    """The mark, the title and the ceremony's facts."""
    story: list[Flowable] = []
    if data.rehearsal:
        story.append(
            Paragraph(f'<font color="#b81212"><b>{escape(REHEARSAL_TEXT)}</b></font>', _BODY)
        )
    story += [
        Paragraph(escape(checked(data.organisation)).upper(), _SMALL),
        Paragraph("Ceremony record", _H1),
        Spacer(1, 1.5 * mm),
        Paragraph(
            "This record holds no secret: no share, no key. It may be copied and filed. "
            "Every attendee signs it at the end of the ceremony.",
            _SMALL,
        ),
        Spacer(1, 4 * mm),
    ]
    share_set = data.policy_text if data.groups else f"any {data.threshold} of {data.count}"
    scheme = "SLIP-39" if data.scheme == "slip39" else "CheckTick legacy"
    facts = [
        ("Ceremony", data.ceremony_id),
        ("Kind", KIND_TITLES.get(data.kind, data.kind)),
        ("Started", data.started_at),
        ("Ended", data.ended_at),
        ("Key version", data.key_version),
        ("Shares", f"{scheme}, {share_set}" + (f", set id {data.set_id}" if data.set_id else "")),
    ]
    story.append(_facts_table(facts, w))
    return story


def _people_and_room(data: RecordData, w: float) -> list[Flowable]:
    """Fingerprints, attendees, the environment checks and the groups."""
    story = _section(
        "Fingerprints",
        _table(
            ["Component", "Fingerprint"],
            [(label, checked_fingerprint(fp)) for label, fp in data.fingerprints],
            [60 * mm, w - 60 * mm],
            mono=(1,),
        ),
        Paragraph("A fingerprint identifies a key without revealing it.", _SMALL),
    )
    story += _section(
        "Attendees",
        _table(
            ["Name", "Role"],
            [(a.name, a.role_text) for a in data.attendees],
            [90 * mm, w - 90 * mm],
        ),
    )
    if data.environment:
        story += _section(
            "Environment checks",
            _table(
                ["Check", "Result", "Status"],
                [
                    (e.check, checked(e.result, digests=True), SEVERITY_WORDS.get(e.severity, ""))
                    for e in data.environment
                ],
                [45 * mm, w - 70 * mm, 25 * mm],
                prechecked=(1,),
            ),
        )
    if data.groups:
        story += _groups_section(data, w)
    return story


def _groups_section(data: RecordData, w: float) -> list[Flowable]:
    return _section(
        "Groups",
        _table(
            ["Group", "Members", "Needed"],
            [
                (g.name, ", ".join(g.members), f"any {g.threshold} of {len(g.members)}")
                for g in data.groups
            ],
            [35 * mm, w - 70 * mm, 35 * mm],
        ),
        Paragraph(
            escape(
                f"Any {data.group_threshold} of the {len(data.groups)} groups, each "
                "complete, rebuild the key."
            ),
            _SMALL,
        ),
    )


def _what_was_done(data: RecordData, w: float) -> list[Flowable]:
    """Shares, revoked shares, verification results, bundles and deviations."""
    story = _section("Shares and custodians", _shares_table(data, w))
    if data.revoked:
        story += _section("Revoked shares", *(_p(line, _BODY) for line in data.revoked))
    story += _section(
        "Verification results",
        _table(
            ["What", "Outcome", "Detail"],
            [(v.what, v.outcome, v.detail) for v in data.verification]
            or [("—", "none recorded", "")],
            [60 * mm, 25 * mm, w - 85 * mm],
        ),
    )
    story += _section(
        "Exported bundles",
        _table(
            ["Bundle", "SHA-256"],
            [(b.label, checked_digest(b.sha256)) for b in data.bundles] or [("none exported", "")],
            [45 * mm, w - 45 * mm],
            mono=(1,),
            prechecked=(1,),
        ),
    )
    return story + _section("Deviations and notes", _p(data.deviations or "None recorded.", _BODY))


def _evidence_and_signatures(data: RecordData, w: float) -> list[Flowable]:
    story: list[Flowable] = []
    if data.evidence is not None:
        labels = {str(s.index): s.label or f"{s.index} of {data.count}" for s in data.shares}
        story += evidence_story(data.evidence, w, labels)
    if data.evidence is not None and data.evidence.people:
        return story + signature_table(data.evidence, w)
    return story + _signatures(data, w)


def _shares_table(data: RecordData, w: float) -> Table:
    rows = [
        (s.label or f"{s.index} of {data.count}", s.custodian, s.verified or "not verified")
        for s in data.shares
    ]
    if not any(s.check_value for s in data.shares):
        return _table(["Share", "Custodian", "Verified"], rows, [32 * mm, 63 * mm, w - 95 * mm])
    return _table(
        ["Share", "Custodian", "Verified", "Check value"],
        [(*row, s.check_value or "—") for row, s in zip(rows, data.shares, strict=True)],
        [28 * mm, 50 * mm, w - 106 * mm, 28 * mm],
        mono=(3,),
    )


def _signatures(data: RecordData, width: float) -> list[Flowable]:
    people = [(name, "custodian") for name in data.custodians] + [
        (name, "witness") for name in data.witnesses
    ]
    rows: list[list[Flowable | str]] = [
        [_p(name), _p(role, _SMALL), "", "", ""] for name, role in people
    ]
    rows.insert(0, [_p("Name"), _p("Role"), _p("Signature"), "", _p("Date")])
    widths = [55 * mm, 25 * mm, width - 118 * mm, 8 * mm, 30 * mm]
    heights = [None] + [12 * mm] * len(people)
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (2, 1), (2, -1), 0.6, colors.black),
                ("LINEBELOW", (4, 1), (4, -1), 0.6, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.Color(0.3, 0.3, 0.35)),
            ]
        )
    )
    intro = Paragraph(
        "By signing, each attendee confirms this record is complete and true.", _SMALL
    )
    return [
        CondPageBreak(50 * mm),
        Paragraph("Signatures", _H2),
        KeepTogether([intro, Spacer(1, 2 * mm), table]),
    ]
