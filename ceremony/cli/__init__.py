"""`ceremony ...`: the headless commands. Secrets never come from the command line.

Each subcommand lives in its own module with a ``register(subparsers)`` function;
this module only assembles them. With no arguments, ``ceremony`` opens the desktop app.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ceremony.errors import CeremonyError

__all__ = ["main"]

COMMAND_MODULES = (
    "ceremony.cli.share_commands",
    "ceremony.cli.genesis_command",
    "ceremony.cli.gap_commands",
    "ceremony.cli.rehearse_command",
    "ceremony.cli.printers_command",
    "ceremony.cli.vault_commands",
    "ceremony.cli.evidence_commands",
    "ceremony.cli.drill_command",
)

DESKTOP_OPTIONS = ("--screenshot-tour", "--rehearsal", "--full-screen")  # open the desktop app
EXIT_OK = 0
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ceremony",
        description="Key ceremonies for a platform's offline custodians. "
        "Run with no arguments to open the desktop app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] in DESKTOP_OPTIONS:
        return _desktop(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or EXIT_OK)
    except CeremonyError as err:
        print(f"ceremony: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("ceremony: cancelled", file=sys.stderr)
        return 130


def _desktop(args_list: list[str]) -> int:
    try:
        from ui.app import main as desktop_main
    except ImportError as err:  # the desktop app is optional for headless use
        print(f"ceremony: the desktop app is not available ({err})", file=sys.stderr)
        return 1
    return int(desktop_main(args_list))
