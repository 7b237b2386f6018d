"""Secrets at rest: after real CLI ceremonies, no secret is anywhere it was not asked for.

Each command runs as its own process with a fresh HOME, TMPDIR and working
directory; a command that touches a secret runs with memory-only folders, whose
contents are copied out before they vanish. Afterwards every file under those,
under /tmp, in the CUPS spool and logs, and everything the commands printed is
searched for the components (raw, hex, base64), every share and every run of
three share words. The only files allowed to hold them are the ones a custodian
asked for: the shares file of ``split``, the sheets and shares of ``genesis``,
and the cups-pdf output that stands in for paper.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from ceremony import keys
from ceremony.gap import Registration, new_request, open_bundle, parse_bundle, verify_bundle
from ceremony.paper import SheetData, render_share_sheet
from ceremony.printers import cups as printing
from ceremony.secret import Secret
from ceremony.shares import combine, inspect
from tests.cli import run_ceremony
from tests.cups_support import QUEUE, cups_pdf_out_dir
from tests.secret_scan import AtRest, SecretNeedles

COMPONENT = bytes.fromhex("5e" * 16 + "c3" * 16 + "a7" * 16 + "19" * 16)


@dataclass
class Runs:
    """Runs ``ceremony`` commands in the fresh folders and keeps everything they printed."""

    at_rest: AtRest
    asked: Path  # where files a custodian asked for go
    printed: list[str] = field(default_factory=list)

    def __call__(self, *args: str, stdin: str = "") -> dict[str, Any]:
        done = run_ceremony(
            *args, stdin=stdin, env=self.at_rest.command_env(), cwd=self.at_rest.work
        )
        assert done.returncode == 0, done.stderr
        self.printed.extend([done.stdout, done.stderr])
        return json.loads(done.stdout) if "--json" in args else {}


def _split_combine_reshare(run: Runs) -> tuple[list[str], list[str]]:
    """Split a known component, combine it back, re-share it; the old and new shares."""
    run(*("split", "--threshold", "3", "--custodians", "Ann,Ben,Cat,Dan"),
        *("--shares-out", str(run.asked / "shares.txt"), "--json"),
        stdin=COMPONENT.hex() + "\n")  # fmt: skip
    shares = (run.asked / "shares.txt").read_text().splitlines()
    run("combine", "--json", stdin="\n".join(shares[1:]) + "\n")
    run(*("reshare", "--threshold", "2", "--custodians", "Eve,Fay,Gus", "--format", "checktick"),
        *("--shares-out", str(run.asked / "new-shares.txt"), "--json"),
        stdin="\n".join(shares[:3]))  # fmt: skip
    return shares, (run.asked / "new-shares.txt").read_text().split()


def _authorize_a_drill(run: Runs, shares: list[str]) -> None:
    """Review, then approve and seal, a drill request answered with ``shares``."""
    with combine(shares) as rebuilt:
        registered = Registration(
            keys.export_signing_public_key(rebuilt),
            {"custodian": keys.fingerprint(rebuilt, "custodian")},
        )
    verify, _ = new_request("verify", {}, "v1", timedelta(minutes=30), registration=registered)
    typed = "\n".join(shares) + "\n"
    code = verify.typed_code()
    reviewed = run("authorize", "--request", code, "--review-only", "--json", stdin=typed)
    run(*("authorize", "--request", code, "--out", str(run.asked / "verify.ctb")),
        *("--approve", reviewed["review_digest"], "--json"), stdin=typed)  # fmt: skip


def _rehearsal_genesis(run: Runs) -> tuple[dict[str, Any], list[str], bytes]:
    """A rehearsal genesis answering an install request: its summary, shares and vault half."""
    install, install_key = new_request("install", {}, "v1", timedelta(minutes=30), rehearsal=True)
    summary = run(*("genesis", "--custodians", "Ann,Ben,Cat", "--threshold", "2"),
                  *("--request", install.typed_code(), "--out", str(run.asked / "genesis")),
                  "--rehearsal", "--shares-text", "--json")  # fmt: skip
    shares = [
        line
        for line in Path(summary["shares_text"]).read_text().splitlines()
        if line and not line.startswith("#")
    ]
    bundle = parse_bundle(Path(summary["bundle"]).read_bytes())
    verify_bundle(bundle, install, trusted_signer=None)
    vault = bytes.fromhex(open_bundle(bundle, install_key)["vault_component"])
    return summary, shares, vault


def test_cli_ceremonies_leave_no_secret_behind(at_rest: AtRest, tmp_path: Path) -> None:
    run = Runs(at_rest, tmp_path / "asked")
    run.asked.mkdir()
    shares, new_shares = _split_combine_reshare(run)
    _authorize_a_drill(run, new_shares[:2])
    summary, genesis_shares, genesis_vault = _rehearsal_genesis(run)

    needles = SecretNeedles()
    needles.add_component("component", COMPONENT)
    needles.add_component("genesis vault component", genesis_vault)
    for i, share in enumerate(shares + new_shares + genesis_shares):
        needles.add_share(f"share {i}", share)
    # the requested files really hold what they should (the search can find things)
    assert needles.find_in((run.asked / "shares.txt").read_bytes())
    assert needles.find_in(Path(summary["shares_text"]).read_bytes())

    allowed = [run.asked / "shares.txt", run.asked / "new-shares.txt"]
    allowed += [Path(summary["shares_text"]), Path(summary["sheets"])]
    assert at_rest.leftovers(needles, allowed=allowed) == {}
    assert needles.find_in("\n".join(run.printed).encode()) == []
    assert len(list(at_rest.kept.glob("run-*"))) == 6  # every air-gapped run's TMPDIR was seen


def test_the_scan_sees_a_component_written_to_the_tmpdir_of_a_cli_run(
    at_rest: AtRest, tmp_path: Path
) -> None:
    """The probe: ``split`` made to write the component into $TMPDIR fails the scan."""
    shares_file = tmp_path / "shares.txt"
    done = run_ceremony(
        *("split", "--threshold", "2", "--custodians", "Ann,Ben,Cat"),
        *("--shares-out", str(shares_file), "--json"),
        stdin=COMPONENT.hex() + "\n",
        env=at_rest.command_env(),
        cwd=at_rest.work,
        module="tests.leaky_ceremony",
    )
    assert done.returncode == 0, done.stderr
    needles = SecretNeedles()
    needles.add_component("component", COMPONENT)
    found = at_rest.leftovers(needles, allowed=[shares_file])
    [(path, hits)] = found.items()
    assert Path(path).is_relative_to(at_rest.kept) and Path(path).name.startswith("scratch-")
    assert hits == ["component raw"]


@pytest.mark.cups
def test_printing_a_share_leaves_nothing_in_the_spool(cups: None, at_rest: AtRest) -> None:
    component = Secret(COMPONENT)
    from ceremony.shares import split

    share = split(component, 2, 3)[0]
    sheet = SheetData(
        organisation="Spool check",
        custodian="Ann",
        index=1,
        count=3,
        threshold=2,
        set_id=inspect(share).set_id,
        key_version="v1",
        ceremony_id="SPOOL-1",
        date="2026-11-28",
        fingerprint=keys.fingerprint(component, "custodian"),
        share=share,
        rehearsal=True,
    )
    job = printing.print_pdf(render_share_sheet(sheet), QUEUE)
    assert job
    needles = SecretNeedles()
    needles.add_share("printed share", share)
    paper = cups_pdf_out_dir()
    assert at_rest.leftovers(needles, allowed=list(paper.glob("*.pdf"))) == {}
