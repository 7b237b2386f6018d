"""`ceremony drill`: a headless recovery drill with bags, witnesses and a signed transcript.

Shares come on standard input, one a line. Before a share counts, the serial
of the bag it came out of (``--opened-bag N=SERIAL``) is checked against the
last record (``--bags-from`` its signed transcript, or ``--expect-bag``): a
bag that differs stops that share, and the good shares are kept. Every
share checked goes into a new bag (``--new-bag``); the answer names every
share checked, and its transcript is written beside it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ceremony import keys
from ceremony.cli.answer_evidence import check_paths, check_record_text
from ceremony.cli.evidence_options import evidence_arguments, witnesses
from ceremony.cli.io import load_request_argument, read_passphrase, read_secret_lines
from ceremony.errors import CeremonyError, ShareError
from ceremony.evidence.bags import bags_from_transcript
from ceremony.evidence.bundle_fields import sign_answer
from ceremony.evidence.check_value import check_value, share_key
from ceremony.evidence.headless import done_steps, parse_pairs
from ceremony.evidence.log import MAX_DRILL_DAYS, SWAPPED_BAG, EvidenceLog, check_bag_serial
from ceremony.evidence.transcript import transcript_sha256, with_transcript
from ceremony.files import create_private_file
from ceremony.gap import Bundle, Request, bundle_digest
from ceremony.operations.authorize import new_ceremony_id
from ceremony.operations.records import SharesUsed, recovery_record
from ceremony.operations.verify import attest
from ceremony.paper import EnvironmentRow, RecordData, render_record
from ceremony.room.guard import REHEARSAL_MARK, enter_ceremony
from ceremony.secret import Secret
from ceremony.shares import inspect
from ceremony.shares.secret_text import check_not_secret
from ceremony.shares.session import RecoverySession, SessionState

__all__ = ["register"]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "drill",
        help="a recovery drill: every share checked, bags checked and renewed; shares on stdin",
    )
    p.add_argument("--request", required=True, metavar="CODE_OR_FILE", help="the verify request")
    p.add_argument("--out", required=True, metavar="BUNDLE", help="answer file to create")
    p.add_argument("--record", metavar="PDF", help="also write the ceremony record")
    p.add_argument("--witness", required=True, help="name of the witness")
    p.add_argument("--organisation", default="—", help="printed on the record")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--bags-from", metavar="TRANSCRIPT", help="the last ceremony's signed transcript"
    )
    source.add_argument(
        "--expect-bag",
        action="append",
        metavar="N=SERIAL",
        help="a bag serial as the last paper record lists it (repeat for each share)",
    )
    source.add_argument(
        "--no-bags", action="store_true", help="the last record lists no bags (an older set)"
    )
    p.add_argument("--opened-bag", action="append", default=[], metavar="N=SERIAL",
                   help="the serial of the bag share N came out of today")  # fmt: skip
    p.add_argument("--holder", action="append", default=[], metavar="N=NAME",
                   help="who holds share N (repeat for each)")  # fmt: skip
    p.add_argument("--passphrase-file", metavar="FILE", help="SLIP-39 passphrase from FILE")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.add_argument("--rehearsal", action="store_true", help="allow a network or radio; mark output")
    evidence_arguments(p, drill=True)
    p.set_defaults(func=cmd_drill)


def _check_arguments(args: argparse.Namespace) -> None:
    if Path(args.out).exists():
        raise CeremonyError(f"{args.out} exists already; choose a new file name.")
    check_paths(args)  # the transcript and record are written only after the seal
    if not args.administrator.strip() or not args.witness.strip():
        raise CeremonyError("Name the administrator and the witness; both sign the record.")
    check_record_text(args)
    if not 1 <= args.drill_interval_days <= MAX_DRILL_DAYS:
        raise CeremonyError(f"--drill-interval-days is 1 to {MAX_DRILL_DAYS}.")
    for name in parse_pairs(args.holder, "--holder", "holder's name").values():
        check_not_secret(name, "the ceremony journal and record")  # printed in the summary
    for flag, values in (("--opened-bag", args.opened_bag), ("--new-bag", args.new_bag)):
        for serial in parse_pairs(values, flag, "bag serial").values():
            check_bag_serial(serial)


@dataclasses.dataclass(frozen=True)
class _Bags:
    """What the command line says about bags and who holds each share."""

    expected: dict[str, str]  # from the last record; empty with --no-bags
    opened: dict[str, str]
    new: dict[str, str]
    holders: dict[str, str]

    def holder(self, key: str) -> str:
        return self.holders.get(key) or f"holder of share {key}"


@dataclasses.dataclass(frozen=True)
class _Drill:
    """One drill under way: what was asked, and the log that becomes its transcript."""

    args: argparse.Namespace
    request: Request
    bags: _Bags
    log: EvidenceLog
    ceremony_id: str
    started: datetime


@dataclasses.dataclass
class _Checked:
    """The shares entered: the rebuilt component, and which shares counted or were refused."""

    state: SessionState
    component: Secret
    accepted: list[tuple[str, str]]  # (share, holder)
    refused: list[str]  # shares whose bag differs from the record


@dataclasses.dataclass(frozen=True)
class _Sealed:
    bundle: Bundle
    record: RecordData
    transcript: bytes
    digest: str  # the transcript's SHA-256


def cmd_drill(args: argparse.Namespace) -> int:
    report = enter_ceremony(args.rehearsal).report
    _check_arguments(args)
    request = load_request_argument(args.request)
    if request.operation != "verify":
        raise CeremonyError(f"This request asks for {request.describe()}; a drill answers verify.")
    drill = _start_drill(args, request)
    passphrase = read_passphrase(False, args.passphrase_file)
    checked = _check_shares(drill, passphrase)
    with checked.component:
        # the rebuilt key is the registered one
        done_steps(drill.log, "drill", ("collect", "fingerprint"))
        _renew_bags(drill, checked.accepted)
        drill.log.at_step(11)
        rows = [EnvironmentRow(*row) for row in report.as_record_rows()]
        sealed = _seal(drill, checked, rows)
    out, transcript_path = _write_answer(drill, sealed)
    _print_summary(drill, checked, sealed, out, transcript_path)
    return 0


def _start_drill(args: argparse.Namespace, request: Request) -> _Drill:
    """The bags from the command line, and the log up to the expected bags."""
    bags = _Bags(
        expected=_expected_bags(args, request),
        opened=parse_pairs(args.opened_bag, "--opened-bag", "bag serial"),
        holders=parse_pairs(args.holder, "--holder", "holder's name"),
        new=parse_pairs(args.new_bag, "--new-bag", "bag serial"),
    )
    started = datetime.now(UTC)
    ceremony_id = new_ceremony_id()
    log = EvidenceLog("drill", ceremony_id)
    log.roles(args.administrator, witnesses(args), [])
    log.drill_interval(args.drill_interval_days, started.date())
    done_steps(log, "drill", ("environment", "roles", "request", "operation"))
    if args.no_bags:
        log.deviation("no-bags", "The last record lists no bags; no bag was checked.")
    else:
        log.journal.record("bags-expected", source="command line", bags=bags.expected)
    done_steps(log, "drill", ("expected-bags",))
    return _Drill(args, request, bags, log, ceremony_id, started)


def _expected_bags(args: argparse.Namespace, request: Request) -> dict[str, str]:
    """The bag serials the last record lists: its signed transcript, or as typed."""
    if args.bags_from:
        registered = request.registration.export_public_key if request.registration else None
        from ceremony.evidence.transcript import read_transcript_file

        return bags_from_transcript(read_transcript_file(args.bags_from), registered)
    if args.expect_bag:
        return parse_pairs(args.expect_bag, "--expect-bag", "bag serial")
    return {}


def _check_shares(drill: _Drill, passphrase: bytes) -> _Checked:
    """Every share on stdin: its bag checked first, then the share itself."""
    session = RecoverySession(passphrase=passphrase)
    refused: list[str] = []
    accepted: list[tuple[str, str]] = []
    try:
        drill.log.at_step(6)
        for number, line in enumerate(read_secret_lines(), start=1):
            try:
                key = share_key(line)
            except ShareError as err:
                raise ShareError(f"Line {number}: {err.message}") from None
            holder = drill.bags.holder(key)
            if not _bag_matches(drill, key, holder):
                refused.append(key)
                print(f"ceremony: share {key} ({holder}): {SWAPPED_BAG}", file=sys.stderr)
                continue
            if _add_share(drill.log, session, line, number, key, holder):
                accepted.append((key, holder))
        state = session.state()
        if not state.complete:
            raise ShareError(
                f"Only {len(accepted)} good share(s) were entered; the drill needs "
                f"{state.threshold or 'more'}. Nothing was sealed."
            )
        component = session.recover()
    finally:
        session.wipe()
    return _Checked(state, component, accepted, refused)


def _bag_matches(drill: _Drill, key: str, holder: str) -> bool:
    """Whether share ``key`` came out of the bag the last record lists (logged either way)."""
    bags = drill.bags
    if not bags.expected:
        return True
    return drill.log.bag_opened(
        key, holder, bags.opened.get(key, "(none typed)"), bags.expected.get(key, "")
    )


def _add_share(
    log: EvidenceLog, session: RecoverySession, line: str, number: int, key: str, holder: str
) -> bool:
    """Check one share; a share not needed to rebuild still counts as checked."""
    outcome = session.add(line)
    if outcome.code in ("group_full", "not_needed"):
        print(f"ceremony: note: share {key}: checked, not needed to rebuild", file=sys.stderr)
    elif not outcome.accepted:
        log.deviation("refused", f"Share {key} ({holder}): {outcome.code}")
        print(f"ceremony: line {number}: {outcome.message}", file=sys.stderr)
        return False
    info = inspect(line)
    log.share_made(key, holder, check_value(line))
    log.share_checked(info.set_id or "legacy", key, holder)
    return True


def _renew_bags(drill: _Drill, accepted: list[tuple[str, str]]) -> None:
    """Step 10: every checked share goes into a new bag; a share without one is a deviation."""
    log, new_bags = drill.log, drill.bags.new
    missing = [k for k, _ in accepted if k not in new_bags]
    log.at_step(10)
    for key, holder in accepted:
        if key in new_bags:
            log.bag_sealed(key, holder, new_bags[key])
    if missing:
        log.deviation("no-bags", f"No new bag given for share(s) {', '.join(missing)}.")
    else:
        log.step_done(10)


def _seal(drill: _Drill, checked: _Checked, environment: list[EnvironmentRow]) -> _Sealed:
    """The record, the signed transcript, and the answer that names its digest."""
    args, request, state = drill.args, drill.request, checked.state
    holders = drill.bags.holders
    component = checked.component
    record = recovery_record(
        kind="drill",
        organisation=args.organisation,
        ceremony_id=drill.ceremony_id,
        started=drill.started,
        ended=datetime.now(UTC),
        key_version=request.key_version,
        used=SharesUsed(
            state.scheme or "slip39",
            state.set_id,
            state.threshold,
            tuple((i, holders.get(str(i), f"holder of share {i}")) for i in state.indices),
        ),
        fingerprints={"custodian": keys.fingerprint(component, "custodian")},
        witness=args.witness,
        environment=environment,
        rehearsal=request.rehearsal,
    )
    transcript, fields = sign_answer(
        drill.log, record, component, request, rehearsal=request.rehearsal
    )
    digest = transcript_sha256(transcript)
    bundle = attest(
        request, component, drill.ceremony_id, rehearsal=request.rehearsal, evidence=fields
    )
    return _Sealed(bundle, record, transcript, digest)


def _write_answer(drill: _Drill, sealed: _Sealed) -> tuple[Path, Path]:
    """The answer, its transcript beside it and, if asked, the record."""
    out = Path(drill.args.out)
    create_private_file(out, sealed.bundle.to_bytes())
    transcript_path = out.with_name(f"{out.stem}-transcript.json")
    create_private_file(transcript_path, sealed.transcript)
    if drill.args.record:
        evidence = with_transcript(drill.log.evidence(), sealed.transcript)
        printed = dataclasses.replace(sealed.record, bundles=(), evidence=evidence)
        create_private_file(drill.args.record, render_record(printed))
    return out, transcript_path


def _print_summary(
    drill: _Drill, checked: _Checked, sealed: _Sealed, out: Path, transcript_path: Path
) -> None:
    accepted, refused, rehearsal = checked.accepted, checked.refused, drill.request.rehearsal
    if drill.args.json:
        summary = {
            "ceremony_id": drill.ceremony_id,
            "bundle": str(out),
            "digest": bundle_digest(sealed.bundle),
            "transcript": str(transcript_path),
            "transcript_sha256": sealed.digest,
            "shares_checked": [{"share": k, "holder": h} for k, h in accepted],
            "refused_bags": refused,
            "rehearsal": rehearsal,
        }
        print(json.dumps(summary, indent=2))
        return
    if rehearsal:
        print(REHEARSAL_MARK)
    print(f"Shares checked: {', '.join(k for k, _ in accepted)}")
    if refused:
        print(f"Not used (bag differs from the record): {', '.join(refused)}")
    print(f"Answer written to {out}; signed transcript {transcript_path}")
    print(f"Transcript digest: {sealed.digest}")
