"""`ceremony split | combine | inspect-share | reshare`: shares without a desktop."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ceremony import keys
from ceremony.cli.io import read_passphrase, read_secret_lines, recover_component
from ceremony.errors import CeremonyError, ShareError
from ceremony.files import create_private_file
from ceremony.guard import REHEARSAL_MARK, enter_ceremony
from ceremony.passphrase import (
    check_iteration_exponent,
    check_new_passphrase,
    passphrase_warning,
)
from ceremony.secret import Secret
from ceremony.shares import SCHEMES, inspect, split

__all__ = ["register"]


def register(sub: Any) -> None:
    p = sub.add_parser("split", help="split a custodian component into shares")
    p.add_argument("--threshold", type=int, required=True, help="shares needed to rebuild")
    p.add_argument("--custodians", required=True, help='comma-separated names, e.g. "Ann,Ben,Cat"')
    p.add_argument("--format", choices=SCHEMES, default="slip39")
    _passphrase_args(p)
    _new_set_args(p)
    p.add_argument(
        "--generate", action="store_true", help="generate a new component (else hex on stdin)"
    )
    p.add_argument("--shares-out", required=True, help="file for the shares (created, mode 0600)")
    p.add_argument("--json", action="store_true")
    _rehearsal_arg(p)
    p.set_defaults(func=cmd_split)

    p = sub.add_parser(
        "combine", help="rebuild a component from shares on stdin; prints its fingerprint"
    )
    _passphrase_args(p)
    p.add_argument("--expect-fingerprint", metavar="FP", help="the custodian fingerprint expected")
    p.add_argument("--threshold", type=int, help="threshold of a CheckTick legacy set, if known")
    p.add_argument("--json", action="store_true")
    _rehearsal_arg(p)
    p.set_defaults(func=cmd_combine)

    p = sub.add_parser("inspect-share", help="what one share (on stdin) says about itself")
    p.add_argument("--json", action="store_true")
    _rehearsal_arg(p)
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("reshare", help="rebuild from old shares (stdin) and split anew")
    p.add_argument("--threshold", type=int, required=True, help="new threshold")
    p.add_argument("--custodians", required=True, help="new custodians, comma-separated")
    p.add_argument("--format", choices=SCHEMES, default="slip39", help="new share format")
    p.add_argument("--old-passphrase-file", help="passphrase of the old SLIP-39 set")
    p.add_argument("--old-threshold", type=int, help="threshold of an old CheckTick legacy set")
    _passphrase_args(p)
    _new_set_args(p)
    p.add_argument("--expect-fingerprint", metavar="FP")
    p.add_argument("--shares-out", required=True)
    p.add_argument("--json", action="store_true")
    _rehearsal_arg(p)
    p.set_defaults(func=cmd_reshare)


def _new_set_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--iteration-exponent", type=int, default=1, metavar="E",
                   help="SLIP-39 iteration exponent: each passphrase try costs 10000 x 2^E rounds")
    p.add_argument("--force-short-passphrase", action="store_true",
                   help="accept a passphrase shorter than 12 characters")


def _new_passphrase(args: argparse.Namespace, threshold: int) -> bytes:
    """The new set's passphrase, checked; says plainly what a passphrase does not protect."""
    check_iteration_exponent(args.iteration_exponent)
    passphrase = read_passphrase(args.passphrase_prompt, args.passphrase_file, confirm=True)
    check_new_passphrase(passphrase, allow_short=args.force_short_passphrase)
    if passphrase:
        print(f"ceremony: note: {passphrase_warning(threshold, args.iteration_exponent)}",
              file=sys.stderr)
    return passphrase


def _rehearsal_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rehearsal", action="store_true", help="allow a network or radio; mark the output"
    )


def _passphrase_args(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--passphrase-prompt", action="store_true", help="ask for a SLIP-39 passphrase"
    )
    group.add_argument(
        "--passphrase-file", metavar="FILE", help="read the SLIP-39 passphrase from FILE"
    )


def _custodians(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if len(set(names)) != len(names):
        raise CeremonyError("Two custodians have the same name; give each a distinct name.")
    if len(names) < 2:
        raise CeremonyError("Give at least two custodians, separated by commas.")
    return names


def _component_from_stdin() -> Secret:
    lines = read_secret_lines("Enter the custodian component as hex")
    text = "".join("".join(lines).split())
    try:
        raw = bytearray.fromhex(text)
    except ValueError:
        raise CeremonyError("The component must be hexadecimal (0-9, a-f).") from None
    if len(raw) != keys.COMPONENT_BYTES:
        raise CeremonyError(
            f"The component is {len(raw)} bytes; a CheckTick component is {keys.COMPONENT_BYTES}."
        )
    return Secret.take(raw, "component")


def _write_shares(path: str, shares: list[str]) -> None:
    """One share per line, in custodian order; the file is the custodians' explicit request."""
    create_private_file(path, "\n".join(shares) + "\n")


def _emit(args: argparse.Namespace, data: dict[str, Any], lines: list[str]) -> None:
    if args.rehearsal:  # the watermark: a rehearsal's output never passes for a real one
        data = {"rehearsal": True, **data}
        lines = [REHEARSAL_MARK, *lines]
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print("\n".join(lines))


def cmd_split(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    names = _custodians(args.custodians)
    passphrase = _new_passphrase(args, args.threshold)
    with keys.new_component() if args.generate else _component_from_stdin() as component:
        shares = split(component, args.threshold, len(names), args.format, passphrase,
                       iteration_exponent=args.iteration_exponent)
        fp = keys.fingerprint(component, "custodian")
    _write_shares(args.shares_out, shares)
    info = inspect(shares[0])
    _emit(
        args,
        {
            "scheme": args.format,
            "set_id": info.set_id,
            "threshold": args.threshold,
            "count": len(names),
            "custodians": names,
            "shares_out": args.shares_out,
            "fingerprint": {"custodian": fp},
        },
        [
            f"Wrote {len(names)} {args.format} shares (any {args.threshold} rebuild) "
            f"to {args.shares_out}, one per line in custodian order: {', '.join(names)}.",
            f"Set id: {info.set_id or 'none (CheckTick format)'}",
            f"Custodian fingerprint: {fp}",
        ],
    )
    return 0


def cmd_combine(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    passphrase = read_passphrase(args.passphrase_prompt, args.passphrase_file)
    state, component = recover_component(passphrase, args.expect_fingerprint, args.threshold)
    with component:
        fp = keys.fingerprint(component, "custodian")
    _emit(
        args,
        {
            "scheme": state.scheme,
            "set_id": state.set_id,
            "indices": list(state.indices),
            "threshold": state.threshold,
            "fingerprint": {"custodian": fp},
        },
        [
            f"Scheme: {state.scheme}",
            f"Set id: {state.set_id or 'none (CheckTick format)'}",
            f"Shares used: {', '.join(map(str, state.indices))}",
            f"Custodian fingerprint: {fp}",
        ],
    )
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    lines = read_secret_lines("Enter one share")
    if len(lines) != 1:
        raise ShareError(f"Give exactly one share; got {len(lines)} lines.")
    info = inspect(lines[0])
    _emit(
        args,
        {
            "scheme": info.scheme,
            "set_id": info.set_id,
            "index": info.index,
            "indices": [info.index],
            "threshold": info.threshold,
            "count": info.count,
            "words": info.word_count,
        },
        [info.describe() + "."],
    )
    return 0


def cmd_reshare(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    names = _custodians(args.custodians)
    old_passphrase = read_passphrase(False, args.old_passphrase_file)
    new_passphrase = _new_passphrase(args, args.threshold)
    old_state, component = recover_component(
        old_passphrase, args.expect_fingerprint, args.old_threshold
    )
    with component:
        old_fp = keys.fingerprint(component, "custodian")
        shares = split(component, args.threshold, len(names), args.format, new_passphrase,
                       iteration_exponent=args.iteration_exponent)
    new_fp = _fingerprint_of(shares[: args.threshold], new_passphrase)
    if new_fp != old_fp:
        raise CeremonyError(
            "The new shares do not rebuild the same component; nothing was written."
        )
    _write_shares(args.shares_out, shares)
    _emit(
        args,
        {
            "scheme": args.format,
            "old": {
                "scheme": old_state.scheme,
                "set_id": old_state.set_id,
                "indices": list(old_state.indices),
            },
            "set_id": inspect(shares[0]).set_id,
            "threshold": args.threshold,
            "count": len(names),
            "fingerprint": {"custodian": new_fp},
            "old_fingerprint": {"custodian": old_fp},
        },
        [
            f"Old set: {old_state.scheme} {old_state.set_id or ''}, "
            f"shares {', '.join(map(str, old_state.indices))}",
            f"Old custodian fingerprint: {old_fp}",
            f"New custodian fingerprint: {new_fp} (matches)",
            f"Wrote {len(names)} {args.format} shares (any {args.threshold} rebuild) "
            f"to {args.shares_out}.",
        ],
    )
    return 0


def _fingerprint_of(shares: list[str], passphrase: bytes) -> str:
    from ceremony.shares import combine

    with combine(shares, passphrase) as rebuilt:
        return keys.fingerprint(rebuilt, "custodian")
