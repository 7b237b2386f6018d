"""Hostile Vault answers: whatever JSON a (broken or hostile) Vault returns, the client raises
only the project's own errors, each with a message.

The fake stands in for hvac's parsed responses, so every reader of Vault data in
``ceremony.vaultops`` is exercised with arbitrary shapes: wrong types, missing
keys, nulls, nested junk. Example count: CEREMONY_FUZZ_EXAMPLES (as tests/test_fuzz.py).
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ceremony.vaultops import admin, claim, requesting
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.config import VaultConfig
from tests.test_fuzz import FUZZ, expect_only_ceremony_errors

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "data",
                    "metadata",
                    "version",
                    "keys",
                    "wrap_info",
                    "token",
                    "created_at",
                    "request",
                    "private_key",
                    "initialized",
                    "sealed",
                    "operation",
                    "expires_at",
                    "bundle_digest",
                    "state",
                    "display_name",
                ]
            )
            | st.text(max_size=6),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


def fake_client(answer: Callable[[], Any]) -> VaultClient:
    """A VaultClient whose every hvac call returns the fuzzed answer."""
    kv = SimpleNamespace(
        read_secret_version=lambda *a, **k: answer(),
        create_or_update_secret=lambda *a, **k: answer(),
        list_secrets=lambda *a, **k: answer(),
        delete_metadata_and_all_versions=lambda *a, **k: answer(),
    )
    hvac_like = SimpleNamespace(
        secrets=SimpleNamespace(kv=SimpleNamespace(v2=kv)),
        sys=SimpleNamespace(
            wrap=lambda *a, **k: answer(),
            unwrap=lambda *a, **k: answer(),
            read_health_status=lambda *a, **k: answer(),
            create_or_update_policy=lambda *a, **k: answer(),
        ),
        adapter=SimpleNamespace(get=lambda *a, **k: answer()),
        lookup_token=lambda *a, **k: answer(),
    )
    return VaultClient(VaultConfig("http://127.0.0.1:1"), hvac_like)  # type: ignore[arg-type]


READERS: dict[str, Callable[[VaultClient], object]] = {
    "read": lambda c: c.read("ceremony/x", "reading"),
    "list": lambda c: c.list("ceremony/requests", "listing"),
    "write": lambda c: c.write("ceremony/x", {"a": 1}, 0, "writing"),
    "unwrap": lambda c: c.unwrap("token", "unwrapping"),
    "wrap": lambda c: c.wrap({"kek": "00"}, 60, "wrapping"),
    "health": lambda c: c.health(),
    "mount_info": lambda c: c.mount_info("secret"),
    "token_name": lambda c: c.token_name(),
    "registration": requesting.registration,
    "load_request": lambda c: requesting.load_request(c, "0" * 32),
    "claim": lambda c: claim.refuse_used("r", claim.read_claim(c, "r"), "digest"),
    "status": admin.status,
    "audit": admin.audit_entries,
}


@FUZZ
@given(reader=st.sampled_from(sorted(READERS)), answer=json_values)
def test_vault_answers_of_any_shape(reader: str, answer: Any) -> None:
    client = fake_client(lambda: answer)
    expect_only_ceremony_errors(lambda: READERS[reader](client))
