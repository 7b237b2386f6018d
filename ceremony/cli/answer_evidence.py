"""The evidence `ceremony authorize` keeps: roles, steps, check values, a signed transcript.

Every answer for Vault has its transcript, signed with the export key and
written beside the answer (``<answer>-transcript.json``); the answer carries
its digest (``transcript_sha256``), which `ceremony vault apply` stores.
``--record`` also writes the paper record, which prints that digest.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ceremony.errors import CeremonyError

if TYPE_CHECKING:
    from ceremony.evidence.log import EvidenceLog
    from ceremony.gap import Request
    from ceremony.operations.table import Review
    from ceremony.room.environment import EnvironmentReport
    from ceremony.secret import Secret
    from ceremony.shares.session import SessionState

__all__ = ["AnswerEvidence", "add_arguments", "check_paths", "check_record_text", "transcript_path"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--administrator", default="Administrator", help="who runs the ceremony")
    p.add_argument("--witness", default="Witness", help="name of the witness")
    p.add_argument("--also-witness", action="append", default=[], metavar="NAME",
                   help="another witness (repeat for each)")  # fmt: skip
    p.add_argument("--organisation", default="—", help="printed on the record")
    p.add_argument("--record", metavar="PDF", help="also write the ceremony record")


def transcript_path(out: str) -> Path:
    """Where the signed transcript goes: beside the answer."""
    path = Path(out)
    return path.with_name(f"{path.stem}-transcript.json")


def check_record_text(args: argparse.Namespace) -> None:
    """The organisation and ceremony id go into the transcript and onto the record: refused,
    before any share is read, when they read as share words or a key (quoting none of it)."""
    from ceremony.errors import BundleError
    from ceremony.gap.wire import check_label
    from ceremony.shares.secret_text import check_not_secret

    check_not_secret(args.organisation, "the ceremony transcript and record")
    ceremony_id = getattr(args, "ceremony_id", None)
    if ceremony_id is not None:
        check_label(ceremony_id, "ceremony id", BundleError)
        check_not_secret(ceremony_id, "the ceremony transcript and record")


def check_paths(args: argparse.Namespace) -> None:
    """Refuse before anything is read when the transcript or record would overwrite a file,
    or when one of the files could not be written: they are written after the seal, so a
    bad path would leave an answer without its transcript."""
    if not args.out:
        return
    for path in (transcript_path(args.out), Path(args.record) if args.record else None):
        if path is not None and path.exists():
            raise CeremonyError(f"{path} already exists; choose a new file name.")
    outputs = [Path(args.out), transcript_path(args.out)]
    # drill has no --text-out
    outputs += [Path(p) for p in (getattr(args, "text_out", None), args.record) if p]
    if len({p.resolve() for p in outputs}) != len(outputs):
        raise CeremonyError(
            "--out, --text-out, --record and the transcript each need a file name of their own."
        )
    for path in outputs:
        if not path.resolve().parent.is_dir():
            raise CeremonyError(f"The folder of {path} does not exist; create it first.")


@dataclass
class AnswerEvidence:
    """One authorize run's journal, from the roles to the signed transcript."""

    log: EvidenceLog
    started: datetime
    record: Any = None  # the record's data as signed

    @classmethod
    def start(cls, args: argparse.Namespace, request: Request, ceremony_id: str) -> AnswerEvidence:
        from ceremony.evidence.headless import start_answer_log

        witnesses = [args.witness, *args.also_witness]
        log = start_answer_log(request.operation, ceremony_id, args.administrator, witnesses)
        return cls(log, datetime.now(UTC))

    def share_entered(self, text: str) -> None:
        from ceremony.evidence.headless import share_entered

        share_entered(self.log, text)

    def sign(
        self,
        args: argparse.Namespace,
        request: Request,
        review: Review,
        state: SessionState,
        custodian: Secret,
        report: EnvironmentReport,
    ) -> tuple[bytes, dict[str, Any]]:
        """The approved review goes in the journal; the transcript is signed and named."""
        from ceremony.evidence.bundle_fields import sign_answer
        from ceremony.evidence.headless import answer_approved

        answer_approved(self.log)
        record = self._record(args, request, review, state, report)
        self.record = record
        return sign_answer(self.log, record, custodian, request, rehearsal=request.rehearsal)

    def _record(
        self,
        args: argparse.Namespace,
        request: Request,
        review: Review,
        state: SessionState,
        report: EnvironmentReport,
    ) -> Any:
        from ceremony.operations.records import SharesUsed, recovery_record
        from ceremony.paper import EnvironmentRow

        used = SharesUsed(
            state.scheme or "slip39",
            state.set_id,
            state.threshold,
            tuple((i, f"holder of share {i}") for i in state.indices),
        )
        return recovery_record(
            kind=self.log.operation,  # type: ignore[arg-type]
            organisation=args.organisation,
            ceremony_id=self.log.ceremony_id,
            started=self.started,
            ended=datetime.now(UTC),
            key_version=request.key_version,
            used=used,
            fingerprints=review.fingerprints,
            witness=args.witness,
            environment=[EnvironmentRow(*row) for row in report.as_record_rows()],
            rehearsal=request.rehearsal,
        )

    def write(self, args: argparse.Namespace, transcript: bytes, bundle: Any) -> Path:
        """The transcript beside the answer and, if asked, the record that prints its digest."""
        from ceremony.evidence.transcript import with_transcript
        from ceremony.files import create_private_file
        from ceremony.operations.records import bundle_rows
        from ceremony.paper import render_record

        path = create_private_file(transcript_path(args.out), transcript)
        if args.record:
            evidence = with_transcript(self.log.evidence(), transcript)
            printed = replace(self.record, bundles=bundle_rows([bundle]), evidence=evidence)
            create_private_file(args.record, render_record(printed))
        return path
