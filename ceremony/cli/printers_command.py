"""`ceremony printers`: find USB printers and give each a print queue (the image runs
this at boot and whenever a printer is plugged in)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ceremony.printers.usb import find_printers, run_slow_command, set_up_printers

__all__ = ["register"]

MAX_WAIT_S = 600


def register(sub: Any) -> None:
    p = sub.add_parser(
        "printers", help="list USB printers; with --set-up, give each one a print queue"
    )
    p.add_argument(
        "--set-up",
        action="store_true",
        help="add a queue for every USB printer that has none (needs lpadmin rights)",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help=f"keep looking this long for a new printer (at most {MAX_WAIT_S})",
    )
    p.set_defaults(func=cmd_printers)  # fmt: skip


def cmd_printers(args: argparse.Namespace) -> int:
    if not 0 <= args.wait <= MAX_WAIT_S:
        print(f"ceremony: --wait must be between 0 and {MAX_WAIT_S} seconds", file=sys.stderr)
        return 2
    if not args.set_up:
        found, problems = find_printers(run_slow_command)
        for printer in found:
            print(f"USB printer: {printer.model} — {printer.uri} (driver {printer.driver})")
        for line in problems:
            print(line)
        if not (found or problems):
            print("No USB printer found: plug one in and switch it on")
        return 0
    report = set_up_printers(wait_s=args.wait)
    for line in report.lines():
        print(line)
    return 1 if report.problems else 0
