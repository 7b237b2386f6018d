"""`ceremony authorize`: answer a request with a sealed, signed bundle, shares on stdin."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ceremony import keys
from ceremony.authorize import authorize, new_ceremony_id
from ceremony.cli.io import load_request_argument, read_passphrase, recover_component
from ceremony.errors import CeremonyError
from ceremony.files import create_private_file
from ceremony.gap import Request, bundle_digest
from ceremony.guard import REHEARSAL_MARK, enter_ceremony

__all__ = ["register"]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "authorize",
        help="answer a verify, adopt or recover-escrow request; shares on stdin",
        description="Rebuild the custodian component from shares on stdin and write the sealed, "
        "signed bundle that answers the request. The bundle is safe to carry online.",
    )
    p.add_argument(
        "--request", required=True, metavar="CODE_OR_FILE", help="request code or request file"
    )
    p.add_argument("--out", required=True, metavar="BUNDLE", help="bundle file to create")
    p.add_argument("--text-out", metavar="FILE", help="also write the bundle as one line of text")
    p.add_argument("--ceremony-id", help="ceremony id for the record (default: date and random)")
    p.add_argument("--expect-fingerprint", metavar="FP", help="custodian fingerprint expected")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--passphrase-prompt", action="store_true", help="ask for the passphrase")
    group.add_argument("--passphrase-file", metavar="FILE", help="SLIP-39 passphrase from FILE")
    p.add_argument("--threshold", type=int, help="threshold of a CheckTick legacy set, if known")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.add_argument("--rehearsal", action="store_true", help="allow a network or radio; mark output")
    p.set_defaults(func=cmd_authorize)


def _announce(request: Request) -> None:
    print(f"Request {request.id}: {request.describe()}", file=sys.stderr)
    print(
        f"Key version {request.key_version}, expires {request.expires_at:%Y-%m-%d %H:%M} UTC",
        file=sys.stderr,
    )
    print(f"Check words: {' '.join(request.check_words())}", file=sys.stderr)


def _expected(args: argparse.Namespace, request: Request) -> str | None:
    """The fingerprint to check the shares against: the request's, or the one given."""
    given = args.expect_fingerprint.strip().upper() if args.expect_fingerprint else None
    carried = request.custodian_fingerprint
    if given and carried and given != carried:
        raise CeremonyError(
            f"--expect-fingerprint {given} differs from the fingerprint {carried} that Vault "
            "registered and the request carries. Check the ceremony record."
        )
    return given or carried


def cmd_authorize(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    request = load_request_argument(args.request)
    if request.operation == "install":
        raise CeremonyError(
            "This is an install request: answer it with a genesis ceremony, not authorize."
        )
    for path in (args.out, args.text_out):
        if path and Path(path).exists():
            raise CeremonyError(f"{path} already exists; choose a new file name.")
    if not args.json:
        _announce(request)
    passphrase = read_passphrase(args.passphrase_prompt, args.passphrase_file)
    _, custodian = recover_component(passphrase, _expected(args, request), args.threshold)
    with custodian:
        fingerprint = keys.fingerprint(custodian, "custodian")
        ceremony_id = args.ceremony_id or new_ceremony_id()
        bundle = authorize(request, custodian, ceremony_id)
    create_private_file(args.out, bundle.to_bytes())
    if args.text_out:
        create_private_file(args.text_out, bundle.text_line() + "\n")
    summary = {
        "bundle": str(args.out),
        "text": str(args.text_out) if args.text_out else None,
        "digest": bundle_digest(bundle),
        "request_id": request.id,
        "operation": request.operation,
        "ceremony_id": ceremony_id,
        "check_words": list(request.check_words()),
        "fingerprints": bundle.header.fingerprints,
    }
    if args.rehearsal:
        summary["rehearsal"] = True
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        if args.rehearsal:
            print(REHEARSAL_MARK)
        print(f"Bundle written to {args.out} (custodian fingerprint {fingerprint}).")
        print(f"Bundle digest: {summary['digest']}")
    return 0
