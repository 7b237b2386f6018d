"""The online side asks before it wastes a quorum, names the right policy, and writes UTC.

Conformance tests: each runs on the double and on a real OpenBao.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ceremony.errors import VaultError
from ceremony.vaultops import apply_bundle, audit_entries
from ceremony.vaultops.admin import AUDITOR_POLICY
from tests.openbao_support import OpenBao, openbao_server
from tests.vault_support import SURVEY, USER, Deployment, deployment, start_deployment, write_escrow

__all__ = ["deployment", "openbao_server"]

KEK = bytes(range(96, 128))
CEREMONY = Path(sys.executable).parent / "ceremony"
ESCROW = f"users/{USER}/surveys/{SURVEY}/recovery-kek"


def _spoil_escrow(dep: Deployment, **fields: str) -> None:
    root = dep.client(token="root-token")
    stored = root.read(ESCROW, "test")
    assert stored is not None
    assert root.write(ESCROW, {**stored.data, **fields}, stored.version, "test")


@pytest.mark.parametrize(
    ("fields", "code", "words"),
    [
        ({"platform_key_version": "v2"}, "escrow-key-version", "key version 'v2'"),
        ({"encrypted_email": ""}, "escrow-email", "no escrowed e-mail"),
        ({"encrypted_kek": "00" * 20}, "escrow", "20 bytes"),
        ({"encrypted_kek": "not hex"}, "escrow", "not hex"),
    ],
)
def test_request_refuses_an_escrow_the_room_could_not_use(
    deployment: Deployment, fields: dict[str, str], code: str, words: str
) -> None:
    deployment.install()
    write_escrow(deployment, KEK, iterations=1000)
    _spoil_escrow(deployment, **fields)
    with pytest.raises(VaultError) as err:
        deployment.request("recover-escrow", user=USER, survey=SURVEY)
    assert err.value.code == code and words in err.value.message, err.value.message
    assert not any(p.startswith("ceremony/requests/") for p in deployment.snapshot())


def test_an_install_applied_without_the_install_policy_names_it(deployment: Deployment) -> None:
    bundle = deployment.install_bundle(deployment.request("install"))
    with pytest.raises(VaultError) as err:  # the operator's token, not the install token
        apply_bundle(deployment.client(), bundle, expect_export_key=deployment.export_key_check())
    assert err.value.code == "forbidden"
    assert "install policy checktick-ceremony-install" in err.value.message


def test_an_approle_install_apply_names_the_install_policy(
    deployment: Deployment, tmp_path: Path
) -> None:
    """`ceremony vault apply` logged in by an AppRole that holds the operator policy only."""
    bundle = tmp_path / "install-answer.ctb"
    bundle.write_bytes(deployment.install_bundle(deployment.request("install")))
    deployment.double.add_approle("operator", "role-op", "secret-op", ["checktick-ceremony"])
    deployment.double.add_approle(
        "installer", "role-in", "secret-in", ["checktick-ceremony-install"]
    )

    code = deployment.export_key_check()

    def apply(role: str, secret: str) -> subprocess.CompletedProcess[str]:
        env = {"VAULT_ADDR": deployment.double.url, "VAULT_ROLE_ID": role}
        return subprocess.run(
            [str(CEREMONY), "vault", "apply", str(bundle), "--expect-export-key", code],
            env={**env, "VAULT_SECRET_ID": secret, "PATH": ""},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    refused = apply("role-op", "secret-op")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "install policy checktick-ceremony-install" in refused.stderr
    assert "operator policy" not in refused.stderr
    applied = apply("role-in", "secret-in")  # the request was left usable
    assert applied.returncode == 0, applied.stderr


def test_audit_entries_and_the_escrow_trail_are_in_utc(deployment: Deployment) -> None:
    deployment.install()
    write_escrow(deployment, KEK, iterations=1000)
    request = deployment.request("recover-escrow", user=USER, survey=SURVEY)
    deployment.apply(deployment.authorize_bundle(request))
    for entry in audit_entries(deployment.client()):
        for name in ("time", "claimed_at", "sealed_at"):
            assert str(entry[name]).endswith("Z"), (name, entry[name])
    trail = deployment.snapshot()[ESCROW]["audit_trail"]
    [stamp] = trail["access_timestamps"]
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert stamp.endswith("Z") and abs(moment - datetime.now(UTC)) < timedelta(minutes=5)


def test_request_lifetimes_default_to_a_typed_ceremony(deployment: Deployment) -> None:
    deployment.install()
    help_text = subprocess.run(
        [str(CEREMONY), "vault", "request", "--help"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(help_text.split())
    assert "install 3h" in words and "recover-escrow 4h" in words
    made = subprocess.run(
        [str(CEREMONY), "vault", "request", "verify", "--json"],
        env={"VAULT_ADDR": deployment.double.url, "VAULT_TOKEN": deployment.token, "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    expires = datetime.fromisoformat(json.loads(made.stdout)["expires_at"])
    left = expires - datetime.now(UTC)
    assert timedelta(hours=3, minutes=55) < left <= timedelta(hours=4)


def _status(server: OpenBao, token: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CEREMONY), "vault", "status"],
        env={"VAULT_ADDR": server.url, "VAULT_TOKEN": token, "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_status_with_an_auditor_token_without_vaults_default_policy(
    openbao_server: OpenBao,
) -> None:
    dep = start_deployment("auditor", server=openbao_server)
    dep.install()
    token = openbao_server.bao(
        "token",
        "create",
        "-no-default-policy",
        "-policy=checktick-ceremony-auditor",
        "-field=token",
    ).strip()
    shown = _status(openbao_server, token)
    assert shown.returncode == 0, shown.stderr
    assert "export key check" in shown.stdout and dep.export_key_check() in shown.stdout
    # a policy written before lookup-self was part of it: the error says what is missing
    old = "\n".join(line for line in AUDITOR_POLICY.splitlines() if "lookup-self" not in line)
    openbao_server.bao("policy", "write", "old-auditor", "-", stdin=old)
    token = openbao_server.bao(
        "token", "create", "-no-default-policy", "-policy=old-auditor", "-field=token"
    ).strip()
    client = dep.client(token=token)
    with pytest.raises(VaultError) as err:
        client.read("platform/master-key", "reading the master key")
    assert err.value.code == "forbidden" and "default policy" in err.value.message
    assert "invalid, expired or revoked" not in err.value.message
    dead = dep.client(token="not-a-token")
    with pytest.raises(VaultError) as gone:
        dead.read("ceremony/registration", "reading the registration")
    assert gone.value.code == "token"
