"""Share sheets, the ceremony record and printing, through ``ceremony.paper`` and
``ceremony.printing``.

The page data (``SheetData``, ``RecordData``) is built here from the wizard's
context; the PDFs are drawn and printed by the core.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ceremony import paper, printing
from ceremony.paper import model
from ceremony.shares import inspect
from ui.context import CeremonyContext

__all__ = ["print_pdf", "queues", "record", "record_data", "share_sheet", "sheet_data"]

_RECORD_KINDS: dict[str, model.CeremonyKind] = {
    "genesis": "genesis",
    "recovery": "recovery",
    "reshare": "re-share",
    "drill": "drill",
    "verify": "drill",
}


def _size(context: CeremonyContext) -> model.Paper:
    return "letter" if context.paper == "letter" else "a4"


def _scheme(context: CeremonyContext) -> model.Scheme:
    return "checktick" if context.scheme == "checktick" else "slip39"


def sheet_data(context: CeremonyContext, index: int) -> model.SheetData:
    share = context.share_text(index)
    return model.SheetData(
        organisation=context.organisation,
        custodian=context.custodians[index - 1].name,
        index=index,
        count=len(context.custodians),
        threshold=context.threshold,
        set_id=inspect(share).set_id,
        key_version=context.key_version,
        ceremony_id=context.ceremony_id,
        date=context.started_at.strftime("%Y-%m-%d"),
        fingerprint=context.fingerprints.get("custodian", ""),
        share=share,
        scheme=_scheme(context),
        rehearsal=context.rehearsal,
    )


def share_sheet(context: CeremonyContext, index: int) -> bytes:
    return paper.render_share_sheet(sheet_data(context, index), _size(context))


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")


def record_data(context: CeremonyContext) -> model.RecordData:
    attendees = [model.Attendee(c.name, c.role or "custodian") for c in context.custodians]
    attendees += [model.Attendee(name, "custodian") for name in context.share_holders.values()]
    if context.witness:
        attendees.append(model.Attendee(context.witness, "witness"))
    env_rows: tuple[model.EnvironmentRow, ...] = ()
    raw = getattr(context.environment, "raw", None)
    if raw is not None and hasattr(raw, "as_record_rows"):
        env_rows = tuple(model.EnvironmentRow(*row) for row in raw.as_record_rows())
    elif context.environment is not None:
        env_rows = tuple(
            model.EnvironmentRow(c.name, c.text, "blocking" if c.status == "problem" else c.status)
            for c in context.environment.checks
        )
    names = {i + 1: c.name for i, c in enumerate(context.custodians)} | context.share_holders
    indices = sorted(set(names) | set(context.used_indices))
    shares = tuple(
        model.ShareAssignment(
            i,
            names.get(i, f"share {i}"),
            "re-entered and matched" if i in context.verified else "",
        )
        for i in indices
    )
    verification = tuple(model.VerificationResult(text, "done") for _at, text in context.events)
    bundles: tuple[model.BundleDigest, ...] = ()
    if context.bundle is not None:
        bundles = (model.BundleDigest(context.bundle.filename, context.bundle.digest),)
    set_id = None
    if context.shares:
        set_id = inspect(context.share_text(1)).set_id
    return model.RecordData(
        organisation=context.organisation or "—",
        ceremony_id=context.ceremony_id,
        kind=_RECORD_KINDS[context.kind],
        started_at=_stamp(context.started_at),
        ended_at=_stamp(context.finished_at),
        key_version=context.key_version or getattr(context.request, "key_version", "") or "—",
        scheme=_scheme(context),
        threshold=context.threshold,
        count=len(context.custodians) or len(context.used_indices),  # recovery: shares used
        set_id=set_id,
        attendees=tuple(attendees),
        fingerprints=tuple(sorted(context.fingerprints.items())),
        shares=shares,
        environment=env_rows,
        verification=verification,
        bundles=bundles,
        rehearsal=context.rehearsal,
    )


def record(context: CeremonyContext) -> bytes:
    return paper.render_record(record_data(context), _size(context))


def queues() -> list[str]:
    """Queue names, those ready to print first."""
    found = printing.list_queues()
    return [q.name for q in sorted(found, key=lambda q: (not q.ready, not q.default, q.name))]


def print_pdf(pdf: bytes, queue: str, title: str, progress: Callable[[str], None]) -> None:
    printing.print_pdf(pdf, queue, title=title, progress=lambda p: progress(p.message))
