"""`ceremony vault setup | status | request | apply | audit`: the online side.

Connection settings come from VAULT_ADDR, VAULT_TOKEN or VAULT_ROLE_ID +
VAULT_SECRET_ID, VAULT_CACERT, VAULT_TLS_VERIFY and VAULT_TIMEOUT. Every failure
is one line (a VaultError, turned into exit 2 by ``ceremony.cli``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import qrcode

from ceremony import gap
from ceremony.errors import CeremonyError
from ceremony.shown import shown
from ceremony.vaultops import (
    DEFAULT_REQUEST_TTL,
    DEFAULT_WAIT,
    DEFAULT_WRAP_TTL,
    MAX_WRAP_TTL,
    DrillDue,
    VaultClient,
    VaultConfig,
    apply_bundle,
    audit_entries,
    connect,
    create_request,
    drill_warnings,
    setup,
    status,
)

__all__ = ["parse_ttl", "register"]

_TTL = re.compile(r"(\d+)([smhd]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def register(sub: Any) -> None:
    vault = sub.add_parser("vault", help="the online side: requests and one-shot apply in Vault")
    cmds = vault.add_subparsers(dest="vault_command", metavar="COMMAND", required=True)

    p = cmds.add_parser("setup", help="check KV v2 at secret/ and write the ceremony policies")
    p.add_argument(
        "--rehearsal",
        action="store_true",
        help="mark this Vault for practice: real bundles refused",
    )
    p.set_defaults(func=cmd_setup)

    p = cmds.add_parser("status", help="health, seal state, registered key, pending requests")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    _register_request(cmds)
    _register_apply(cmds)

    p = cmds.add_parser("audit", help="the audit entries, newest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit)


def _register_request(cmds: Any) -> None:
    """`vault request` and its options."""
    p = cmds.add_parser("request", help="a request code for the custodians to answer")
    p.add_argument("operation", choices=gap.OPERATIONS)
    p.add_argument("--user", help="CheckTick user id (recover-escrow)")
    p.add_argument("--survey", help="CheckTick survey id (recover-escrow)")
    p.add_argument(
        "--session", metavar="CODE", help="the room's session code (recover-escrow, adopt)"
    )
    p.add_argument(
        "--admin-id", type=_admin_id, help="CheckTick administrator's user id (recover-escrow)"
    )
    p.add_argument("--notes", help="verification notes for CheckTick's audit trail")
    p.add_argument("--ticket", help="CheckTick recovery ticket id, shown to the quorum")
    p.add_argument(
        "--ttl",
        type=parse_ttl,
        default=None,
        help="e.g. 30m, 2h (default: "
        + ", ".join(f"{op} {_hours(t)}" for op, t in DEFAULT_REQUEST_TTL.items())
        + f"; at most {_hours(gap.MAX_SEALED_LIFETIME)} when the request carries the vault "
        "component)",
    )
    p.add_argument("--key-version", help="key version label (default: the registered one, or v1)")
    p.add_argument("--out", metavar="FILE", help="also write the request file")
    p.add_argument("--qr-png", metavar="FILE", help="also write the QR code as a PNG")
    p.add_argument("--no-qr", action="store_true", help="do not draw the QR in the terminal")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_request)


def _register_apply(cmds: Any) -> None:
    """`vault apply` and its options."""
    p = cmds.add_parser("apply", help="apply a sealed bundle exactly once")
    p.add_argument("bundle", help="the bundle file, or - to read its text line from stdin")
    p.add_argument(
        "--expect-export-key",
        metavar="CODE",
        help="install and adopt: the export key check printed on the ceremony record",
    )
    p.add_argument(
        "--wrap-ttl",
        type=parse_ttl,
        default=timedelta(seconds=DEFAULT_WRAP_TTL),
        help=f"recover-escrow: life of the wrapping token (default {DEFAULT_WRAP_TTL // 60}m, "
        f"at most {MAX_WRAP_TTL // 3600}h)",
    )
    p.add_argument(
        "--release-again",
        action="store_true",
        help="recover-escrow, administrators only: the released token was lost; revoke it "
        "(refused if it was already unwrapped) and release the KEK in a new one",
    )
    p.add_argument(
        "--wait-for-other",
        type=parse_ttl,
        default=timedelta(seconds=DEFAULT_WAIT),
        help="recover-escrow: how long to wait for another apply of the same bundle before "
        f"taking it as stopped (default {DEFAULT_WAIT:g}s)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_apply)


def _hours(ttl: timedelta) -> str:
    hours, rest = divmod(int(ttl.total_seconds()), 3600)
    return f"{hours}h" if not rest else f"{int(ttl.total_seconds()) // 60}m"


def parse_ttl(text: str) -> timedelta:
    match = _TTL.fullmatch(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 30m, 2h or 900")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def _admin_id(text: str) -> int:
    if not text.strip().isdigit() or not text.strip().isascii():
        raise argparse.ArgumentTypeError(f"{text!r} is not a CheckTick user id (a whole number)")
    return int(text)


def _client() -> VaultClient:
    return connect(VaultConfig.from_env(os.environ))


def cmd_setup(args: argparse.Namespace) -> int:
    for line in setup(_client(), rehearsal=args.rehearsal):
        print(line)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    state = status(_client())
    if args.json:
        print(json.dumps(state.summary(), indent=2, sort_keys=True))
        return 0
    seal = "sealed" if state.sealed else "unsealed"
    kind = "a PRACTICE Vault (rehearsal bundles only)" if state.practice else "a production Vault"
    _say(f"Vault {state.address}: version {state.version}, {seal}, {kind}")
    if state.sealed:
        return 0
    master = {True: "present", False: "none", None: "not readable with this token"}
    _say(f"Master key at secret/platform/master-key: {master[state.master_key]}")
    reg = state.registration
    if reg is None:
        _say("Registered key: none (run install or adopt)")
    else:
        _say(f"Registered key version {reg.get('key_version')} ({reg.get('registered_by')})")
        _say(f"  export key check  {reg.get('export_key_check')}")
        for label, value in sorted((reg.get("fingerprints") or {}).items()):
            _say(f"  {label:<10} {value}")
    _print_drills(state.drills)
    if state.pending is None:
        _say("Pending requests: not readable with this token")
        return 0
    _say(f"Pending requests: {len(state.pending)}")
    for item in state.pending:
        params = _stored_params(item.get("params"))
        when = "expired" if item.get("expired") else "expires"
        _say(f"  {item['id']}  {item['operation']} {params}  {when} {item['expires_at']}")
    return 0


def cmd_request(args: argparse.Namespace) -> int:
    operation: gap.Operation = args.operation
    params = _params(operation, args.user, args.survey, args.ticket)
    session = gap.parse_session_code(args.session) if args.session else None
    request = create_request(
        _client(),
        operation,
        params,
        args.ttl or DEFAULT_REQUEST_TTL[operation],
        args.key_version,
        session=session,
        admin_id=args.admin_id,
        notes=args.notes,
    )
    if args.out:
        _write_new(Path(args.out), request.file_text().encode())
    if args.qr_png:
        image = io.BytesIO()
        qrcode.make(request.qr_payload(), error_correction=qrcode.constants.ERROR_CORRECT_M).save(
            image
        )
        _write_new(Path(args.qr_png), image.getvalue())
    if args.json:
        out: dict[str, Any] = {
            "id": request.id,
            "code": request.typed_code(),
            "qr_payload": request.qr_payload(),
            "check_words": list(request.check_words()),
            "operation": request.operation,
            "expires_at": request.expires_at.isoformat(),
            "custodian_fingerprint": request.custodian_fingerprint,
            "platform_fingerprint": request.platform_fingerprint,
            "rehearsal": request.rehearsal,
            "size_bytes": len(request.to_bytes()),
        }
        if args.out:
            out["file"] = str(args.out)
        if args.qr_png:
            out["qr_png"] = str(args.qr_png)
        print(json.dumps(out, indent=2))
        return 0
    print(f"Request {request.id}: {request.describe()}")
    print(f"Key version {request.key_version}; expires {request.expires_at:%Y-%m-%d %H:%M UTC}")
    print(f"Check words: {' '.join(request.check_words())}")
    if request.sealed is not None:
        words = " ".join(gap.SessionCode(request.sealed.session_public_key).check_words())
        print(f"Sealed for the room's session key with check words: {words}")
    if request.custodian_fingerprint:
        print(f"The room will check its shares against fingerprint {request.custodian_fingerprint}")
    if not args.no_qr:
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
        qr.add_data(request.qr_payload())
        qr.print_ascii(out=sys.stdout, invert=True)
    print("Typed code:")
    print(request.typed_code(per_line=5))
    return 0


def _params(
    operation: gap.Operation, user: str | None, survey: str | None, ticket: str | None
) -> dict[str, str]:
    if operation == "recover-escrow":
        if not user or not survey:
            raise CeremonyError("recover-escrow needs --user and --survey.")
        params = {"user": user, "survey": survey}
        if ticket:
            params["ticket"] = ticket
        return params
    if user or survey or ticket:
        raise CeremonyError(f"{operation} takes no --user, --survey or --ticket.")
    return {}


def _write_new(path: Path, data: bytes) -> None:
    try:
        with path.open("xb") as fh:
            fh.write(data)
    except FileExistsError:
        raise CeremonyError(f"{path} already exists; choose a new file name.") from None
    except OSError as err:
        raise CeremonyError(f"Cannot write {path}: {err.strerror}.") from None


def _read_bundle(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read(gap.MAX_BUNDLE_BYTES * 2 + 256)
    path = Path(source)
    try:
        with path.open("rb") as fh:
            return fh.read(gap.MAX_BUNDLE_BYTES * 2 + 256)  # larger is refused as oversized
    except OSError as err:
        raise CeremonyError(f"Cannot read the bundle {path}: {err.strerror}.") from None


def cmd_apply(args: argparse.Namespace) -> int:
    data = _read_bundle(args.bundle)
    result = apply_bundle(
        _client(),
        data,
        expect_export_key=args.expect_export_key,
        wrap_ttl=int(args.wrap_ttl.total_seconds()),
        release_again=args.release_again,
        wait=args.wait_for_other.total_seconds(),
    )
    for warning in result.warnings:
        print(f"ceremony: warning: {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.summary(), indent=2))
        return 0
    if result.wrapping_token is not None:
        # The only output on stdout is the token, for the person who unwraps it.
        again = " again" if result.status == "released again" else ""
        print(
            f"Applied recover-escrow for request {result.request_id}. The KEK is{again} inside "
            f"this single-use wrapping token, valid for {result.wrap_ttl} seconds (unwrap it "
            "once, with `vault unwrap`):",
            file=sys.stderr,
        )
        print(
            f"Bundle digest: {result.digest} (the room asks for its first 8 characters)",
            file=sys.stderr,
        )
        print(result.wrapping_token)
        return 0
    again = " (finishing an interrupted apply)" if result.resumed else ""
    print(f"Applied {result.operation} for request {result.request_id}{again}.")
    print(f"Bundle digest: {result.digest} (the room asks for its first 8 characters)")
    print(f"Key version {result.key_version}, ceremony {result.ceremony_id}")
    for label, value in sorted(result.fingerprints.items()):
        print(f"  {label:<10} {value}")
    return 0


def _print_drills(due: DrillDue | None) -> None:
    if due is None:
        return
    last = f"{due.last_drill:%Y-%m-%d}" if due.last_drill else "none"
    _say(f"Drills: every {due.interval_days} days; last verified drill {last}")
    for warning in due.warnings():
        _say(f"  WARNING: {warning}")


def cmd_audit(args: argparse.Namespace) -> int:
    client = _client()
    entries = audit_entries(client)
    due = drill_warnings(client)
    if args.json:
        out = {"entries": entries, "drills": due.summary() if due else None}
        print(json.dumps(out, indent=2, sort_keys=True))
        return 0
    if not entries:
        _say("No audit entries yet.")
    for e in entries:
        params = _stored_params(e.get("params"))
        release = f"  release {e['release']}" if e.get("release", 1) != 1 else ""
        _say(
            f"{e.get('time')}  {e.get('operation')!s:<14} request {e.get('request_id')}  "
            f"ceremony {e.get('ceremony_id')}  key {e.get('key_version')}  {params}".rstrip()
            + release
        )
        if not e.get("verified"):
            _say(f"  NOT VERIFIED: {e.get('problem')}")
    _print_drills(due)
    return 0


def _say(line: str) -> None:
    """A line made of what Vault stores, which an operator may have written: no escapes."""
    print(shown(line))


def _stored_params(params: object) -> str:
    """A stored record's parameters as ``key=value`` words, whatever shape an operator gave."""
    if not isinstance(params, dict):
        return "" if params is None else f"params={params}"
    return " ".join(f"{k}={v}" for k, v in sorted(params.items(), key=lambda kv: str(kv[0])))
