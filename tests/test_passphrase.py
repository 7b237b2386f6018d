"""Passphrases on new sets: long or forced, a plain warning, and a raisable iteration exponent
that every share sheet prints."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ceremony.errors import CeremonyError, ShareError
from ceremony.passphrase import (
    MIN_PASSPHRASE_CHARS,
    check_iteration_exponent,
    check_new_passphrase,
    passphrase_warning,
)
from ceremony.shares import slip39, split
from tests.cli import practice_install_request, run_ceremony, run_genesis, run_split
from tests.sharesets import make_set


def pdf_text(path: Path) -> str:
    doc = pdfium.PdfDocument(str(path))
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)


def test_the_rules_in_the_core() -> None:
    check_new_passphrase(b"")  # no passphrase at all is a choice, not a short one
    check_new_passphrase(b"x" * MIN_PASSPHRASE_CHARS)
    with pytest.raises(CeremonyError) as short:
        check_new_passphrase(b"x" * (MIN_PASSPHRASE_CHARS - 1))
    assert short.value.message == (
        "The passphrase has 11 characters; use at least 12 (a few random words are best), or "
        "confirm a short one on purpose with --force-short-passphrase."
    )
    check_new_passphrase(b"short", allow_short=True)
    for bad in (-1, 13):
        with pytest.raises(CeremonyError, match="between 0 and 12"):
            check_iteration_exponent(bad)
    assert passphrase_warning(3, 4) == (
        "Anyone who holds 3 of these shares can test passphrase guesses offline, checking each "
        "against the custodian fingerprint printed on the sheets; each guess costs 160,000 rounds "
        "of PBKDF2 (iteration exponent 4), so only a long passphrase (12 characters or more, "
        "best a few random words) protects the set."
    )


def test_the_exponent_reaches_the_shares_and_checktick_refuses_one() -> None:
    component, _ = make_set(2, 2, seed=41)
    shares = split(component, 2, 3, passphrase=b"", iteration_exponent=3)
    assert {slip39.decode(s).iteration_exponent for s in shares} == {3}
    with pytest.raises(ShareError, match="no iteration exponent"):
        split(component, 2, 3, "checktick", iteration_exponent=3)


def _split(
    tmp_path: Path, passphrase: str, *extra: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    pp = tmp_path / "pp"
    pp.write_text(passphrase + "\n")
    out = tmp_path / "shares.txt"
    done = run_split(
        2, "Ann,Ben,Cat", out, "--generate", "--passphrase-file", str(pp), "--json", *extra
    )
    return done, out


def test_a_short_passphrase_is_refused_unless_forced(tmp_path: Path) -> None:
    refused, out = _split(tmp_path, "orchard")
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "ceremony: The passphrase has 7 characters; use at least 12 (a few random words are "
        "best), or confirm a short one on purpose with --force-short-passphrase."
    )
    assert not out.exists()
    forced, out = _split(tmp_path, "orchard", "--force-short-passphrase")
    assert forced.returncode == 0, forced.stderr
    assert out.exists()


def test_split_with_a_passphrase_warns_and_uses_the_exponent(tmp_path: Path) -> None:
    done, out = _split(tmp_path, "orchard lantern quietly", "--iteration-exponent", "2")
    assert done.returncode == 0, done.stderr
    assert f"ceremony: note: {passphrase_warning(2, 2)}" in done.stderr
    shares = out.read_text().splitlines()
    assert {slip39.decode(s).iteration_exponent for s in shares} == {2}
    fingerprint = json.loads(done.stdout)["fingerprint"]["custodian"]
    # Recovery reads the exponent from the shares: nothing to remember.
    ok = run_ceremony(
        "combine",
        "--passphrase-file",
        str(tmp_path / "pp"),
        "--expect-fingerprint",
        fingerprint,
        stdin="\n".join(shares[:2]) + "\n",
    )
    assert ok.returncode == 0, ok.stderr


def test_no_passphrase_no_warning(tmp_path: Path) -> None:
    out = tmp_path / "s.txt"
    done = run_split(2, "Ann,Ben", out, "--generate")
    assert done.returncode == 0, done.stderr
    assert "offline" not in done.stderr


def test_reshare_checks_the_new_passphrase_and_exponent(tmp_path: Path) -> None:
    _, shares = make_set(2, 3, seed=42)
    pp = tmp_path / "new"
    pp.write_text("tiny\n")
    out = tmp_path / "new.txt"
    args = [
        "reshare",
        "--threshold",
        "2",
        "--custodians",
        "Ann,Ben",
        "--passphrase-file",
        str(pp),
        "--shares-out",
        str(out),
    ]
    refused = run_ceremony(*args, stdin="\n".join(shares[:2]) + "\n")
    assert refused.returncode == 2 and "--force-short-passphrase" in refused.stderr
    done = run_ceremony(
        *args,
        "--force-short-passphrase",
        "--iteration-exponent",
        "3",
        stdin="\n".join(shares[:2]) + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert "can test passphrase guesses offline" in done.stderr
    assert {slip39.decode(s).iteration_exponent for s in out.read_text().split("\n") if s} == {3}


def test_genesis_prints_the_exponent_on_every_sheet(tmp_path: Path) -> None:
    # a practice Vault's request: a rehearsal genesis may only answer one of those
    _, _, request_file = practice_install_request(tmp_path)
    out = tmp_path / "out"
    done = run_genesis("Ann,Ben", 2, request_file, out, "--iteration-exponent", "3")
    assert done.returncode == 0, done.stderr
    text = pdf_text(out / "share-sheets.pdf")
    assert text.count("SLIP-39 iteration exponent 3 (80,000 PBKDF2 rounds per") == 2
    refused = run_genesis("Ann,Ben", 2, request_file, tmp_path / "o2", "--iteration-exponent", "20")
    assert refused.returncode == 2 and "between 0 and 12" in refused.stderr
