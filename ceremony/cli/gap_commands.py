"""`ceremony session` and `ceremony authorize`: the headless room, shares on stdin.

recover-escrow and adopt take three crossings: `ceremony session` makes the
room's session key and prints its code; the online side seals what the room
needs to that code (`ceremony vault request ... --session CODE`); `ceremony
authorize --session-key FILE` opens it, checks everything against the
registration, and seals only the approved result.

What each operation checks, reviews and seals is the operation table's
(``ceremony.operations.table``), the same as the desktop app's. authorize shows
the review and seals only once a person approves it: typed at the prompt, or
named by its digest (``--review-only`` prints it, ``--approve DIGEST`` seals
only that review). The session key file is wiped whenever authorize stops,
except after a review-only run, which the approving run needs it for; in a
real ceremony it lives only on a memory-only folder (tmpfs).
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Final

from ceremony.cli import answer_evidence
from ceremony.cli.answer_evidence import AnswerEvidence
from ceremony.cli.io import load_request_argument, read_passphrase, recover_component
from ceremony.errors import CeremonyError
from ceremony.files import create_private_file
from ceremony.gap import SESSION_OPERATIONS, Bundle, Request, bundle_digest, new_session
from ceremony.gap.seal import ephemeral_public
from ceremony.gap.session_file import (
    check_memory_folder,
    read_session_key,
    wipe_session_key,
    write_session_key,
)
from ceremony.operations.adopt import PROOF_NONE
from ceremony.operations.authorize import new_ceremony_id
from ceremony.operations.table import Review, Room, operation, refuse
from ceremony.room.guard import REHEARSAL_MARK, enter_ceremony
from ceremony.shown import shown

__all__ = ["register"]

SESSION_KEY_FILE = "session.key"
APPROVE_WORD: Final = "approve"
AUTHORIZED: Final = ("verify", "recover-escrow", "adopt")


def register(sub: Any) -> None:
    _register_session(sub)
    _register_authorize(sub)


def _register_session(sub: Any) -> None:
    p = sub.add_parser(
        "session",
        help="make the room's session key for a recover-escrow or adopt ceremony",
        description="Make a fresh session key for one ceremony. Give its code to the online "
        "side (`ceremony vault request ... --session CODE`); the key file stays in the room "
        "and `ceremony authorize` wipes it once used.",
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="folder for the session key file; memory-only (tmpfs) in a real ceremony",
    )
    p.add_argument("--rehearsal", action="store_true", help="allow a network or radio; mark output")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.set_defaults(func=cmd_session)


def _register_authorize(sub: Any) -> None:
    p = sub.add_parser(
        "authorize",
        help="answer a verify, adopt or recover-escrow request; shares on stdin",
        description="Rebuild the custodian component from shares on stdin, show what the "
        "quorum is asked to approve, and once a person approves it (typed at the prompt, or "
        "--approve with the digest a --review-only run printed) write the sealed, signed "
        "bundle that answers the request. The bundle carries only the approved result.",
    )
    p.add_argument(
        "--request", required=True, metavar="CODE_OR_FILE", help="request code or request file"
    )
    p.add_argument("--out", metavar="BUNDLE", help="bundle file to create (not with --review-only)")
    p.add_argument("--text-out", metavar="FILE", help="also write the bundle as one line of text")
    p.add_argument(
        "--session-key", metavar="FILE", help="recover-escrow and adopt: from `ceremony session`"
    )
    approval = p.add_mutually_exclusive_group()
    approval.add_argument(
        "--review-only",
        action="store_true",
        help="show what the quorum would approve and its digest; seal nothing",
    )
    approval.add_argument(
        "--approve",
        metavar="DIGEST",
        help="seal only if the review is the one a --review-only run showed with DIGEST",
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
    answer_evidence.add_arguments(p)
    p.set_defaults(func=cmd_authorize)


def cmd_session(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    out = Path(args.out)
    if not args.rehearsal:
        check_memory_folder(out)
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
    print(f"Request {request.id}: {shown(request.describe())}", file=sys.stderr)
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


def _check_options(args: argparse.Namespace) -> None:
    """What the command line alone can refuse, before the request is even read."""
    if args.review_only:
        if args.out or args.text_out:
            raise CeremonyError("--review-only seals nothing; leave out --out and --text-out.")
    elif not args.out:
        raise CeremonyError("Give --out BUNDLE, the bundle file to create (or --review-only).")
    elif not args.approve and not sys.stdin.isatty():
        raise CeremonyError(
            "Nobody can approve the review at a prompt here (the shares come from a pipe). "
            "Run with --review-only, check what it shows, then run again with --approve DIGEST."
        )
    for path in (args.out, args.text_out):
        if path and Path(path).exists():
            raise CeremonyError(f"{path} already exists; choose a new file name.")


def _check_request(args: argparse.Namespace, request: Request) -> None:
    if request.operation == "install":
        raise CeremonyError(
            "This is an install request: answer it with a genesis ceremony, not authorize."
        )
    needs_session = request.operation in SESSION_OPERATIONS
    if needs_session and not args.session_key:
        raise CeremonyError(
            f"A {request.operation} request is opened with the room's session key: give "
            "--session-key FILE (from `ceremony session`)."
        )
    if not needs_session and args.session_key:
        raise CeremonyError(f"A {request.operation} request takes no --session-key.")


def cmd_authorize(args: argparse.Namespace) -> int:
    with ExitStack() as stack:
        # Armed first: whatever stops this run, the session key does not stay on a disk.
        # Only a review that went through keeps it, for the run that approves it.
        keep = [False]
        if args.session_key:
            stack.callback(_spend_session_key, args.session_key, keep)
        report = enter_ceremony(args.rehearsal).report
        if args.session_key and not args.rehearsal:
            check_memory_folder(Path(args.session_key).parent)
        _check_options(args)
        answer_evidence.check_paths(args)
        answer_evidence.check_record_text(args)
        request = load_request_argument(args.request)
        _check_request(args, request)
        session_key = (
            stack.enter_context(read_session_key(args.session_key)) if args.session_key else None
        )
        room = Room(
            rehearsal=args.rehearsal,
            answers=AUTHORIZED,
            session_public_key=ephemeral_public(session_key.reveal()) if session_key else None,
        )
        refuse(request, room)  # before the passphrase and any share
        if not args.json:
            _announce(request)
        ceremony_id = args.ceremony_id or new_ceremony_id()
        evidence = AnswerEvidence.start(args, request, ceremony_id)
        passphrase = read_passphrase(args.passphrase_prompt, args.passphrase_file)
        state, custodian = recover_component(
            passphrase, _expected(args, request), args.threshold, evidence.share_entered
        )
        stack.enter_context(custodian)
        rules = operation(request.operation)
        review = rules.review(request, custodian, session_key)
        stack.callback(review.wipe)
        if args.review_only:
            _show_review(args, request, review)
            keep[0] = True
            return 0
        if not args.approve:  # a person at the prompt sees it, whatever the output format
            print(review.text(), f"Review digest: {review.digest()}", sep="\n", file=sys.stderr)
        _approve(args, request, review)
        transcript, fields = evidence.sign(args, request, review, state, custodian, report)
        scheme = state.scheme or "slip39"
        bundle = rules.seal(review, request, custodian, ceremony_id, room, scheme, fields)
    create_private_file(args.out, bundle.to_bytes())
    if args.text_out:
        create_private_file(args.text_out, bundle.text_line() + "\n")
    written = evidence.write(args, transcript, bundle)
    _show_sealed(args, request, review, bundle, ceremony_id, (written, fields))
    return 0


def _show_sealed(
    args: argparse.Namespace,
    request: Request,
    review: Review,
    bundle: Bundle,
    ceremony_id: str,
    transcript: tuple[Path, dict[str, Any]],
) -> None:
    summary: dict[str, Any] = {
        "bundle": str(args.out),
        "text": str(args.text_out) if args.text_out else None,
        "digest": bundle_digest(bundle),
        "request_id": request.id,
        "operation": request.operation,
        "ceremony_id": ceremony_id,
        "check_words": list(request.check_words()),
        "fingerprints": bundle.header.fingerprints,
        "rehearsal": bundle.header.rehearsal,
        "leaves_the_room": operation(request.operation).leaves_the_room,
        "review_digest": review.digest(),
        "transcript": str(transcript[0]),
        "transcript_sha256": transcript[1]["transcript_sha256"],
        "record": str(args.record) if args.record else None,
        **review.values(),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    if args.rehearsal:
        print(REHEARSAL_MARK)
    print(f"Bundle written to {args.out}; it holds {summary['leaves_the_room']}.")
    print(f"Bundle digest: {summary['digest']}")
    print(f"Signed transcript beside it: {summary['transcript']}")
    print(f"Transcript digest: {summary['transcript_sha256']}")


def _show_review(args: argparse.Namespace, request: Request, review: Review) -> None:
    """The review, as the app shows it, with the digest that names it."""
    digest = review.digest()
    if args.json:
        print(
            json.dumps(
                {
                    "request_id": request.id,
                    "operation": request.operation,
                    "review": [list(row) for row in review.rows],
                    "summary": review.summary,
                    "approval": review.approval,
                    "review_digest": digest,
                    "leaves_the_room": operation(request.operation).leaves_the_room,
                    "sealed": False,
                    **review.values(),
                },
                indent=2,
            )
        )
        return
    if args.rehearsal:
        print(REHEARSAL_MARK)
    print(review.text())
    print(f"Review digest: {digest}")
    print(
        "Nothing was sealed. To seal exactly this, run again with the same shares and "
        f"--approve {digest}. The session key stays for that run."
    )


def _approve(args: argparse.Namespace, request: Request, review: Review) -> None:
    """A person approves this review: typed at the prompt, or named by its digest."""
    unproven = review.facts.get("proof") == PROOF_NONE
    if request.operation == "adopt" and unproven and not args.no_escrow_proof:
        raise CeremonyError(
            "Vault holds no escrow yet, so nothing proves these shares belong to this Vault. "
            f"Compare the platform fingerprint {review.fingerprints['platform']} with "
            "CheckTick's records, then run again with --no-escrow-proof. Nothing was sealed."
        )
    if args.approve:
        if _plain(args.approve) != _plain(review.digest()):
            raise CeremonyError(
                f"This review's digest is {review.digest()}, not {args.approve}: it is not the "
                "review that was approved (other request, shares or escrow). Nothing was sealed."
            )
        return
    print(
        f"Type {APPROVE_WORD} if you checked everything above: {review.approval}.",
        file=sys.stderr,
    )
    try:
        answer = input(f"{APPROVE_WORD}? ")
    except EOFError:
        answer = ""
    if answer.strip().lower() != APPROVE_WORD:
        raise CeremonyError("Not approved. Nothing was sealed.")


def _spend_session_key(path: str, keep: list[bool]) -> None:
    if not keep[0]:
        wipe_session_key(path)


def _plain(digest: str) -> str:
    return digest.replace("-", "").strip().upper()
