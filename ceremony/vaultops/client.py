"""A small Vault client over hvac that only ever fails with a one-line VaultError.

Every call names what it was doing, so a failure reads like "Vault is sealed
(while claiming the request)". Token values and secret data never appear in
messages.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import hvac
import hvac.exceptions
import requests
import urllib3

from ceremony.errors import VaultError
from ceremony.vaultops.config import VaultConfig
from ceremony.vaultops.paths import MOUNT

__all__ = ["Stored", "VaultClient", "Wrapped", "connect"]

T = TypeVar("T")
_SETTLE = (0.1, 0.2, 0.4, 0.8, 1.5)  # seconds between reads on a lagging standby
_CAS_MISMATCH = "check-and-set parameter did not match"


@dataclass(frozen=True)
class Stored:
    """The live data of a KV v2 path and its version (for check-and-set)."""

    data: dict[str, Any]
    version: int


@dataclass(frozen=True)
class Wrapped:
    """A response-wrapping token; the accessor names it without opening it."""

    token: str = field(repr=False)
    accessor: str
    ttl: int


class VaultClient:
    """KV v2 on ``secret/``, response wrapping and a few system calls."""

    def __init__(self, config: VaultConfig, client: hvac.Client) -> None:
        self.config = config
        self._hvac = client
        # named in "permission denied" messages; install and adopt set the install policy
        self.policy = "operator policy checktick-ceremony"
        self._no_lookup_self = False

    # -- error translation -------------------------------------------------
    def call(self, what: str, action: Callable[[], T]) -> T:
        """Run one hvac call; turn anything it raises into a VaultError about ``what``."""
        try:
            return action()
        except VaultError:
            raise
        except hvac.exceptions.VaultError as err:
            dead = isinstance(err, hvac.exceptions.Forbidden) and self._token_dead(err)
            raise self._from_vault(err, what, dead) from None
        except requests.exceptions.RequestException as err:
            raise _from_transport(err, what, self.config) from None
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise VaultError(
                f"Vault at {self.config.address} gave an answer this tool cannot read "
                f"({type(err).__name__}) while {what}.",
                code="protocol",
            ) from None

    def _token_dead(self, err: hvac.exceptions.VaultError) -> bool:
        """Vault says only "permission denied" for a dead token too: ask it which it is."""
        if "invalid token" in _first_error(err):
            return True
        try:
            self._hvac.lookup_token()
        except hvac.exceptions.Forbidden as lookup:
            # A live token refused by a policy gets Vault's multi-error text; a dead token
            # gets a bare "permission denied".
            self._no_lookup_self = "error occurred" in str(getattr(lookup, "errors", ""))
            return not self._no_lookup_self
        except (hvac.exceptions.VaultError, requests.exceptions.RequestException):
            return False
        return False

    def _from_vault(
        self, err: hvac.exceptions.VaultError, what: str, token_dead: bool
    ) -> VaultError:
        if isinstance(err, hvac.exceptions.Forbidden):
            if token_dead:
                return VaultError(
                    f"Vault refused the token while {what}: it is invalid, expired or revoked. "
                    "Log in again (VAULT_TOKEN or AppRole).",
                    code="token",
                )
            lookup = (
                " It may not look itself up either: it lacks Vault's default policy, and its "
                "ceremony policy predates `ceremony vault setup` writing lookup-self into it."
                if self._no_lookup_self
                else ""
            )
            return VaultError(
                f"Vault's policy does not allow {what} (permission denied). Give this token "
                f"the {self.policy} (written by `ceremony vault setup`).{lookup}",
                code="forbidden",
            )
        return _from_vault(err, what, self.config.address)

    # -- KV v2 -------------------------------------------------------------
    def read(self, path: str, what: str) -> Stored | None:
        """The live data at ``path``, or None when there is none (or it was deleted)."""

        def action() -> Stored | None:
            try:
                answer = self._hvac.secrets.kv.v2.read_secret_version(
                    path, mount_point=MOUNT, raise_on_deleted_version=True
                )
            except hvac.exceptions.InvalidPath:
                return None
            body = answer["data"]
            if body.get("data") is None:
                return None
            return Stored(dict(body["data"]), int(body["metadata"]["version"]))

        return self.call(what, action)

    def write(self, path: str, data: dict[str, Any], cas: int, what: str) -> int | None:
        """Check-and-set write: the new version, or None when ``cas`` did not match."""

        def action() -> int | None:
            try:
                answer = self._hvac.secrets.kv.v2.create_or_update_secret(
                    path, secret=data, cas=cas, mount_point=MOUNT
                )
            except hvac.exceptions.InvalidRequest as err:
                if _CAS_MISMATCH in str(err):
                    return None
                raise
            return int(answer["data"]["version"])

        return self.call(what, action)

    def create(self, path: str, data: dict[str, Any], what: str) -> bool:
        """Create-only write: True when this call created it, False when it already existed.

        A least-privilege policy grants ``create`` but not ``update``, so Vault answers
        a write to an existing path with 403 before it looks at check-and-set: then a
        read tells "already there" from "not allowed".
        """
        try:
            return self.write(path, data, 0, what) is not None
        except VaultError as err:
            if err.code != "forbidden" or self.read_settled(path, what) is None:
                raise
            return False

    def read_settled(self, path: str, what: str) -> Stored | None:
        """A read that waits out a standby's lag before it answers "nothing there".

        A Raft standby serves reads from its own copy, which may trail the active node
        by a moment: a path Vault just refused to create, because it exists, can still
        read as absent there.
        """
        for pause in _SETTLE:
            stored = self.read(path, what)
            if stored is not None or not self._standby():
                return stored
            time.sleep(pause)
        return self.read(path, what)

    def _standby(self) -> bool:
        try:
            leader = dict(self._hvac.sys.read_leader_status())
        except (hvac.exceptions.VaultError, requests.exceptions.RequestException):
            return False
        except (ValueError, TypeError, AttributeError):
            return False
        return leader.get("ha_enabled") is True and leader.get("is_self") is False

    def list(self, path: str, what: str) -> list[str]:
        def action() -> list[str]:
            try:
                answer = self._hvac.secrets.kv.v2.list_secrets(path, mount_point=MOUNT)
            except hvac.exceptions.InvalidPath:
                return []
            return [str(k) for k in answer["data"]["keys"]]

        return self.call(what, action)

    def delete_all(self, path: str, what: str) -> None:
        self.call(
            what,
            lambda: self._hvac.secrets.kv.v2.delete_metadata_and_all_versions(
                path, mount_point=MOUNT
            ),
        )

    # -- wrapping and system -----------------------------------------------
    def wrap(self, payload: dict[str, Any], ttl_seconds: int, what: str) -> Wrapped:
        """Wrap on the active node: an OpenBao standby answers a wrap with "internal error"."""

        def wrap_on(client: hvac.Client) -> Wrapped:
            info = client.sys.wrap(payload=payload, ttl=f"{ttl_seconds}s")["wrap_info"]
            return Wrapped(str(info["token"]), str(info.get("accessor") or ""), int(info["ttl"]))

        def action() -> Wrapped:
            try:
                return wrap_on(self._hvac)
            except hvac.exceptions.InternalServerError:
                active = self._active_node()
                if active is None:
                    raise
                return wrap_on(active)

        return self.call(what, action)

    def _active_node(self) -> hvac.Client | None:
        """A client for the active node when this one is a standby, else None."""
        try:
            leader = self._hvac.sys.read_leader_status()
        except (hvac.exceptions.VaultError, requests.exceptions.RequestException):
            return None
        address = str(leader.get("leader_address") or "")
        if leader.get("is_self") or not address.startswith(("http://", "https://")):
            return None
        return hvac.Client(
            url=address,
            token=self._hvac.token,
            verify=self.config.verify,
            timeout=self.config.timeout,
        )

    def token_alive(self, accessor: str, what: str) -> bool:
        """Whether the token with this accessor still exists (administrators only)."""

        def action() -> bool:
            try:
                self._hvac.auth.token.lookup_accessor(accessor)
            except hvac.exceptions.InvalidRequest:
                return False  # "invalid accessor": unwrapped, revoked or expired
            return True

        return self.call(what, action)

    def revoke_accessor(self, accessor: str, what: str) -> None:
        self.call(what, lambda: self._hvac.auth.token.revoke_accessor(accessor))

    def unwrap(self, token: str, what: str) -> dict[str, Any]:
        return self.call(what, lambda: dict(self._hvac.sys.unwrap(token)["data"]))

    def health(self) -> dict[str, Any]:
        """Health, read with GET so a sealed or standby Vault still describes itself."""

        def action() -> dict[str, Any]:
            answer = self._hvac.sys.read_health_status(method="GET")
            body = answer.json() if isinstance(answer, requests.Response) else answer
            return dict(body)

        return self.call("reading Vault's health", action)

    def mount_info(self, mount: str) -> dict[str, Any]:
        return self.call(
            f"checking the secrets engine at {mount}/",
            lambda: dict(self._hvac.adapter.get(f"/v1/sys/internal/ui/mounts/{mount}")["data"]),
        )

    def write_policy(self, name: str, rules: str) -> None:
        self.call(
            f"writing the policy {name}",
            lambda: self._hvac.sys.create_or_update_policy(name=name, policy=rules),
        )

    def token_name(self) -> str:
        """Who is acting, for audit entries: the token's display name (never the token)."""
        return self.call(
            "looking up the token",
            lambda: str(self._hvac.lookup_token()["data"].get("display_name") or "token"),
        )


def connect(config: VaultConfig) -> VaultClient:
    """A logged-in client: the token as given, or a fresh one from an AppRole login."""
    if config.verify is False:  # asked for on purpose (rehearsals): no warning per request
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    inner = hvac.Client(
        url=config.address,
        token=config.token or "",
        verify=config.verify,
        timeout=config.timeout,
    )
    client = VaultClient(config, inner)
    if config.role_id:
        role_id, secret_id = config.role_id, config.secret_id or ""

        def login() -> None:
            inner.auth.approle.login(role_id=role_id, secret_id=secret_id)

        client.call("logging in with AppRole", login)
    return client


def _first_error(err: hvac.exceptions.VaultError) -> str:
    errors = getattr(err, "errors", None) or []
    text = str(errors[0]) if errors else ""
    if "* " in text:  # Vault's multi-error text: "1 error occurred:\n\t* permission denied"
        text = "; ".join(p.strip() for p in text.split("* ")[1:])
    return " ".join(text.split())[:200]


def _from_vault(err: hvac.exceptions.VaultError, what: str, address: str) -> VaultError:
    detail = _first_error(err)
    if isinstance(err, hvac.exceptions.VaultDown):
        if "sealed" in detail.lower():
            return VaultError(
                f"Vault is sealed (while {what}); unseal it and try again.", code="sealed"
            )
        return VaultError(
            f"Vault at {address} is unavailable (503) while {what}; try again shortly.",
            code="unavailable",
        )
    if isinstance(err, hvac.exceptions.InvalidRequest) and what.startswith("logging in"):
        return VaultError(
            "Vault refused the AppRole login: the role ID or secret ID is wrong or expired "
            "(VAULT_ROLE_ID, VAULT_SECRET_ID).",
            code="approle",
        )
    if isinstance(err, hvac.exceptions.VaultNotInitialized):
        return VaultError(f"Vault at {address} is not initialised.", code="uninitialised")
    if isinstance(err, hvac.exceptions.RateLimitExceeded):
        return VaultError(
            f"Vault at {address} is a standby or rate-limited (429) while {what}.", code="standby"
        )
    status = getattr(err, "status_code", None) or "?"
    return VaultError(
        f"Vault refused {what} ({status}: {detail or 'no reason given'}).", code="refused"
    )


def _from_transport(
    err: requests.exceptions.RequestException, what: str, config: VaultConfig
) -> VaultError:
    address = config.address
    if isinstance(err, requests.exceptions.SSLError) and "CERTIFICATE_VERIFY" not in str(err):
        return VaultError(
            f"The TLS handshake with {address} failed while {what}: check that Vault serves "
            "https there, or use http:// in VAULT_ADDR for a local rehearsal.",
            code="tls",
        )
    if isinstance(err, requests.exceptions.SSLError):
        return VaultError(
            f"The TLS certificate of Vault at {address} was not accepted while {what}; "
            "set VAULT_CACERT to the CA that signed it.",
            code="tls",
        )
    if isinstance(err, requests.exceptions.ConnectTimeout):
        return VaultError(
            f"Could not connect to Vault at {address} within {config.timeout:g} s while {what}.",
            code="timeout",
        )
    if isinstance(err, requests.exceptions.Timeout):
        return VaultError(
            f"Vault at {address} did not answer within {config.timeout:g} s while {what}; "
            "it may have acted anyway, so check and run the same command again.",
            code="timeout",
        )
    if isinstance(err, requests.exceptions.ConnectionError):
        if "Connection aborted" in str(err) or "RemoteDisconnected" in str(err):
            return _dropped(address, what)
        return VaultError(
            f"Cannot reach Vault at {address} while {what}: check VAULT_ADDR and the network.",
            code="unreachable",
        )
    if isinstance(err, requests.exceptions.ChunkedEncodingError):
        return _dropped(address, what)
    if isinstance(err, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return VaultError(f"VAULT_ADDR {address!r} is not a usable address.", code="address")
    return VaultError(
        f"The connection to Vault at {address} failed while {what} ({type(err).__name__}).",
        code="connection",
    )


def _dropped(address: str, what: str) -> VaultError:
    return VaultError(
        f"Vault at {address} closed the connection mid-answer while {what}; "
        "it may have acted anyway, so run the same command again.",
        code="dropped",
    )
