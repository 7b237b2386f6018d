"""`ceremony split | combine | inspect-share | reshare`: shares without a desktop."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ceremony import keys
from ceremony.cli.io import read_passphrase, read_secret_lines, recover_component
from ceremony.errors import CeremonyError, ShareError
from ceremony.evidence.check_value import check_value
from ceremony.files import create_private_file
from ceremony.passphrase import (
    check_iteration_exponent,
    check_new_passphrase,
    passphrase_warning,
)
from ceremony.room.guard import REHEARSAL_MARK, enter_ceremony
from ceremony.secret import Secret
from ceremony.shares import SCHEME_NAMES, SCHEMES, SharePolicy, inspect, parse_group, split_policy
from ceremony.shares.checktick import length_note
from ceremony.shares.session import SessionState

__all__ = ["register"]


def register(sub: Any) -> None:
    p = sub.add_parser("split", help="split a custodian component into shares")
    _policy_args(p, "")
    p.add_argument("--format", choices=SCHEMES, default="slip39")
    _passphrase_args(p)
    _new_set_args(p)
    p.add_argument(
        "--generate", action="store_true", help="generate a new component (else hex on stdin)"
    )
    p.add_argument(
        "--component-bytes",
        type=int,
        choices=(32, 64),
        default=keys.COMPONENT_BYTES,
        help="length of a generated component: 64 (key version v1) or 32 (v2 and later)",
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
    _policy_args(p, "new ")
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
    p.add_argument(
        "--iteration-exponent",
        type=int,
        default=1,
        metavar="E",
        help="SLIP-39 iteration exponent: each passphrase try costs 10000 x 2^E rounds",
    )
    p.add_argument(
        "--force-short-passphrase",
        action="store_true",
        help="accept a passphrase shorter than 12 characters",
    )


def _new_passphrase(args: argparse.Namespace, threshold: int) -> bytes:
    """The new set's passphrase, checked; says plainly what a passphrase does not protect."""
    check_iteration_exponent(args.iteration_exponent)
    passphrase = read_passphrase(args.passphrase_prompt, args.passphrase_file, confirm=True)
    check_new_passphrase(passphrase, allow_short=args.force_short_passphrase)
    if passphrase:
        print(
            f"ceremony: note: {passphrase_warning(threshold, args.iteration_exponent)}",
            file=sys.stderr,
        )
    return passphrase


def _rehearsal_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rehearsal", action="store_true", help="allow a network or radio; mark the output"
    )


def _policy_args(p: argparse.ArgumentParser, new: str) -> None:
    p.add_argument("--threshold", type=int, help=f"{new}shares needed to rebuild (plain form)")
    p.add_argument(
        "--custodians", help=f'{new}custodians, comma-separated, e.g. "Ann,Ben,Cat" (plain form)'
    )
    p.add_argument(
        "--group",
        action="append",
        metavar="NAME=A,B,C:T",
        help='a named group and how many of its members count, e.g. "Board=Ann,Ben,Cat:2"; '
        "repeat for each group",
    )
    p.add_argument(
        "--group-threshold", type=int, metavar="G", help="how many complete groups rebuild the key"
    )


def _policy(args: argparse.Namespace) -> SharePolicy:
    """The share policy from either the plain flags or the group flags, checked."""
    if args.group:
        if args.threshold is not None or args.custodians:
            raise CeremonyError(
                "Give either --group (with --group-threshold) or --threshold with --custodians, "
                "not both."
            )
        if args.group_threshold is None:
            raise CeremonyError(
                "Say how many complete groups rebuild the key: --group-threshold G."
            )
        policy = SharePolicy(tuple(parse_group(g) for g in args.group), args.group_threshold)
    else:
        if args.group_threshold is not None:
            raise CeremonyError("--group-threshold needs at least one --group.")
        if args.threshold is None or not args.custodians:
            raise CeremonyError(
                "Give --threshold and --custodians, or named groups with --group and "
                "--group-threshold."
            )
        policy = SharePolicy.plain(_custodians(args.custodians), args.threshold)
    policy.check()
    if args.format != "slip39" and policy.grouped:
        raise CeremonyError("CheckTick's legacy format has no groups; use --format slip39.")
    return policy


def _policy_lines(policy: SharePolicy) -> list[str]:
    """Which line of the shares file belongs to whom, and the policy in words."""
    lines = [f"Policy: {policy.describe()}."]
    if policy.grouped:
        for n, name in enumerate(policy.custodians, start=1):
            group, member = policy.locate(n)
            lines.append(f"  line {n}: {name} ({policy.group_name(group)} share {member})")
    return lines


def _policy_json(policy: SharePolicy) -> dict[str, Any]:
    return {
        "group_threshold": policy.group_threshold,
        "groups": [
            {"name": g.name, "members": list(g.members), "threshold": g.threshold}
            for g in policy.groups
        ],
    }


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
    if len(raw) not in (32, keys.COMPONENT_BYTES):
        raise CeremonyError(
            f"The component is {len(raw)} bytes; a CheckTick component is "
            f"{keys.COMPONENT_BYTES} (key version v1) or 32 (v2 and later)."
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
    policy = _policy(args)
    names = list(policy.custodians)
    passphrase = _new_passphrase(args, policy.threshold)
    fresh = keys.new_component(length=args.component_bytes) if args.generate else None
    with fresh or _component_from_stdin() as component:
        shares = split_policy(
            component,
            policy,
            args.format,
            passphrase,
            iteration_exponent=args.iteration_exponent,
        )
        fp = keys.fingerprint(component, "custodian")
        size = len(component)
    _write_shares(args.shares_out, shares)
    info = inspect(shares[0])
    _emit(
        args,
        {
            "scheme": args.format,
            "set_id": info.set_id,
            "threshold": policy.threshold,
            "count": len(names),
            "custodians": names,
            **_policy_json(policy),
            "component_bytes": size,
            "shares_out": args.shares_out,
            "fingerprint": {"custodian": fp},
        },
        [
            f"Wrote {len(names)} {args.format} shares of a {size}-byte component "
            f"to {args.shares_out}, one per line in custodian order: {', '.join(names)}.",
            *_policy_lines(policy),
            f"Set id: {info.set_id or 'none (CheckTick format)'}",
            f"Custodian fingerprint: {fp}",
        ],
    )
    return 0


def _used_json(state: SessionState) -> dict[str, Any]:
    out: dict[str, Any] = {
        "scheme": state.scheme,
        "set_id": state.set_id,
        "indices": list(state.indices),
        "threshold": state.threshold,
    }
    if state.grouped:
        out["group_threshold"] = state.group_threshold
        out["groups"] = [
            {"group": g.number, "threshold": g.threshold, "shares": list(g.entered)}
            for g in state.groups
        ]
    return out


def _used_text(state: SessionState) -> str:
    if state.grouped:
        return "Shares used: " + "; ".join(
            f"group {g.number}: {', '.join(map(str, g.entered))}" for g in state.groups if g.entered
        )
    return f"Shares used: {', '.join(map(str, state.indices))}"


def cmd_combine(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    passphrase = read_passphrase(args.passphrase_prompt, args.passphrase_file)
    state, component = recover_component(passphrase, args.expect_fingerprint, args.threshold)
    with component:
        fp = keys.fingerprint(component, "custodian")
        size = len(component)
        note = length_note(component) if state.scheme == "checktick" else ""
    if note:
        print(f"ceremony: note: {note}", file=sys.stderr)
    _emit(
        args,
        {
            **_used_json(state),
            "component_bytes": size,
            "fingerprint": {"custodian": fp},
            **({"note": note} if note else {}),
        },
        [
            f"Scheme: {state.scheme}",
            f"Set id: {state.set_id or 'none (CheckTick format)'}",
            _used_text(state),
            f"Component: {size} bytes",
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
    check = check_value(lines[0])
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
            "group": info.group,
            "group_threshold": info.group_threshold,
            "group_count": info.group_count,
            "component_bytes": info.secret_bytes,
            "check_value": check,
        },
        [info.describe() + ".", f"Check value: {check} (compare with the ceremony record)"],
    )
    return 0


def cmd_reshare(args: argparse.Namespace) -> int:
    enter_ceremony(args.rehearsal)
    policy = _policy(args)
    old_passphrase = read_passphrase(False, args.old_passphrase_file)
    new_passphrase = _new_passphrase(args, policy.threshold)
    old_state, component = recover_component(
        old_passphrase, args.expect_fingerprint, args.old_threshold
    )
    with component:
        old_fp = keys.fingerprint(component, "custodian")
        shares = split_policy(
            component,
            policy,
            args.format,
            new_passphrase,
            iteration_exponent=args.iteration_exponent,
        )
        note = length_note(component) if old_state.scheme == "checktick" else ""
    if note:
        print(f"ceremony: note: {note}", file=sys.stderr)
    new_fp = _fingerprint_of(
        shares if policy.grouped else shares[: policy.threshold], new_passphrase
    )
    if new_fp != old_fp:
        raise CeremonyError(
            "The new shares do not rebuild the same component; nothing was written."
        )
    _write_shares(args.shares_out, shares)
    fingerprints = (old_fp, new_fp)
    _emit(
        args,
        _reshare_json(args, policy, old_state, inspect(shares[0]).set_id, fingerprints),
        _reshare_lines(args, policy, old_state, fingerprints),
    )
    return 0


def _reshare_json(
    args: argparse.Namespace,
    policy: SharePolicy,
    old_state: SessionState,
    set_id: str | None,
    fingerprints: tuple[str, str],
) -> dict[str, Any]:
    """The machine-readable summary: the old set, revoked, and the new one."""
    old_fp, new_fp = fingerprints
    return {
        "scheme": args.format,
        "old": _used_json(old_state),
        "revoked": {
            "scheme": old_state.scheme,
            "set_id": old_state.set_id,
            "entered": list(old_state.indices),
            "destroy": "every sheet of the old set, including any not brought today",
        },
        "set_id": set_id,
        "threshold": policy.threshold,
        "count": len(policy.custodians),
        **_policy_json(policy),
        "fingerprint": {"custodian": new_fp},
        "old_fingerprint": {"custodian": old_fp},
    }


def _reshare_lines(
    args: argparse.Namespace,
    policy: SharePolicy,
    old_state: SessionState,
    fingerprints: tuple[str, str],
) -> list[str]:
    """The summary in words, ending with which old sheets to destroy."""
    old_fp, new_fp = fingerprints
    names = list(policy.custodians)
    old_name = SCHEME_NAMES[old_state.scheme or "slip39"]
    old_set = f"set {old_state.set_id}" if old_state.set_id else "the old set"
    return [
        f"Old set: {old_name} {old_state.set_id or ''}".rstrip()
        + f", shares {', '.join(map(str, old_state.indices))}",
        f"Old custodian fingerprint: {old_fp}",
        f"New custodian fingerprint: {new_fp} (matches)",
        f"Wrote {len(names)} {args.format} shares to {args.shares_out}, one per line in "
        f"custodian order: {', '.join(names)}.",
        *_policy_lines(policy),
        f"Destroy the old sheets now: every {old_name} sheet of {old_set} "
        f"(shares {', '.join(map(str, old_state.indices))} were used today, and any "
        "not brought). They still rebuild the same key until they are destroyed.",
    ]


def _fingerprint_of(shares: list[str], passphrase: bytes) -> str:
    """Fingerprint of what the new shares rebuild (all of them: groups may need any)."""
    from ceremony.shares import combine

    with combine(shares, passphrase) as rebuilt:
        return keys.fingerprint(rebuilt, "custodian")
