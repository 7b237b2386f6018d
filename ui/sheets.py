"""Share sheets and the ceremony record as PDFs, from what the wizard collected; printing.

Sheets come from the genesis (or re-share) keys, records from
``ceremony.operations.genesis`` and ``ceremony.operations.records``: this module turns the wizard's
context (holders' names, shares used, the environment report, checks made,
the sealed answer) into the core's record data. PDFs are drawn by
``ceremony.paper`` and printed by ``ceremony.printers.cups``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ceremony import paper
from ceremony.errors import CeremonyError
from ceremony.operations.genesis import GenesisKeys, genesis_record
from ceremony.operations.records import SharesUsed, recovery_record, reshare_record
from ceremony.paper import EnvironmentRow, RecordData
from ceremony.printers import cups
from ui.context import CeremonyContext

__all__ = ["print_pdf", "record_data", "record_pdf", "share_sheet_pdf"]


def _keys(context: CeremonyContext) -> GenesisKeys:
    if context.genesis is None or not context.genesis.shares:
        raise CeremonyError("The shares are not in memory any more; start the ceremony again.")
    return context.genesis


def share_sheet_pdf(context: CeremonyContext, index: int) -> bytes:
    return paper.render_share_sheet(_keys(context).sheet(index), context.paper)


def _environment_rows(context: CeremonyContext) -> tuple[EnvironmentRow, ...]:
    env = context.environment
    return tuple(EnvironmentRow(*row) for row in env.as_record_rows()) if env else ()


def _shares_used(context: CeremonyContext) -> SharesUsed:
    state = context.session.state() if context.session is not None else None
    names = context.share_holders
    return SharesUsed(
        scheme=state.scheme if state is not None and state.scheme else "slip39",
        set_id=state.set_id if state is not None else None,
        threshold=state.threshold if state is not None else None,
        holders=tuple((i, names.get(i, f"holder of share {i}")) for i in context.used_indices),
    )


def record_data(context: CeremonyContext) -> RecordData:
    """The record, with the evidence the journal holds (roles, steps, bags, transcript digest)."""
    import dataclasses

    from ceremony.evidence.transcript import with_transcript

    evidence = context.log.evidence()
    if context.transcript is not None:
        evidence = with_transcript(evidence, context.transcript)
    return dataclasses.replace(_record_data(context), evidence=evidence)


def _record_data(context: CeremonyContext) -> RecordData:
    ended = context.finished_at or datetime.now(UTC)
    env = _environment_rows(context)
    checks = tuple(context.verification)
    bundles = (context.bundle,) if context.bundle is not None else ()
    if context.kind == "genesis":
        return genesis_record(
            _any_keys(context), ended=ended, environment=env, verification=checks, bundles=bundles
        )
    if context.kind == "reshare":
        return reshare_record(
            _any_keys(context),
            old=_shares_used(context),
            ended=ended,
            environment=env,
            verification=checks,
        )
    request = context.request
    return recovery_record(
        kind="recovery" if context.kind == "recovery" else "drill",  # a checked share: a drill
        organisation=context.organisation or "—",
        ceremony_id=context.ceremony_id,
        started=context.started_at,
        ended=ended,
        key_version=request.key_version if request is not None else "—",
        used=_shares_used(context),
        fingerprints=context.fingerprints,
        witness=context.witness,
        environment=env,
        verification=checks,
        bundles=bundles,
        rehearsal=context.rehearsal,
    )


def _any_keys(context: CeremonyContext) -> GenesisKeys:
    """The keys, wiped or not: a record needs only their public facts."""
    if context.genesis is None:
        raise CeremonyError("No shares were made in this ceremony, so there is nothing to record.")
    return context.genesis


def record_pdf(context: CeremonyContext) -> bytes:
    return paper.render_record(record_data(context), context.paper)


def print_pdf(pdf: bytes, queue: str, title: str, progress: Callable[[str], None]) -> None:
    """Print and wait for the job, telling ``progress`` each state in plain words."""
    cups.print_pdf(pdf, queue, title=title, progress=lambda p: progress(p.message))
