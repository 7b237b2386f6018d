"""`ceremony script` (the run sheet before a ceremony) and `ceremony verify-record` (after)."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from ceremony.errors import CeremonyError
from ceremony.evidence.steps import OPERATIONS, numbered
from ceremony.shown import shown

__all__ = ["register"]

EXIT_NOT_VERIFIED = 1
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "script",
        help="print a ceremony's run sheet: numbered steps, who does each, witness initials",
    )
    p.add_argument("--operation", required=True, choices=OPERATIONS)
    p.add_argument("--pdf", metavar="FILE", help="also write the run sheet as a PDF to fill in")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.add_argument("--organisation", default="", help="printed at the top of the PDF")
    p.add_argument("--rehearsal", action="store_true", help="watermark the PDF as a rehearsal")
    p.add_argument("--json", action="store_true", help="print the steps as JSON")
    p.set_defaults(func=cmd_script)

    p = sub.add_parser(
        "verify-record",
        help="check a signed ceremony transcript offline: signature, hash chain, record digest",
    )
    p.add_argument("file", metavar="FILE", help="the transcript file written beside the answer")
    key = p.add_mutually_exclusive_group()
    key.add_argument(
        "--export-key-check", metavar="CODE", help="the export key check on the paper record"
    )
    key.add_argument("--public-key", metavar="HEX", help="the export public key (64 hex digits)")
    p.add_argument(
        "--paper-digest",
        metavar="DIGEST",
        help="the transcript digest printed (and in the QR code) on the paper record",
    )
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(func=cmd_verify_record)


def cmd_script(args: argparse.Namespace) -> int:
    from ceremony.evidence.coverage import signing_step

    steps = numbered(args.operation)
    signed_at = signing_step(args.operation)
    if args.json:
        rows = [{"number": n, "step": s.title, "who": s.who, "key": s.key} for n, s in steps]
        print(
            json.dumps(
                {"operation": args.operation, "steps": rows, "transcript_signed_at": signed_at},
                indent=2,
            )
        )
    else:
        width = max(len(s.title) for _, s in steps)
        print(f"Run sheet: {args.operation} ({len(steps)} steps, numbered as the app shows them)")
        print(f"{'No.':>3}  {'Step':<{width}}  {'Who':<15}  Time    Witness initials")
        for number, step in steps:
            print(f"{number:>3}  {step.title:<{width}}  {step.who:<15}  ______  [    ]")
        if signed_at:
            print(
                f"The signed transcript is signed at step {signed_at}: it holds steps 1 to "
                f"{signed_at - 1}; step {signed_at} and later are on this sheet and the "
                "signed record."
            )
    if args.pdf:
        from ceremony.files import create_private_file
        from ceremony.paper.run_sheet import render_run_sheet

        pdf = render_run_sheet(
            args.operation,
            steps,
            args.paper,
            organisation=args.organisation,
            rehearsal=args.rehearsal,
        )
        path = Path(args.pdf)
        if path.exists():
            raise CeremonyError(f"{path} exists already; choose a new file name.")
        create_private_file(path, pdf)
        if not args.json:
            print(f"Run sheet PDF: {path}")
    return 0


def cmd_verify_record(args: argparse.Namespace) -> int:
    from ceremony.evidence.transcript import read_transcript_file
    from ceremony.evidence.verify import about, story, verify_transcript

    data = read_transcript_file(args.file)
    public_key = None
    if args.public_key is not None:
        if not re.fullmatch(r"[0-9a-fA-F]{64}", args.public_key.strip()):
            raise CeremonyError("--public-key is the export public key: 64 hex digits.")
        public_key = bytes.fromhex(args.public_key.strip())
    if args.paper_digest is not None and not _HEX64.fullmatch(args.paper_digest.strip()):
        raise CeremonyError("--paper-digest is the SHA-256 printed on the record: 64 hex digits.")
    verdict = verify_transcript(
        data,
        export_key_check=args.export_key_check,
        public_key=public_key,
        paper_digest=args.paper_digest.strip() if args.paper_digest else None,
    )
    body = verdict.body
    lines = story(verdict.evidence) if verdict.evidence is not None else []
    lines += about(body)
    if args.json:
        print(
            json.dumps(
                {
                    "verified": verdict.ok,
                    "ceremony_id": body.get("ceremony_id"),
                    "operation": body.get("operation"),
                    "findings": [{"ok": f.ok, "text": f.text} for f in verdict.findings],
                    "story": lines,
                },
                indent=2,
            )
        )
    else:
        kind = "REHEARSAL " if body.get("rehearsal") else ""
        print(shown(f"{kind}Ceremony {body.get('ceremony_id')} ({body.get('operation')})"))
        for finding in verdict.findings:
            print(f"  {'OK ' if finding.ok else 'NO '} {shown(finding.text)}")
        print("VERIFIED: every check passed." if verdict.ok else "NOT VERIFIED: see NO above.")
        if lines:
            print("\nWhat the journal says" + ("" if verdict.ok else " (do not rely on it)") + ":")
            for line in lines:
                print(f"  {shown(line)}")
    return 0 if verdict.ok else EXIT_NOT_VERIFIED
