"""`ceremony genesis`: a headless genesis that answers a Vault install request.

The same core as the desktop wizard (``ceremony.operations.genesis``): share sheets, the
sealed install bundle, the ceremony record, and the shares as text only when
``--shares-text`` asks for them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ceremony.cli.evidence_options import (
    check_genesis_evidence,
    evidence_arguments,
    genesis_log,
)
from ceremony.cli.io import load_request_argument
from ceremony.errors import CeremonyError
from ceremony.evidence.bundle_fields import sign_answer
from ceremony.evidence.transcript import transcript_sha256, with_transcript
from ceremony.files import create_private_file
from ceremony.operations.genesis import GenesisKeys, GenesisPlan, generate, genesis_record
from ceremony.operations.install import seal_install
from ceremony.operations.table import Room, refuse
from ceremony.paper import EnvironmentRow, VerificationResult, render_record, render_share_sheets
from ceremony.room.guard import enter_ceremony
from ceremony.shares import SCHEMES

__all__ = ["register"]

SHEETS = "share-sheets.pdf"
RECORD = "ceremony-record.pdf"
BUNDLE = "install-bundle.ctb"
BUNDLE_TEXT = "install-bundle.txt"
SHARES_TEXT = "shares.txt"
TRANSCRIPT = "ceremony-transcript.json"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "genesis",
        help="new key split answering an install request: sheets, sealed bundle, record",
    )
    p.add_argument("--custodians", required=True, help='comma-separated names, e.g. "Ann,Ben,Cat"')
    p.add_argument("--threshold", type=int, required=True, help="shares needed to rebuild")
    p.add_argument("--request", required=True, metavar="CODE_OR_FILE", help="install request")
    p.add_argument("--out", required=True, help="folder for the output (created, must be empty)")
    p.add_argument("--organisation", default="CheckTick", help="printed on every sheet")
    p.add_argument("--witness", default="Witness", help="name of the witness")
    p.add_argument("--key-version", help="key version label (default: the request's)")
    p.add_argument("--format", choices=SCHEMES, default="slip39", help="share format")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.add_argument("--shares-text", action="store_true", help="also write the shares (0600)")
    p.add_argument(
        "--iteration-exponent",
        type=int,
        default=1,
        metavar="E",
        help="SLIP-39 iteration exponent, printed on each sheet",
    )
    p.add_argument("--rehearsal", action="store_true", help="watermark everything; allow network")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    evidence_arguments(p)
    p.set_defaults(func=cmd_genesis)


def _prepare_folder(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        raise CeremonyError(f"{out} is not empty; choose a new folder.")
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:
        raise CeremonyError(f"Cannot create the folder {out}: {err.strerror}.") from None


def cmd_genesis(args: argparse.Namespace) -> int:
    report = enter_ceremony(args.rehearsal).report
    request = load_request_argument(args.request)
    # Every check the request allows is made before any key exists (the operation table's).
    refuse(
        request,
        Room(rehearsal=args.rehearsal, answers=("install",), key_version=args.key_version or ""),
    )
    plan = GenesisPlan(
        organisation=args.organisation,
        key_version=request.key_version,
        custodians=tuple(n.strip() for n in args.custodians.split(",")),
        threshold=args.threshold,
        witness=args.witness,
        scheme=args.format,
        paper=args.paper,
        rehearsal=args.rehearsal,
        iteration_exponent=args.iteration_exponent,
    )
    plan.check()
    check_genesis_evidence(args, len(plan.custodians))
    out = Path(args.out)
    _prepare_folder(out)
    genesis = generate(plan)
    try:
        summary = _write_outputs(genesis, request, out, args, report.as_record_rows())
    finally:
        genesis.wipe()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print_summary(summary)
    return 0


def _write_outputs(
    genesis: GenesisKeys,
    request: Any,
    out: Path,
    args: argparse.Namespace,
    environment_rows: list[tuple[str, str, str]],
) -> dict[str, Any]:
    checked = genesis.check_rebuild()
    log = genesis_log(genesis, args)
    draft = genesis_record(genesis, ended=datetime.now(UTC))
    transcript, fields = sign_answer(
        log, draft, genesis.custodian, request, rehearsal=genesis.plan.rehearsal
    )
    digest = transcript_sha256(transcript)
    bundle = seal_install(genesis, request, evidence=fields)
    transcript_path = create_private_file(out / TRANSCRIPT, transcript)
    sheets = create_private_file(out / SHEETS, render_share_sheets(genesis.sheets(), args.paper))
    bundle_path = create_private_file(out / BUNDLE, bundle.to_bytes())
    create_private_file(out / BUNDLE_TEXT, bundle.text_line() + "\n")
    shares_text = None
    if args.shares_text:
        shares_text = create_private_file(
            out / SHARES_TEXT, genesis.shares_text([f"Ceremony {genesis.ceremony_id}"])
        )
    verification = [
        VerificationResult(
            f"Shares {', '.join(map(str, subset))}",
            "passed",
            "rebuilt the custodian component in memory before printing",
        )
        for subset in checked
    ]
    record = genesis_record(
        genesis,
        ended=datetime.now(UTC),
        environment=[EnvironmentRow(*row) for row in environment_rows],
        verification=verification,
        bundles=[bundle],
        deviations="Headless genesis: shares were not re-entered from paper by the custodians. "
        "Verify every printed share with `ceremony combine` or the desktop app.",
    )
    evidence = with_transcript(log.evidence(), transcript)
    record = dataclasses.replace(record, evidence=evidence)
    record_path = create_private_file(out / RECORD, render_record(record, args.paper))
    return {
        "ceremony_id": genesis.ceremony_id,
        "request_id": request.id,
        "set_id": genesis.set_id,
        "sheets": str(sheets),
        "bundle": str(bundle_path),
        "bundle_text": str(out / BUNDLE_TEXT),
        "record": str(record_path),
        "transcript": str(transcript_path),
        "transcript_sha256": digest,
        "shares_text": str(shares_text) if shares_text else None,
        "fingerprints": genesis.fingerprints,
        "export_key_check": genesis.export_key_check,
        "rehearsal": genesis.plan.rehearsal,
    }


def _print_summary(summary: dict[str, Any]) -> None:
    if summary["rehearsal"]:
        print("REHEARSAL — NOT A REAL KEY")
    print(f"ceremony id:            {summary['ceremony_id']}")
    print(f"share set id:           {summary['set_id'] or 'none (CheckTick format)'}")
    for label, fp in summary["fingerprints"].items():
        print(f"{label + ' fingerprint:':<24}{fp}")
    print(f"export key check:       {summary['export_key_check']}")
    print(f"share sheets:           {summary['sheets']}")
    print(f"install bundle:         {summary['bundle']} (text: {summary['bundle_text']})")
    print(f"ceremony record:        {summary['record']}")
    print(f"signed transcript:      {summary['transcript']}")
    print(f"transcript digest:      {summary['transcript_sha256']}")
    if summary["shares_text"]:
        print(f"shares (0600):          {summary['shares_text']}")
    print(
        "Carry the install bundle to the online side: ceremony vault apply BUNDLE "
        "--expect-export-key CODE, with CODE typed from the printed ceremony record."
    )
