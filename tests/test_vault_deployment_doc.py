"""docs/vault-deployment.md, run literally: every ```sh block, in order, on a real OpenBao.

The blocks run in one bash process each, with `set -euo pipefail`; exported
variables carry over from block to block. Where the page says the room answers
the install request, the test seals that answer with the library the room uses.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from ceremony import gap
from ceremony.keys import export_key_check_of
from ceremony.operations.install import install_payload
from tests.openbao_support import bao_binary, free_port
from tests.vault_support import CEREMONY_ID, Keys

DOC = Path(__file__).resolve().parent.parent / "docs" / "vault-deployment.md"
_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def blocks() -> list[str]:
    return _BLOCK.findall(DOC.read_text(encoding="utf-8"))


def test_the_page_has_commands_for_every_step() -> None:
    text = " ".join(blocks())
    for needed in (
        'storage "raft"',
        'audit "file"',
        "ceremony vault setup",
        "-policy=checktick-ceremony-install",
        "bao token revoke",
        "-policy=checktick-ceremony-auditor",
        "bao operator raft snapshot save",
    ):
        assert needed in text, needed


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


def test_every_command_on_the_page_runs(tmp_path: Path) -> None:
    binary = bao_binary()
    assert binary is not None, "bao is installed by make setup (requirements/test.lock)"
    keys = Keys.make("deployment-doc")
    export_check = export_key_check_of(keys.custodian)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        BAO_PORT=str(free_port()),
        BAO_CLUSTER_PORT=str(free_port()),
        EXPORT_KEY_CHECK=export_check,
    )
    state = tmp_path / "exported.sh"
    state.write_text("")
    outputs: list[str] = []
    try:
        for block in blocks():
            if "install-answer.ctb" in block:
                _answer(tmp_path, keys)
            script = f"set -euo pipefail\nsource {state}\n{block}\nexport -p > {state}\n"
            done = subprocess.run(
                ["bash", "-c", script],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, (block, done.stdout, done.stderr)
            outputs.append(done.stdout)
    finally:
        pid = tmp_path / "bao.pid"
        if pid.exists():
            subprocess.run(["kill", pid.read_text().strip()], check=False)
    text = "\n".join(outputs)
    assert re.search(r"Sealed\s+false", text)
    assert f"export key check  {export_check}" in text  # the second person's check
    assert keys.fingerprints()["vault"] in text
    assert "NOT VERIFIED" not in text
    init = json.loads((tmp_path / "init.json").read_text())
    assert len(init["unseal_keys_b64"]) == 5
    assert list(tmp_path.glob("ceremony-*.snap")) and (tmp_path / "audit.log").stat().st_size > 0
