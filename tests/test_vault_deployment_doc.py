"""docs/vault-deployment.md, run literally: every ```sh block, in order, on a real OpenBao.

The blocks run in one bash process each, with `set -euo pipefail`; exported
variables and shell functions carry over from block to block. Where the page
says the room answers the install request, the test seals that answer with the
library the room uses. A block fenced ```sh hashicorp-vault is for HashiCorp
Vault only: it runs with `vault` standing for `bao` (the page says they take the
same arguments) against a second OpenBao that, like Vault, accepts audit devices
made through the API. Every command the page names in its prose must be one that
a block runs, so no command on the page goes untested.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ceremony import gap
from ceremony.keys import export_key_check_of
from ceremony.operations.install import install_payload
from tests.openbao_support import ROOT_TOKEN, OpenBao, bao_binary, free_port
from tests.vault_support import CEREMONY_ID, Keys

DOC = Path(__file__).resolve().parent.parent / "docs" / "vault-deployment.md"
_BLOCK = re.compile(r"```sh( [a-z-]+)?\n(.*?)```", re.S)
_VAULT_ONLY = " hashicorp-vault"
_PROSE_COMMAND = re.compile(r"`((?:bao|vault|ceremony) [^`]+)`")
_PORTS = [f"BAO{n}_{kind}PORT" for n in ("", "2", "3") for kind in ("", "CLUSTER_")]


def blocks() -> list[tuple[str, str]]:
    """(tag, commands) of every ```sh block, in order; the tag is "" or " hashicorp-vault"."""
    return _BLOCK.findall(DOC.read_text(encoding="utf-8"))


def _prose() -> str:
    return _BLOCK.sub("", DOC.read_text(encoding="utf-8"))


def test_the_page_has_commands_for_every_step() -> None:
    text = " ".join(commands for _, commands in blocks())
    for needed in (
        'storage "raft"',
        'audit "file"',
        "bao operator init",
        "bao operator raft join",
        "bao operator raft list-peers",
        "vault audit enable file",
        "ceremony vault setup",
        "bao auth enable approle",
        "-policy=checktick-ceremony-install",
        "bao token revoke",
        "-policy=checktick-ceremony-auditor",
        "bao operator raft snapshot save",
    ):
        assert needed in text, needed
    assert {tag for tag, _ in blocks()} == {"", _VAULT_ONLY}


def test_every_command_named_in_the_prose_is_run_by_a_block() -> None:
    """A command shown only in a sentence would never be tried: each must be in a block."""
    run = " ".join(" ".join(commands.split()) for _, commands in blocks())
    named = _PROSE_COMMAND.findall(_prose())
    assert "bao operator raft list-peers" in named  # the search finds what it looks for
    for command in named:
        assert " ".join(command.split()) in run, command


def _answer(folder: Path, keys: Keys) -> None:
    """The room's side: a genesis answering install-request.txt."""
    request = gap.parse_request((folder / "install-request.txt").read_text(encoding="utf-8"))
    bundle = gap.seal_bundle(
        request,
        install_payload(keys.vault, "slip39", 3, 5),
        keys.custodian,
        CEREMONY_ID,
        keys.fingerprints(),
    )
    (folder / "install-answer.ctb").write_bytes(bundle.to_bytes())


@pytest.fixture
def vault_like(tmp_path: Path) -> Iterator[OpenBao]:
    """An OpenBao dev server that makes audit devices through the API, as HashiCorp Vault does."""
    config = tmp_path / "vault-like.hcl"
    config.write_text("unsafe_allow_api_audit_creation = true\n")
    server = OpenBao(extra_args=(f"-config={config}",)).start()
    try:
        yield server
    finally:
        server.stop()


def _run(block: str, folder: Path, env: dict[str, str], state: Path) -> str:
    script = f"set -euo pipefail\nsource {state}\n{block}\n{{ export -p; declare -f; }} > {state}\n"
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, (block, done.stdout, done.stderr)
    return done.stdout


def _vault_only(block: str, folder: Path, env: dict[str, str], server: OpenBao) -> str:
    """A HashiCorp Vault block: `vault` is `bao`, on the Vault-like server."""
    shim = folder / "vault-bin"
    shim.mkdir(exist_ok=True)
    (shim / "vault").unlink(missing_ok=True)
    (shim / "vault").symlink_to(server.binary)
    vault_env = {k: v for k, v in env.items() if not k.startswith(("VAULT_", "BAO_"))}
    vault_env.update(
        PATH=f"{shim}{os.pathsep}{env['PATH']}",
        VAULT_ADDR=server.url,
        VAULT_TOKEN=ROOT_TOKEN,
        AUDIT_LOG=str(folder / "vault-audit.log"),
    )
    state = folder / "vault-only.sh"
    state.write_text("")
    return _run(block, folder, vault_env, state)


def test_every_command_on_the_page_runs(tmp_path: Path, vault_like: OpenBao) -> None:
    binary = bao_binary()
    assert binary is not None, "bao is installed by make setup (requirements/test.lock)"
    keys = Keys.make("deployment-doc")
    export_check = export_key_check_of(keys.custodian)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        EXPORT_KEY_CHECK=export_check,
        **{name: str(free_port()) for name in _PORTS},
    )
    state = tmp_path / "exported.sh"
    state.write_text("")
    outputs: list[str] = []
    vault_outputs: list[str] = []
    try:
        for tag, block in blocks():
            if tag == _VAULT_ONLY:
                vault_outputs.append(_vault_only(block, tmp_path, env, vault_like))
                continue
            if "install-answer.ctb" in block:
                _answer(tmp_path, keys)
            outputs.append(_run(block, tmp_path, env, state))
    finally:
        pids = tmp_path / "bao.pids"
        if pids.exists():
            subprocess.run(["kill", *pids.read_text().split()], check=False)
    text = "\n".join(outputs)
    assert re.search(r"Sealed\s+false", text)
    peers = re.findall(r"^(bao-[123])\s+127\.0\.0\.1:\d+\s+(leader|follower)\s+true$", text, re.M)
    assert sorted(name for name, _ in peers) == ["bao-1", "bao-2", "bao-3"]  # three voters
    assert f"export key check  {export_check}" in text  # the second person's check
    assert keys.fingerprints()["vault"] in text
    assert "NOT VERIFIED" not in text
    init = json.loads((tmp_path / "init.json").read_text())
    assert len(init["unseal_keys_b64"]) == 5
    assert list(tmp_path.glob("ceremony-*.snap"))
    assert (tmp_path / "bao-1" / "audit.log").stat().st_size > 0  # the active node's log
    assert "file/" in "\n".join(vault_outputs)  # `vault audit list` shows the device
    assert (tmp_path / "vault-audit.log").stat().st_size > 0
