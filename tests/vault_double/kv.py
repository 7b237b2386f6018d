"""KV version 2 storage for the double: versions, soft delete, destroy, check-and-set."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from tests.vault_double.clock import iso_now


class KVError(Exception):
    """A KV request Vault would answer with ``status`` and ``errors``."""

    def __init__(self, status: int, errors: list[str]) -> None:
        super().__init__(status, errors)
        self.status = status
        self.errors = errors


@dataclass
class Version:
    created_time: str
    data: dict[str, Any] | None
    deletion_time: str = ""
    destroyed: bool = False

    def metadata(self, number: int) -> dict[str, Any]:
        return {
            "created_time": self.created_time,
            "custom_metadata": None,
            "deletion_time": self.deletion_time,
            "destroyed": self.destroyed,
            "version": number,
        }


@dataclass
class Secret:
    created_time: str
    updated_time: str
    versions: dict[int, Version] = field(default_factory=dict)
    current_version: int = 0


class KVStore:
    """All paths of one KV v2 mount. One lock makes every call atomic per path and overall."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._secrets: dict[str, Secret] = {}
        self.cas_required = False

    def exists(self, path: str) -> bool:
        with self._lock:
            return path in self._secrets and self._secrets[path].current_version > 0

    def write(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = body.get("data")
        if not isinstance(data, dict) or body.get("data") is None:
            raise KVError(400, ["no data provided"])
        options = body.get("options") or {}
        cas = options.get("cas") if isinstance(options, dict) else None
        with self._lock:
            secret = self._secrets.get(path)
            current = secret.current_version if secret else 0
            if cas is None and self.cas_required:
                raise KVError(400, ["check-and-set parameter required for this call"])
            if cas is not None and int(cas) != current:
                raise KVError(400, ["check-and-set parameter did not match the current version"])
            now = iso_now()
            if secret is None:
                secret = Secret(created_time=now, updated_time=now)
                self._secrets[path] = secret
            secret.current_version = current + 1
            secret.updated_time = now
            version = Version(created_time=now, data=dict(data))
            secret.versions[secret.current_version] = version
            return version.metadata(secret.current_version)

    def read(self, path: str, version: int = 0) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """(data or None when deleted/destroyed, metadata). Raises 404 when absent."""
        with self._lock:
            secret = self._secrets.get(path)
            if secret is None or secret.current_version == 0:
                raise KVError(404, [])
            number = version or secret.current_version
            entry = secret.versions.get(number)
            if entry is None:
                raise KVError(404, [])
            live = entry.data if not entry.deletion_time and not entry.destroyed else None
            return (dict(live) if live is not None else None), entry.metadata(number)

    def soft_delete(self, path: str) -> None:
        with self._lock:
            secret = self._secrets.get(path)
            if secret and secret.current_version:
                secret.versions[secret.current_version].deletion_time = iso_now()

    def destroy(self, path: str, versions: list[int]) -> None:
        with self._lock:
            secret = self._secrets.get(path)
            for number in versions:
                if secret and number in secret.versions:
                    secret.versions[number].destroyed = True
                    secret.versions[number].data = None

    def metadata(self, path: str) -> dict[str, Any]:
        with self._lock:
            secret = self._secrets.get(path)
            if secret is None:
                raise KVError(404, [])
            return {
                "cas_required": self.cas_required,
                "created_time": secret.created_time,
                "current_version": secret.current_version,
                "custom_metadata": None,
                "delete_version_after": "0s",
                "max_versions": 0,
                "oldest_version": min(secret.versions, default=0),
                "updated_time": secret.updated_time,
                "versions": {
                    str(n): {k: v for k, v in entry.metadata(n).items() if k != "version"}
                    for n, entry in secret.versions.items()
                },
            }

    def list(self, path: str) -> list[str]:
        prefix = path.rstrip("/") + "/" if path.strip("/") else ""
        with self._lock:
            keys: set[str] = set()
            for name in self._secrets:
                if not name.startswith(prefix):
                    continue
                rest = name[len(prefix) :]
                head, slash, _ = rest.partition("/")
                keys.add(head + "/" if slash else head)
        if not keys:
            raise KVError(404, [])
        return sorted(keys)

    def delete_all(self, path: str) -> None:
        with self._lock:
            self._secrets.pop(path, None)

    def snapshot(self) -> dict[str, dict[str, Any] | None]:
        """Current live data of every path: for tests that compare whole states."""
        with self._lock:
            out: dict[str, dict[str, Any] | None] = {}
            for name, secret in self._secrets.items():
                entry = secret.versions.get(secret.current_version)
                if entry is not None:
                    live = entry.data if not entry.deletion_time and not entry.destroyed else None
                    out[name] = dict(live) if live is not None else None
            return out
