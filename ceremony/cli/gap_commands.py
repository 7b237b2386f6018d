"""`ceremony session` and `ceremony authorize`: the headless room, shares on stdin.

recover-escrow and adopt take three crossings: `ceremony session` makes the
room's session key and prints its code; the online side seals what the room
needs to that code (`ceremony vault request ... --session CODE`); `ceremony
authorize --session-key FILE` opens it, checks everything against the
registration, and seals only the approved result. The session key file is
wiped once used.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ceremony import keys
from ceremony.cli.io import load_request_argument, read_passphrase, recover_component
from ceremony.errors import CeremonyError
from ceremony.files import create_private_file
from ceremony.gap import Bundle, Request, bundle_digest, new_session
from ceremony.gap.session_file import read_session_key, wipe_file, write_session_key
from ceremony.operations.authorize import (
    attest,
    new_ceremony_id,
    review_adopt,
    review_recover_escrow,
    seal_adopt,
    seal_recovery,
)
from ceremony.room.guard import REHEARSAL_MARK, enter_ceremony
from ceremony.secret import Secret

__all__ = ["register"]

SESSION_KEY_FILE = "session.key"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "session",
        help="make the room's session key for a recover-escrow or adopt ceremony",
        description="Make a fresh session key for one ceremony. Give its code to the online "
        "side (`ceremony vault request ... --session CODE`); the key file stays in the room "
        "and `ceremony authorize` wipes it once used.",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the session key file")
    p.add_argument("--rehearsal", action="store_true", help="allow a network or radio; mark output")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.set_defaults(func=cmd_session)

    p = sub.add_parser(
        "authorize",
        help="answer a verify, adopt or recover-escrow request; shares on stdin",
        description="Rebuild the custodian component from shares on stdin and write the sealed, "
        "signed bundle that answers the request. The bundle carries only the approved result.",
    )
    p.add_argument(
        "--request", required=True, metavar="CODE_OR_FILE", help="request code or request file"
    )
    p.add_argument("--out", required=True, metavar="BUNDLE", help="bundle file to create")
    p.add_argument("--text-out", metavar="FILE", help="also write the bundle as one line of text")
    p.add_argument(
        "--session-key", metavar="FILE", help="recover-escrow and adopt: from `ceremony session`"
    )
    p.add_argument("--ceremony-id", help="ceremony id for the record (default: date and random)")
    p.add_argument("--expect-fingerprint", metavar="FP", help="custodian fingerprint expected")
    p.add_argument(
        "--no-escrow-proof",
        action="store_true",
        help="adopt: go on although Vault holds no escrow to prove the shares belong to it",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--passphrase-prompt", action="store_true", help="ask for the passphrase")
    group.add_argument("--passphrase-file", metavar="FILE", help="SLIP-39 passphrase from FILE")
    p.add_argument("--threshold", type=int, help="threshold of a CheckTick legacy set, if known")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.add_argument("--rehearsal", action="store_true", help="allow a network or radio; mark output")
    p.set_defaults(func=cmd_authorize)


def cmd_session(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    out = Path(args.out)
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:
        raise CeremonyError(f"Cannot create the folder {out}: {err.strerror}.") from None
    code, private = new_session()
    with private:
        key_file = write_session_key(out / SESSION_KEY_FILE, private)
    summary = {
        "session_code": code.qr_payload(),
        "typed_code": code.typed_code(),
        "check_words": list(code.check_words()),
        "session_key_file": str(key_file),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print("Give this session code to the online side (ceremony vault request ... --session):")
    print(summary["session_code"])
    print(f"Typed: {summary['typed_code']}")
    print(f"Check words: {' '.join(summary['check_words'])}")
    print(f"The session key stays here, in {key_file}; `ceremony authorize` wipes it once used.")
    return 0


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


def _check_arguments(args: argparse.Namespace, request: Request) -> None:
    if request.operation == "install":
        raise CeremonyError(
            "This is an install request: answer it with a genesis ceremony, not authorize."
        )
    needs_session = request.operation in ("recover-escrow", "adopt")
    if needs_session and not args.session_key:
        raise CeremonyError(
            f"A {request.operation} request is opened with the room's session key: give "
            "--session-key FILE (from `ceremony session`)."
        )
    if not needs_session and args.session_key:
        raise CeremonyError(f"A {request.operation} request takes no --session-key.")
    if args.rehearsal and not request.rehearsal:
        raise CeremonyError(
            "A rehearsal cannot answer a request from a production Vault; run the real "
            "ceremony on the air-gapped laptop."
        )
    for path in (args.out, args.text_out):
        if path and Path(path).exists():
            raise CeremonyError(f"{path} already exists; choose a new file name.")


def cmd_authorize(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    request = load_request_argument(args.request)
    _check_arguments(args, request)
    if not args.json:
        _announce(request)
    passphrase = read_passphrase(args.passphrase_prompt, args.passphrase_file)
    with ExitStack() as stack:
        session_key = (
            stack.enter_context(read_session_key(args.session_key)) if (args.session_key) else None
        )
        if args.session_key:
            stack.callback(wipe_file, args.session_key)  # used once, whatever happens next
        state, custodian = recover_component(passphrase, _expected(args, request), args.threshold)
        with custodian:
            ceremony_id = args.ceremony_id or new_ceremony_id()
            bundle, shown = _answer(
                args, request, custodian, session_key, state.scheme, ceremony_id
            )
    create_private_file(args.out, bundle.to_bytes())
    if args.text_out:
        create_private_file(args.text_out, bundle.text_line() + "\n")
    summary: dict[str, Any] = {
        "bundle": str(args.out),
        "text": str(args.text_out) if args.text_out else None,
        "digest": bundle_digest(bundle),
        "request_id": request.id,
        "operation": request.operation,
        "ceremony_id": ceremony_id,
        "check_words": list(request.check_words()),
        "fingerprints": bundle.header.fingerprints,
        "rehearsal": bundle.header.rehearsal or args.rehearsal,
        "leaves_the_room": _what_leaves(request),
        **shown,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        if args.rehearsal:
            print(REHEARSAL_MARK)
        for key, value in shown.items():
            print(f"{key.replace('_', ' ')}: {value}")
        print(f"Bundle written to {args.out}; it carries {summary['leaves_the_room']}.")
        print(f"Bundle digest: {summary['digest']}")
    return 0


def _what_leaves(request: Request) -> str:
    return {
        "verify": "a signed attestation only (no key material)",
        "recover-escrow": "this one survey's KEK only, sealed to the request key",
        "adopt": "fingerprints and the export public key only",
    }.get(request.operation, "the approved result only")


def _answer(
    args: argparse.Namespace,
    request: Request,
    custodian: Secret,
    session_key: Secret | None,
    scheme: str | None,
    ceremony_id: str,
) -> tuple[Bundle, dict[str, Any]]:
    """Seal the answer; return it with what the quorum checks (shown or in the JSON)."""
    rehearsal = request.rehearsal
    export_check = keys.export_key_check_of(custodian)
    if request.operation == "verify":
        bundle = attest(request, custodian, ceremony_id, rehearsal=rehearsal)
        return bundle, {
            "custodian_fingerprint": keys.fingerprint(custodian, "custodian"),
            "export_key_check": export_check,
        }
    assert session_key is not None  # _check_arguments made sure
    if request.operation == "recover-escrow":
        review = review_recover_escrow(request, session_key, custodian)
        with review.kek:
            bundle = seal_recovery(review, request, custodian, ceremony_id, rehearsal=rehearsal)
        return bundle, {
            "user": review.user,
            "survey": review.survey,
            "email": review.email,
            "ticket": review.ticket,
            "platform_fingerprint": review.fingerprints["platform"],
        }
    adopt = review_adopt(request, session_key, custodian)
    if not adopt.proven and not args.no_escrow_proof:
        raise CeremonyError(
            "Vault holds no escrow yet, so nothing proves these shares belong to this Vault. "
            f"Compare the platform fingerprint {adopt.fingerprints['platform']} with CheckTick's "
            "records, then run again with --no-escrow-proof. Nothing was sealed."
        )
    bundle = seal_adopt(
        adopt, request, custodian, ceremony_id, scheme or "slip39", rehearsal=rehearsal
    )
    return bundle, {
        "fingerprints_registered": adopt.fingerprints,
        "export_key_check": export_check,
        "escrow_user": adopt.escrow_user or None,
        "email": adopt.email or None,
    }
