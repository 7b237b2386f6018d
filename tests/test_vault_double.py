"""The Vault double, through hvac over real HTTP (the part of Vault's API the ceremony uses)."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import hvac
import hvac.exceptions
import pytest
import requests

from tests.vault_double import VaultDouble
from tests.vault_double.fixtures import hvac_client, vault_double

__all__ = ["vault_double"]

ROOT = Path(__file__).resolve().parent.parent
DROPPED = (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)


def test_envelope_and_content_type(vault_double: VaultDouble) -> None:
    response = requests.post(
        f"{vault_double.url}/v1/secret/data/a",
        json={"data": {"x": "1"}},
        headers={"X-Vault-Token": vault_double.root_token},
        timeout=5,
    )
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert {"request_id", "lease_id", "renewable", "lease_duration", "wrap_info", "auth"} <= set(
        body
    )
    assert body["data"]["version"] == 1 and body["data"]["destroyed"] is False


def test_kv_v2_versions_cas_delete_destroy(vault_double: VaultDouble) -> None:
    client = hvac_client(vault_double).secrets.kv.v2
    assert client.create_or_update_secret("p/q", {"a": 1}, cas=0)["data"]["version"] == 1
    with pytest.raises(hvac.exceptions.InvalidRequest, match="check-and-set parameter did not"):
        client.create_or_update_secret("p/q", {"a": 2}, cas=0)
    assert client.create_or_update_secret("p/q", {"a": 2}, cas=1)["data"]["version"] == 2
    assert client.read_secret_version("p/q", raise_on_deleted_version=True)["data"]["data"] == {
        "a": 2
    }
    old = client.read_secret_version("p/q", version=1, raise_on_deleted_version=True)
    assert old["data"]["data"] == {"a": 1}
    assert client.read_secret_metadata("p/q")["data"]["current_version"] == 2
    assert client.list_secrets("p")["data"]["keys"] == ["q"]
    client.create_or_update_secret("p/r/s", {"b": 1})
    assert client.list_secrets("p")["data"]["keys"] == ["q", "r/"]
    client.delete_latest_version_of_secret("p/q")
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.read_secret_version("p/q", raise_on_deleted_version=True)
    client.destroy_secret_versions("p/q", versions=[1])
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.read_secret_version("p/q", version=1, raise_on_deleted_version=True)
    client.delete_metadata_and_all_versions("p/q")
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.read_secret_metadata("p/q")
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.list_secrets("nothing")
    with pytest.raises(hvac.exceptions.InvalidRequest, match="no data provided"):
        requests_post(vault_double, "secret/data/x", {"options": {"cas": 0}})


def requests_post(double: VaultDouble, path: str, body: dict[str, Any]) -> None:
    response = requests.post(
        f"{double.url}/v1/{path}",
        json=body,
        headers={"X-Vault-Token": double.root_token},
        timeout=5,
    )
    if response.status_code == 400:
        raise hvac.exceptions.InvalidRequest(response.json()["errors"][0])


def test_cas_required(vault_double: VaultDouble) -> None:
    vault_double.kv.cas_required = True
    client = hvac_client(vault_double).secrets.kv.v2
    with pytest.raises(hvac.exceptions.InvalidRequest, match="check-and-set parameter required"):
        client.create_or_update_secret("c", {"a": 1})
    assert client.create_or_update_secret("c", {"a": 1}, cas=0)["data"]["version"] == 1


def test_concurrent_create_only_writes_have_one_winner(vault_double: VaultDouble) -> None:
    barrier = threading.Barrier(8)

    def claim(n: int) -> bool:
        client = hvac_client(vault_double).secrets.kv.v2
        barrier.wait()
        try:
            client.create_or_update_secret("race", {"who": n}, cas=0)
        except hvac.exceptions.InvalidRequest:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(claim, range(8)))
    assert results.count(True) == 1
    data = hvac_client(vault_double).secrets.kv.v2.read_secret_version(
        "race", raise_on_deleted_version=True
    )
    assert data["data"]["data"]["who"] == results.index(True)
    assert data["data"]["metadata"]["version"] == 1


def test_health_seal_status_and_sealed(vault_double: VaultDouble) -> None:
    client = hvac_client(vault_double)
    assert client.sys.read_health_status(method="GET")["sealed"] is False
    vault_double.seal()
    assert client.sys.read_health_status(method="HEAD").status_code == 503
    assert client.sys.read_seal_status()["sealed"] is True
    with pytest.raises(hvac.exceptions.VaultDown, match="Vault is sealed"):
        client.secrets.kv.v2.read_secret_version("a", raise_on_deleted_version=True)
    vault_double.unseal()
    assert client.sys.read_health_status(method="HEAD").status_code == 200


def test_tokens_approle_and_policies(vault_double: VaultDouble) -> None:
    vault_double.write_policy(
        "reader",
        'path "secret/data/open/*" { capabilities = ["read", "create"] }\n'
        'path "secret/data/open/closed" { capabilities = ["deny"] }',
    )
    vault_double.add_approle("ceremony", "role-1", "secret-1", ["reader"])
    client = hvac.Client(url=vault_double.url, timeout=5)
    with pytest.raises(hvac.exceptions.InvalidRequest, match="invalid role or secret ID"):
        client.auth.approle.login("role-1", "wrong")
    with pytest.raises(hvac.exceptions.InvalidRequest, match="missing role_id"):
        client.auth.approle.login("", "secret-1")
    login = client.auth.approle.login("role-1", "secret-1")["auth"]
    assert login["token_policies"] == ["default", "reader"]
    assert login["metadata"] == {"role_name": "ceremony"}
    assert client.is_authenticated()
    assert client.lookup_token()["data"]["display_name"] == "approle-ceremony"
    store = client.secrets.kv.v2
    store.create_or_update_secret("open/a", {"v": 1}, cas=0)
    with pytest.raises(hvac.exceptions.Forbidden, match="permission denied"):
        store.create_or_update_secret("open/a", {"v": 2}, cas=1)  # update is not granted
    with pytest.raises(hvac.exceptions.Forbidden):
        store.create_or_update_secret("open/closed", {"v": 1})
    with pytest.raises(hvac.exceptions.Forbidden):
        store.read_secret_version("elsewhere", raise_on_deleted_version=True)
    client.auth.token.revoke_self()
    assert not client.is_authenticated()
    with pytest.raises(hvac.exceptions.Forbidden, match="invalid token"):
        store.read_secret_version("open/a", raise_on_deleted_version=True)
    anonymous = requests.get(f"{vault_double.url}/v1/secret/data/open/a", timeout=5)
    assert anonymous.status_code == 403 and anonymous.json() == {"errors": ["permission denied"]}


def test_policy_written_through_sys_policy(vault_double: VaultDouble) -> None:
    root = hvac_client(vault_double)
    root.sys.create_or_update_policy("p", 'path "secret/data/x" { capabilities = ["read"] }')
    assert "secret/data/x" in root.sys.read_policy("p")["data"]["rules"]
    root.sys.create_or_update_acl_policy("q", 'path "secret/data/y" { capabilities = ["read"] }')
    assert "secret/data/y" in root.sys.read_acl_policy("q")["data"]["policy"]
    limited = hvac_client(vault_double, vault_double.create_token(["p"]))
    with pytest.raises(hvac.exceptions.Forbidden):
        limited.sys.create_or_update_policy("evil", 'path "*" { capabilities = ["sudo"] }')


def test_response_wrapping_is_single_use(vault_double: VaultDouble) -> None:
    client = hvac_client(vault_double)
    wrapped = client.sys.wrap({"kek": "00ff"}, ttl="5m")
    assert wrapped["data"] is None
    token = wrapped["wrap_info"]["token"]
    assert wrapped["wrap_info"]["creation_path"] == "sys/wrapping/wrap"
    assert wrapped["wrap_info"]["ttl"] == 300
    looked = client.sys.wrapping_lookup(token) if hasattr(client.sys, "wrapping_lookup") else None
    if looked is None:
        looked = client.adapter.post("/v1/sys/wrapping/lookup", json={"token": token})
    assert looked["data"]["creation_ttl"] == 300
    anyone = hvac.Client(url=vault_double.url, token=token, timeout=5)
    assert anyone.sys.unwrap()["data"] == {"kek": "00ff"}
    with pytest.raises(hvac.exceptions.InvalidRequest, match="wrapping token is not valid"):
        client.sys.unwrap(token)
    no_ttl = requests.post(
        f"{vault_double.url}/v1/sys/wrapping/wrap",
        json={"a": 1},
        headers={"X-Vault-Token": vault_double.root_token},
        timeout=5,
    )
    assert no_ttl.status_code == 400
    assert "requires response wrapping" in no_ttl.json()["errors"][0]


def test_fault_unavailable_on_nth_request(vault_double: VaultDouble) -> None:
    client = hvac_client(vault_double).secrets.kv.v2
    client.create_or_update_secret("f", {"a": 1})
    vault_double.reset_log()
    vault_double.inject("unavailable", at_request=2)
    client.read_secret_version("f", raise_on_deleted_version=True)
    with pytest.raises(hvac.exceptions.VaultDown):
        client.read_secret_version("f", raise_on_deleted_version=True)
    client.read_secret_version("f", raise_on_deleted_version=True)
    assert [r.status for r in vault_double.requests] == [200, 503, 200]
    assert vault_double.requests[1].fault == "unavailable"


def test_fault_by_path_and_nth_match(vault_double: VaultDouble) -> None:
    client = hvac_client(vault_double).secrets.kv.v2
    vault_double.inject("unavailable", path=r"secret/data/target", method="POST", nth=2)
    client.create_or_update_secret("target", {"a": 1})
    client.create_or_update_secret("other", {"a": 1})
    with pytest.raises(hvac.exceptions.VaultDown):
        client.create_or_update_secret("target", {"a": 2})
    assert client.read_secret_metadata("target")["data"]["current_version"] == 1


def test_fault_sealed_lasts_until_cleared(vault_double: VaultDouble) -> None:
    client = hvac_client(vault_double)
    vault_double.inject("sealed", path="secret/data/s")
    with pytest.raises(hvac.exceptions.VaultDown, match="sealed"):
        client.secrets.kv.v2.create_or_update_secret("s", {"a": 1})
    with pytest.raises(hvac.exceptions.VaultDown):
        client.secrets.kv.v2.read_secret_version("other", raise_on_deleted_version=True)
    assert client.sys.read_seal_status()["sealed"] is True
    vault_double.clear_faults()
    client.secrets.kv.v2.create_or_update_secret("s", {"a": 1}, cas=0)


def test_fault_drop_carries_the_request_out(vault_double: VaultDouble) -> None:
    client = hvac_client(vault_double).secrets.kv.v2
    vault_double.inject("drop", path="secret/data/d")
    with pytest.raises(DROPPED):
        client.create_or_update_secret("d", {"a": 1}, cas=0)
    assert vault_double.kv.snapshot()["d"] == {"a": 1}
    vault_double.inject("drop", path="secret/data/e", process=False)
    with pytest.raises(DROPPED):
        client.create_or_update_secret("e", {"a": 1}, cas=0)
    assert "e" not in vault_double.kv.snapshot()


def test_fault_delay_outlasts_the_client_timeout(vault_double: VaultDouble) -> None:
    client = hvac_client(vault_double, timeout=0.5).secrets.kv.v2
    vault_double.inject("delay", path="secret/data/slow", seconds=30)
    with pytest.raises(requests.exceptions.Timeout):
        client.create_or_update_secret("slow", {"a": 1}, cas=0)
    vault_double.clear_faults()  # ends the wait; the late write then lands, as in Vault
    assert vault_double.kv.snapshot()["slow"] == {"a": 1}


def test_fault_expired_token(vault_double: VaultDouble) -> None:
    token = vault_double.create_token(["root"])
    client = hvac_client(vault_double, token)
    vault_double.inject("expire_token", at_request=vault_double.request_count + 2)
    client.secrets.kv.v2.create_or_update_secret("t", {"a": 1})
    with pytest.raises(hvac.exceptions.Forbidden, match="permission denied"):
        client.secrets.kv.v2.read_secret_version("t", raise_on_deleted_version=True)
    assert not client.is_authenticated()
    vault_double.clear_faults()
    assert client.is_authenticated()


def test_runs_as_a_module(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.vault_double",
            "--port",
            "0",
            "--root-token",
            "tok",
            "--approle",
            "role-9:secret-9",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.strip().rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:")
        client = hvac.Client(url=url, token="tok", timeout=5)
        assert client.is_authenticated()
        client.secrets.kv.v2.create_or_update_secret("m", {"a": 1}, cas=0)
        login = hvac.Client(url=url, timeout=5).auth.approle.login("role-9", "secret-9")
        assert "checktick-ceremony" in login["auth"]["policies"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode == 0
