"""The record's appendix, followed literally from the printed PDF's text, rebuilds the key.

No code of this project runs on the recovery side: the script is the text pdfium reads
off the page, the shares are what the sheets say, and the SLIP-39 half comes from the
reference library (python-shamir-mnemonic), through its own `shamir recover` command too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ceremony.keys import FINGERPRINT_PREFIX
from ceremony.operations.genesis import GenesisKeys, GenesisPlan, generate, genesis_record
from ceremony.paper import render_record
from ceremony.paper.appendix import APPENDIX_TITLE, SCRIPT_END, VAULT_FIELD, VAULT_PATH
from ceremony.shares.checktick import PRIME
from ceremony.vaultops.paths import MASTER_KEY, MOUNT
from tests.pdf_pages import all_text

FINGERPRINT = r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}"


def _genesis(scheme: str, names: tuple[str, ...], threshold: int) -> GenesisKeys:
    plan = GenesisPlan("Example Trust", "v1", names, threshold, "Wendy Ng", scheme=scheme)  # type: ignore[arg-type]
    return generate(plan, ceremony_id="C-APPENDIX")


def _record_text(genesis: GenesisKeys) -> str:
    record = genesis_record(genesis, ended=datetime(2026, 12, 2, 19, tzinfo=UTC))
    return all_text(render_record(record))


def _appendix(text: str) -> str:
    assert APPENDIX_TITLE in text
    return text[text.index(APPENDIX_TITLE) :]


def _script(appendix: str) -> str:
    """The lines printed for recover.py, as pdfium reads them off the page."""
    start = appendix.index("import hashlib")
    end = appendix.index(SCRIPT_END) + len(SCRIPT_END)
    return appendix[start:end] + "\n"


def _shown_fingerprints(record_text: str) -> dict[str, str]:
    """The record's own fingerprint table (page 1), not the appendix's copy."""
    table = record_text[record_text.index("Fingerprints") : record_text.index("Attendees")]
    return dict(re.findall(rf"^(custodian|vault|platform) ({FINGERPRINT})$", table, re.M))


def _run_script(script: str, answers: list[str], tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "recover.py"
    path.write_text(script)
    done = subprocess.run(
        [sys.executable, str(path)],
        input="\n".join(answers) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # input() prompts end without a newline: the printed lines follow them
    return dict(re.findall(rf"\b(custodian|vault|platform) ({FINGERPRINT})$", done.stdout, re.M))


def test_the_appendix_names_what_the_code_uses() -> None:
    assert f"secret/{MASTER_KEY}" == f"{MOUNT}/{VAULT_PATH}"
    genesis = _genesis("slip39", ("Ann", "Ben", "Cat"), 2)
    appendix = _appendix(_record_text(genesis))
    genesis.wipe()
    flat = " ".join(appendix.split())
    assert "vault component XOR the custodian component" in flat
    assert f"mount 'secret', path '{VAULT_PATH}', field '{VAULT_FIELD}'" in flat
    assert f"'{FINGERPRINT_PREFIX.decode()}' followed by the label" in flat
    assert "shamir recover" in flat and 'pip install "shamir-mnemonic[cli]"' in flat


@pytest.mark.parametrize("threshold", [2, 3])
def test_slip39_appendix_script_rebuilds_the_fingerprints_on_the_record(
    threshold: int, tmp_path: Path
) -> None:
    genesis = _genesis("slip39", ("Ann", "Ben", "Cat", "Dan", "Eve"), threshold)
    text = _record_text(genesis)
    shares = genesis.shares[-threshold:]  # any quorum: the last sheets
    vault_hex = genesis.vault.reveal().hex()
    genesis.wipe()
    shown = _shown_fingerprints(text)
    assert set(shown) == {"custodian", "vault", "platform"}
    answers = [*shares, "", "", vault_hex]  # shares, Enter when done, no passphrase, vault half
    assert _run_script(_script(_appendix(text)), answers, tmp_path) == shown


def test_shamir_recover_as_printed_gives_the_custodian_half(tmp_path: Path) -> None:
    genesis = _genesis("slip39", ("Ann", "Ben", "Cat"), 2)
    text = _record_text(genesis)
    shares = genesis.shares[:2]
    genesis.wipe()
    appendix = _appendix(text)
    command = next(line for line in appendix.splitlines() if line.strip() == "shamir recover")
    shamir = Path(sys.executable).with_name("shamir")
    argv = [str(shamir), *command.split()[1:]]
    done = subprocess.run(
        argv, input="\n".join(shares) + "\n", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.search(r"Your master secret is: ([0-9a-f]{128})", done.stdout)
    assert found is not None, done.stdout
    # The appendix's fingerprint lines (its script's head) applied to what the command printed.
    script = _script(appendix)
    head = script[: script.index("from shamir_mnemonic")]
    namespace: dict[str, object] = {}
    exec(compile(head, "recover.py", "exec"), namespace)
    compute = namespace["fingerprint"]
    assert callable(compute)
    assert (
        compute(bytes.fromhex(found.group(1)), b"custodian")
        == _shown_fingerprints(text)["custodian"]
    )


def test_legacy_appendix_script_rebuilds_the_fingerprints_on_the_record(tmp_path: Path) -> None:
    genesis = _genesis("checktick", ("Ann", "Ben", "Cat"), 2)
    text = _record_text(genesis)
    shares = genesis.shares[1:]
    vault_hex = genesis.vault.reveal().hex()
    genesis.wipe()
    appendix = _appendix(text)
    assert "RFC 3526" in appendix
    prime_hex = f"{PRIME:x}"  # RFC 3526 group 14, as the reader looks it up
    answers = [prime_hex, *shares, "", "64", vault_hex]
    assert _run_script(_script(appendix), answers, tmp_path) == _shown_fingerprints(text)


@pytest.mark.parametrize("scheme", ["slip39", "checktick"])
def test_the_sheet_says_it_holds_the_custodian_half_and_vault_the_other(scheme: str) -> None:
    from ceremony.paper import render_share_sheet
    from tests.pdf_pages import page_text

    genesis = _genesis(scheme, ("Ann", "Ben", "Cat"), 2)
    pdf = render_share_sheet(genesis.sheet(1))
    genesis.wipe()
    flat = " ".join(page_text(pdf).split())
    assert "Custodian half only; Vault holds the other" in flat
    assert "platform key = vault XOR custodian component (see the record's appendix)" in flat
