"""`ceremony rehearse`: a whole genesis with a throwaway key and no Vault."""

from __future__ import annotations

import argparse
from typing import Any

from ceremony.operations.rehearsal import RehearsalPlan, run_rehearsal
from ceremony.paper import EnvironmentRow
from ceremony.room.guard import enter_ceremony
from ceremony.shares import SCHEMES

__all__ = ["register"]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "rehearse",
        help="practice a genesis with a throwaway key: sheets, record and shares in a folder",
    )
    p.add_argument("--out", required=True, help="folder for the output (created)")
    p.add_argument("--custodians", default="Ann,Ben,Cat,Dan", help="comma-separated names")
    p.add_argument("--threshold", type=int, default=3, help="shares needed to rebuild")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.add_argument("--format", choices=SCHEMES, default="slip39", help="share format")
    p.add_argument("--organisation", default="Rehearsal organisation")
    p.set_defaults(func=cmd_rehearse)


def cmd_rehearse(args: argparse.Namespace) -> int:
    guard = enter_ceremony(rehearsal=True, announce=False)  # a rehearsal by nature
    plan = RehearsalPlan(
        custodians=tuple(n.strip() for n in args.custodians.split(",")),
        threshold=args.threshold,
        paper=args.paper,
        scheme=args.format,
        organisation=args.organisation,
    )
    rows = [EnvironmentRow(*row) for row in guard.record_rows()]
    result = run_rehearsal(args.out, plan, environment=rows)
    print("REHEARSAL — NOT A REAL KEY")
    print(f"ceremony id:           {result.ceremony_id}")
    if result.set_id:
        print(f"share set id:          {result.set_id}")
    for label, fp in result.fingerprints.items():
        print(f"{label + ' fingerprint:':<23}{fp}")
    print(f"share sheets:          {result.sheets}")
    print(f"ceremony record:       {result.record}")
    print(f"shares (0600):         {result.shares_file}")
    subsets = "; ".join(",".join(map(str, s)) for s in result.checked_subsets)
    print(f"check: the written shares rebuild the component (subsets {subsets})")
    return 0
