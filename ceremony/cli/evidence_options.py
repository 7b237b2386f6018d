"""Options every headless ceremony shares for its evidence: roles, bags, the drill interval."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from ceremony.evidence.headless import parse_pairs, record_genesis_evidence
from ceremony.evidence.log import DEFAULT_DRILL_DAYS, EvidenceLog
from ceremony.operations.genesis import GenesisKeys

__all__ = ["check_genesis_evidence", "evidence_arguments", "genesis_log", "witnesses"]


def evidence_arguments(p: argparse.ArgumentParser, *, drill: bool = False) -> None:
    p.add_argument(
        "--administrator",
        default="Administrator",
        help="name of the ceremony administrator (signs the record)",
    )
    p.add_argument(
        "--also-witness",
        action="append",
        default=[],
        metavar="NAME",
        help="another witness (repeat for each); each signs the record",
    )
    p.add_argument(
        "--bag" if not drill else "--new-bag",
        action="append",
        default=[],
        metavar="N=SERIAL",
        help="the serial of the tamper-evident bag share N goes into (repeat for each share)",
    )
    p.add_argument(
        "--drill-interval-days",
        type=int,
        default=DEFAULT_DRILL_DAYS,
        metavar="DAYS",
        help=f"days between recovery drills (default {DEFAULT_DRILL_DAYS})",
    )


def witnesses(args: argparse.Namespace) -> list[str]:
    return [args.witness, *args.also_witness]


def check_genesis_evidence(args: argparse.Namespace, count: int) -> None:
    """Refuse bad roles, bags or interval before any secret is made."""
    from ceremony.errors import CeremonyError
    from ceremony.evidence.log import MAX_DRILL_DAYS, WHERE, check_bag_serial
    from ceremony.shares.secret_text import check_not_secret

    if not args.administrator.strip():
        raise CeremonyError("--administrator: name the ceremony administrator.")
    for name in [args.administrator, *witnesses(args), *args.custodians.split(",")]:
        check_not_secret(name, WHERE)  # the journal's own check comes after the keys exist
    if not 1 <= args.drill_interval_days <= MAX_DRILL_DAYS:
        raise CeremonyError(f"--drill-interval-days is 1 to {MAX_DRILL_DAYS}.")
    bags = parse_pairs(args.bag, "--bag", "bag serial")
    if bags and set(bags) != {str(i) for i in range(1, count + 1)}:
        raise CeremonyError(f"Give one --bag for every share, 1 to {count}.")
    for serial in bags.values():
        check_bag_serial(serial)


def genesis_log(genesis: GenesisKeys, args: argparse.Namespace) -> EvidenceLog:
    log = EvidenceLog("genesis", genesis.ceremony_id)
    plan = genesis.plan
    record_genesis_evidence(
        log,
        administrator=args.administrator,
        witnesses=witnesses(args),
        custodians=[(n.strip(), plan.title_of(i)) for i, n in enumerate(plan.custodians, 1)],
        shares=genesis.shares,
        bags=parse_pairs(args.bag, "--bag", "bag serial"),
        drill_interval_days=args.drill_interval_days,
        today=datetime.now(UTC).date(),
    )
    return log
