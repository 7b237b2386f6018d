"""What the double answers, request by request (the subset of Vault's HTTP API the ceremony uses).

``Reply`` is a status and a JSON body (``None`` for an empty body). Routing
never touches sockets, so the fault handling in ``server.py`` stays apart.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.vault_double.auth import AuthState, PolicyError, Token
from tests.vault_double.clock import iso_now, parse_ttl
from tests.vault_double.kv import KVError, KVStore

Json = dict[str, Any]
VERSION = "1.17.0"
KV_MOUNT = "secret/"
PERMISSION_DENIED = "1 error occurred:\n\t* permission denied\n\n"
INVALID_TOKEN = "2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n"
WRAP_INVALID = "wrapping token is not valid or does not exist"


@dataclass
class Reply:
    status: int
    body: Json | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    method: str  # GET, HEAD, POST (PUT folded in), DELETE, LIST (GET ?list=true folded in)
    path: str  # API path without /v1/
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: Json


@dataclass
class Wrapped:
    data: Json
    ttl: int
    created: float
    creation_time: str
    accessor: str


def envelope(data: Json | None, **extra: Any) -> Json:
    out: Json = {
        "request_id": str(uuid.uuid4()),
        "lease_id": "",
        "renewable": False,
        "lease_duration": 0,
        "data": data,
        "wrap_info": None,
        "warnings": None,
        "auth": None,
        "mount_type": "",
    }
    out.update(extra)
    return out


def error(status: int, *messages: str) -> Reply:
    return Reply(status, {"errors": list(messages)})


class Router:
    """The Vault state (KV, auth, wrapping, seal) and the answer to each call."""

    def __init__(self, root_token: str) -> None:
        self.kv = KVStore()
        self.auth = AuthState(root_token)
        self.sealed = False
        self._wraps: dict[str, Wrapped] = {}
        self._wrap_lock = threading.Lock()

    # -- entry -------------------------------------------------------------
    def route(self, call: Call) -> Reply:
        if call.path == "sys/health" and call.method in ("GET", "HEAD"):
            return self._health(call)
        if call.path == "sys/seal-status" and call.method == "GET":
            return Reply(200, self._seal_status())
        if self.sealed:
            return error(503, "Vault is sealed")
        if call.path == "auth/approle/login" and call.method == "POST":
            return self._login(call.body)
        unwrap = call.path == "sys/wrapping/unwrap" and call.method == "POST"
        if unwrap and not call.body.get("token"):
            return self._unwrap(call.headers.get("x-vault-token", ""))
        token = self.auth.lookup(call.headers.get("x-vault-token"))
        if token is None:
            denied = INVALID_TOKEN if call.headers.get("x-vault-token") else "permission denied"
            return error(403, denied)
        try:
            return self._authorised(call, token)
        except KVError as err:
            return error(err.status, *err.errors)

    def _authorised(self, call: Call, token: Token) -> Reply:
        path, method = call.path, call.method
        if path.startswith(KV_MOUNT):
            return self._kv(call, token, path[len(KV_MOUNT) :])
        capability = {"GET": "read", "POST": "update", "DELETE": "delete", "LIST": "list"}.get(
            method, "read"
        )
        if not self.auth.allowed(token, path, capability):
            return error(403, PERMISSION_DENIED)
        if path == "auth/token/lookup-self" and method == "GET":
            return Reply(200, envelope(self._token_data(token), mount_type="token"))
        if path == "auth/token/revoke-self" and method == "POST":
            self.auth.revoke(token.id)
            return Reply(204)
        if path == "sys/wrapping/wrap" and method == "POST":
            return self._wrap(call)
        if path == "sys/wrapping/unwrap" and method == "POST":
            return self._unwrap(str(call.body.get("token", "")))
        if path == "sys/wrapping/lookup" and method == "POST":
            return self._wrap_lookup(str(call.body.get("token", "")))
        if path == "auth/token/lookup-accessor" and method == "POST":
            return self._by_accessor(str(call.body.get("accessor", "")), revoke=False)
        if path == "auth/token/revoke-accessor" and method == "POST":
            return self._by_accessor(str(call.body.get("accessor", "")), revoke=True)
        if path.startswith(("sys/policy/", "sys/policies/acl/")):
            return self._policy(call, path.rsplit("/", 1)[1], path.startswith("sys/policy/"))
        if path.startswith("sys/internal/ui/mounts/") and method == "GET":
            return self._mount_info(path.removeprefix("sys/internal/ui/mounts/"))
        return error(404, f'no handler for route "{path}". route entry not found.')

    # -- system ------------------------------------------------------------
    def _health(self, call: Call) -> Reply:
        body = {
            "initialized": True,
            "sealed": self.sealed,
            "standby": False,
            "performance_standby": False,
            "replication_performance_mode": "disabled",
            "replication_dr_mode": "disabled",
            "server_time_utc": int(time.time()),
            "version": VERSION,
            "cluster_name": "vault-double",
            "cluster_id": "00000000-0000-0000-0000-000000000000",
        }
        status = 503 if self.sealed else 200
        return Reply(status, None if call.method == "HEAD" else body)

    def _seal_status(self) -> Json:
        return {
            "type": "shamir",
            "initialized": True,
            "sealed": self.sealed,
            "t": 1,
            "n": 1,
            "progress": 0,
            "nonce": "",
            "version": VERSION,
            "migration": False,
            "recovery_seal": False,
            "storage_type": "inmem",
        }

    def _mount_info(self, mount: str) -> Reply:
        if not (mount.rstrip("/") + "/").startswith(KV_MOUNT):
            return error(400, f"no mount found for path {mount}")
        info = {"type": "kv", "path": KV_MOUNT, "options": {"version": "2"}, "description": ""}
        return Reply(200, envelope(info))

    def _policy(self, call: Call, name: str, legacy: bool) -> Reply:
        field_name = "rules" if legacy else "policy"
        if call.method == "POST":
            text = str(call.body.get("policy", call.body.get("rules", "")))
            try:
                self.auth.set_policy(name, text)
            except PolicyError as err:
                return error(400, str(err))
            return Reply(204)
        if call.method == "GET":
            if name not in self.auth.policies:
                return error(404)
            return Reply(200, envelope({"name": name, field_name: self.auth.policies[name]}))
        if call.method == "DELETE":
            self.auth.policies.pop(name, None)
            return Reply(204)
        return error(405, "unsupported operation")

    # -- auth --------------------------------------------------------------
    def _login(self, body: Json) -> Reply:
        role_id, secret_id = body.get("role_id"), body.get("secret_id")
        if not role_id:
            return error(400, "missing role_id")
        token = self.auth.login(str(role_id), str(secret_id or ""))
        if token is None:
            return error(400, "invalid role or secret ID")
        auth = {
            "client_token": token.id,
            "accessor": token.accessor,
            "policies": token.policies,
            "token_policies": token.policies,
            "metadata": token.meta,
            "lease_duration": token.ttl,
            "renewable": True,
            "entity_id": "",
            "token_type": "service",
            "orphan": True,
        }
        return Reply(200, envelope(None, auth=auth, mount_type=""))

    @staticmethod
    def _token_data(token: Token) -> Json:
        return {
            "accessor": token.accessor,
            "creation_time": int(token.created),
            "creation_ttl": token.ttl,
            "display_name": token.display_name,
            "entity_id": "",
            "expire_time": None,
            "explicit_max_ttl": 0,
            "id": token.id,
            "meta": token.meta,
            "num_uses": 0,
            "orphan": True,
            "path": "auth/token/create",
            "policies": token.policies,
            "renewable": token.ttl > 0,
            "ttl": token.remaining(),
            "type": "service",
        }

    # -- response wrapping -------------------------------------------------
    def _wrap(self, call: Call) -> Reply:
        ttl_header = call.headers.get("x-vault-wrap-ttl")
        if not ttl_header:
            return error(400, "endpoint requires response wrapping to be used")
        ttl = parse_ttl(ttl_header, 300)
        token = "hvs." + secrets.token_urlsafe(32)
        wrapped = Wrapped(dict(call.body), ttl, time.time(), iso_now(), secrets.token_urlsafe(18))
        with self._wrap_lock:
            self._wraps[token] = wrapped
        info = {
            "token": token,
            "accessor": wrapped.accessor,
            "ttl": ttl,
            "creation_time": wrapped.creation_time,
            "creation_path": "sys/wrapping/wrap",
        }
        return Reply(200, envelope(None, wrap_info=info))

    def _live_wrap(self, token: str, consume: bool) -> Wrapped | None:
        with self._wrap_lock:
            wrapped = self._wraps.get(token)
            if wrapped is None or time.time() > wrapped.created + wrapped.ttl:
                self._wraps.pop(token, None)
                return None
            if consume:
                del self._wraps[token]
            return wrapped

    def _unwrap(self, token: str) -> Reply:
        wrapped = self._live_wrap(token, consume=True)
        if wrapped is None:
            return error(400, WRAP_INVALID)
        return Reply(200, envelope(wrapped.data))

    def _wrap_lookup(self, token: str) -> Reply:
        wrapped = self._live_wrap(token, consume=False)
        if wrapped is None:
            return error(400, WRAP_INVALID)
        data = {
            "creation_path": "sys/wrapping/wrap",
            "creation_time": wrapped.creation_time,
            "creation_ttl": wrapped.ttl,
        }
        return Reply(200, envelope(data))

    def _by_accessor(self, accessor: str, revoke: bool) -> Reply:
        """Wrapping tokens only: the double has no other token accessors."""
        with self._wrap_lock:
            now = time.time()
            found = [
                t
                for t, w in self._wraps.items()
                if w.accessor == accessor and now <= w.created + w.ttl
            ]
            if not found:
                return error(400, "invalid accessor")
            if revoke:
                del self._wraps[found[0]]
                return Reply(204)
            wrapped = self._wraps[found[0]]
        data = {
            "accessor": accessor,
            "creation_ttl": wrapped.ttl,
            "policies": ["response-wrapping"],
        }
        return Reply(200, envelope(data))

    def live_wrapping_tokens(self) -> int:
        with self._wrap_lock:
            return sum(1 for w in self._wraps.values() if time.time() <= w.created + w.ttl)

    # -- KV v2 -------------------------------------------------------------
    def _kv(self, call: Call, token: Token, rest: str) -> Reply:
        kind, _, path = rest.partition("/")
        method = call.method
        if kind == "config" and method == "GET":
            return self._checked(token, "secret/config", "read") or Reply(
                200,
                envelope(
                    {
                        "cas_required": self.kv.cas_required,
                        "max_versions": 0,
                        "delete_version_after": "0s",
                    }
                ),
            )
        acl_path = f"secret/{kind}/{path}"
        if kind == "data" and method == "POST":
            capability = "update" if self.kv.exists(path) else "create"
            denied = self._checked(token, acl_path, capability)
            if denied:
                return denied
            return Reply(200, envelope(self.kv.write(path, call.body), mount_type="kv"))
        if kind == "data" and method == "GET":
            denied = self._checked(token, acl_path, "read")
            if denied:
                return denied
            data, meta = self.kv.read(path, int(call.query.get("version", "0") or 0))
            body = envelope({"data": data, "metadata": meta}, mount_type="kv")
            return Reply(200 if data is not None else 404, body)
        if kind == "data" and method == "DELETE":
            denied = self._checked(token, acl_path, "delete")
            if denied:
                return denied
            self.kv.soft_delete(path)
            return Reply(204)
        if kind == "destroy" and method == "POST":
            denied = self._checked(token, acl_path, "update")
            if denied:
                return denied
            self.kv.destroy(path, [int(v) for v in call.body.get("versions", [])])
            return Reply(204)
        if kind == "metadata":
            wanted = {"GET": "read", "LIST": "list", "DELETE": "delete"}.get(method)
            if wanted is None:
                return error(405, "unsupported operation")
            denied = self._checked(token, acl_path, wanted)
            if denied:
                return denied
            if method == "GET":
                return Reply(200, envelope(self.kv.metadata(path), mount_type="kv"))
            if method == "LIST":
                return Reply(200, envelope({"keys": self.kv.list(path)}, mount_type="kv"))
            self.kv.delete_all(path)
            return Reply(204)
        return error(405, "unsupported operation")

    def _checked(self, token: Token, acl_path: str, capability: str) -> Reply | None:
        if self.auth.allowed(token, acl_path, capability):
            return None
        return error(403, PERMISSION_DENIED)
