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
from ceremony.gap import bundle_digest
from ceremony.operations.authorize import new_ceremony_id
from ceremony.operations.records import SharesUsed, recovery_record
from ceremony.operations.verify import attest
from ceremony.paper import EnvironmentRow, render_record
from ceremony.room.guard import REHEARSAL_MARK, enter_ceremony
from ceremony.shares import inspect
from ceremony.shares.session import RecoverySession

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
    if not args.administrator.strip() or not args.witness.strip():
        raise CeremonyError("Name the administrator and the witness; both sign the record.")
    if not 1 <= args.drill_interval_days <= MAX_DRILL_DAYS:
        raise CeremonyError(f"--drill-interval-days is 1 to {MAX_DRILL_DAYS}.")
    for flag, values in (("--opened-bag", args.opened_bag), ("--new-bag", args.new_bag)):
        for serial in parse_pairs(values, flag, "bag serial").values():
            check_bag_serial(serial)


def cmd_drill(args: argparse.Namespace) -> int:
    report = enter_ceremony(args.rehearsal).report
    _check_arguments(args)
    request = load_request_argument(args.request)
    if request.operation != "verify":
        raise CeremonyError(f"This request asks for {request.describe()}; a drill answers verify.")
    registered = request.registration.export_public_key if request.registration else None
    expected: dict[str, str] = {}
    if args.bags_from:
        try:
            data = Path(args.bags_from).read_bytes()
        except OSError as err:
            raise CeremonyError(f"Cannot read {args.bags_from}: {err.strerror or err}.") from None
        expected = bags_from_transcript(data, registered)
    elif args.expect_bag:
        expected = parse_pairs(args.expect_bag, "--expect-bag", "bag serial")
    opened = parse_pairs(args.opened_bag, "--opened-bag", "bag serial")
    holders = parse_pairs(args.holder, "--holder", "holder's name")
    new_bags = parse_pairs(args.new_bag, "--new-bag", "bag serial")
    started = datetime.now(UTC)
    ceremony_id = new_ceremony_id()
    log = EvidenceLog("drill", ceremony_id)
    log.roles(args.administrator, witnesses(args), [])
    log.drill_interval(args.drill_interval_days, started.date())
    done_steps(log, "drill", ("environment", "roles", "request", "operation"))
    if args.no_bags:
        log.deviation("no-bags", "The last record lists no bags; no bag was checked.")
    else:
        log.journal.record("bags-expected", source="command line", bags=expected)
    done_steps(log, "drill", ("expected-bags",))
    passphrase = read_passphrase(False, args.passphrase_file)
    session = RecoverySession(passphrase=passphrase)
    refused: list[str] = []
    accepted: list[tuple[str, str]] = []  # (share, holder)
    try:
        log.at_step(6)
        for number, line in enumerate(read_secret_lines(), start=1):
            try:
                key = share_key(line)
            except ShareError as err:
                raise ShareError(f"Line {number}: {err.message}") from None
            holder = holders.get(key) or f"holder of share {key}"
            if expected and not log.bag_opened(
                key, holder, opened.get(key, "(none typed)"), expected.get(key, "")
            ):
                refused.append(key)
                print(f"ceremony: share {key} ({holder}): {SWAPPED_BAG}", file=sys.stderr)
                continue
            outcome = session.add(line)
            if outcome.code in ("group_full", "not_needed"):  # not needed: checked all the same
                print(
                    f"ceremony: note: share {key}: checked, not needed to rebuild", file=sys.stderr
                )
            elif not outcome.accepted:
                log.deviation("refused", f"Share {key} ({holder}): {outcome.code}")
                print(f"ceremony: line {number}: {outcome.message}", file=sys.stderr)
                continue
            info = inspect(line)
            log.share_made(key, holder, check_value(line))
            log.share_checked(info.set_id or "legacy", key, holder)
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
    with component:
        done_steps(
            log, "drill", ("collect", "fingerprint")
        )  # the rebuilt key is the registered one
        missing = [k for k, _ in accepted if k not in new_bags]
        log.at_step(10)
        for key, holder in accepted:
            if key in new_bags:
                log.bag_sealed(key, holder, new_bags[key])
        if missing:
            log.deviation("no-bags", f"No new bag given for share(s) {', '.join(missing)}.")
        else:
            log.step_done(10)
        log.at_step(11)
        record = recovery_record(
            kind="drill",
            organisation=args.organisation,
            ceremony_id=ceremony_id,
            started=started,
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
            environment=[EnvironmentRow(*row) for row in report.as_record_rows()],
            rehearsal=request.rehearsal,
        )
        transcript, fields = sign_answer(
            log, record, component, request, rehearsal=request.rehearsal
        )
        digest = transcript_sha256(transcript)
        bundle = attest(
            request, component, ceremony_id, rehearsal=request.rehearsal, evidence=fields
        )
    out = Path(args.out)
    create_private_file(out, bundle.to_bytes())
    transcript_path = out.with_name(f"{out.stem}-transcript.json")
    create_private_file(transcript_path, transcript)
    if args.record:
        evidence = with_transcript(log.evidence(), transcript)
        printed = dataclasses.replace(record, bundles=(), evidence=evidence)
        create_private_file(args.record, render_record(printed))
    summary = {
        "ceremony_id": ceremony_id,
        "bundle": str(out),
        "digest": bundle_digest(bundle),
        "transcript": str(transcript_path),
        "transcript_sha256": digest,
        "shares_checked": [{"share": k, "holder": h} for k, h in accepted],
        "refused_bags": refused,
        "rehearsal": request.rehearsal,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        if request.rehearsal:
            print(REHEARSAL_MARK)
        print(f"Shares checked: {', '.join(k for k, _ in accepted)}")
        if refused:
            print(f"Not used (bag differs from the record): {', '.join(refused)}")
        print(f"Answer written to {out}; signed transcript {transcript_path}")
        print(f"Transcript digest: {digest}")
    return 0
