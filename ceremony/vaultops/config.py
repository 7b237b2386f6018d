"""Where Vault is and how to log in, from the usual ``VAULT_*`` variables.

``VAULT_ADDR`` (required), then either ``VAULT_TOKEN`` or ``VAULT_ROLE_ID`` plus
``VAULT_SECRET_ID`` (AppRole). ``VAULT_CACERT`` names a CA bundle;
``VAULT_TLS_VERIFY=false`` (or ``VAULT_SKIP_VERIFY=true``) turns checks off for
rehearsals. ``VAULT_TIMEOUT`` is seconds per HTTP request (default 10).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ceremony.errors import VaultError

__all__ = ["DEFAULT_TIMEOUT", "VaultConfig"]

DEFAULT_TIMEOUT = 10.0
_FALSE = {"0", "false", "no", "off"}
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class VaultConfig:
    address: str
    token: str | None = field(default=None, repr=False)
    role_id: str | None = field(default=None, repr=False)
    secret_id: str | None = field(default=None, repr=False)
    verify: bool | str = True  # False, True, or a CA bundle path
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> VaultConfig:
        address = env.get("VAULT_ADDR", "").strip()
        if not address:
            raise VaultError(
                "VAULT_ADDR is not set; set it to Vault's address, e.g. https://vault.example:8200.",
                code="address",
            )
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise VaultError(
                f"VAULT_ADDR {address!r} is not an address like https://vault.example:8200.",
                code="address",
            )
        token = env.get("VAULT_TOKEN") or None
        role_id = env.get("VAULT_ROLE_ID") or None
        secret_id = env.get("VAULT_SECRET_ID") or None
        if bool(role_id) != bool(secret_id):
            raise VaultError(
                "AppRole login needs both VAULT_ROLE_ID and VAULT_SECRET_ID.", code="approle"
            )
        if not token and not role_id:
            raise VaultError(
                "No Vault credentials: set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID.",
                code="token",
            )
        return cls(
            address=address.rstrip("/"),
            token=token if not role_id else None,
            role_id=role_id,
            secret_id=secret_id,
            verify=_verify(env),
            timeout=_timeout(env.get("VAULT_TIMEOUT")),
        )


def _verify(env: Mapping[str, str]) -> bool | str:
    flag = env.get("VAULT_TLS_VERIFY", "").strip().lower()
    skip = env.get("VAULT_SKIP_VERIFY", "").strip().lower()
    if flag in _FALSE or skip in _TRUE:
        return False
    if flag and flag not in _TRUE:
        raise VaultError(f"VAULT_TLS_VERIFY must be true or false, not {flag!r}.", code="config")
    cacert = env.get("VAULT_CACERT", "").strip()
    if cacert:
        if not Path(cacert).is_file():
            raise VaultError(f"VAULT_CACERT names {cacert}, which is not a file.", code="config")
        return cacert
    return True


def _timeout(text: str | None) -> float:
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise VaultError(
            f"VAULT_TIMEOUT must be seconds between 0 and 600, not {text!r}.", code="config"
        )
    return value
