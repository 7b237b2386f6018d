"""Tokens, AppRole and ACL policies, enforced the simple way.

A request is allowed when some policy rule matching its path grants the needed
capability and no matching rule says ``deny``. Rules are ``path "..." {
capabilities = [...] }`` with Vault's glob forms: a trailing ``*`` (prefix) and
``+`` (one path segment).
"""

from __future__ import annotations

import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field

RULE = re.compile(r'path\s+"([^"]+)"\s*\{\s*capabilities\s*=\s*\[([^\]]*)\]\s*\}', re.S)

# What Vault's built-in default policy grants that the ceremony relies on.
DEFAULT_RULES: list[tuple[str, frozenset[str]]] = [
    ("auth/token/lookup-self", frozenset({"read"})),
    ("auth/token/revoke-self", frozenset({"update"})),
    ("sys/wrapping/wrap", frozenset({"update"})),
    ("sys/wrapping/lookup", frozenset({"update"})),
    ("sys/wrapping/unwrap", frozenset({"update"})),
    ("sys/internal/ui/mounts/*", frozenset({"read"})),
]


class PolicyError(ValueError):
    """Policy text the double cannot parse."""


def parse_policy(text: str) -> list[tuple[str, frozenset[str]]]:
    rules = [
        (m.group(1), frozenset(re.findall(r'"([a-z]+)"', m.group(2)))) for m in RULE.finditer(text)
    ]
    if not rules and text.strip():
        raise PolicyError("failed to parse policy")
    return rules


def path_matches(pattern: str, path: str) -> bool:
    prefix = pattern.endswith("*")
    body = pattern[:-1] if prefix else pattern
    regex = "".join("[^/]+" if part == "+" else re.escape(part) for part in re.split(r"(\+)", body))
    return re.fullmatch(regex + (".*" if prefix else ""), path, re.S) is not None


@dataclass
class Token:
    id: str
    accessor: str
    policies: list[str]
    display_name: str
    ttl: int
    created: float = field(default_factory=time.time)
    meta: dict[str, str] | None = None
    expired: bool = False
    expired_by_fault: bool = False

    def remaining(self) -> int:
        if self.ttl == 0:
            return 0
        return max(0, int(self.created + self.ttl - time.time()))

    def alive(self) -> bool:
        return not self.expired and (self.ttl == 0 or self.remaining() > 0)


@dataclass
class Role:
    name: str
    role_id: str
    secret_ids: set[str]
    policies: list[str]
    token_ttl: int = 3600


class AuthState:
    """Tokens, roles and policies behind one lock."""

    def __init__(self, root_token: str) -> None:
        self._lock = threading.RLock()
        self.tokens: dict[str, Token] = {}
        self.roles: dict[str, Role] = {}
        self.policies: dict[str, str] = {}
        self.root_token = root_token
        self.add_token(["root"], token_id=root_token, display_name="root", ttl=0)

    def add_token(
        self,
        policies: list[str],
        *,
        token_id: str | None = None,
        display_name: str = "token",
        ttl: int = 3600,
        meta: dict[str, str] | None = None,
    ) -> Token:
        token = Token(
            id=token_id or "hvs." + secrets.token_urlsafe(24),
            accessor=secrets.token_urlsafe(18),
            policies=list(policies),
            display_name=display_name,
            ttl=ttl,
            meta=meta,
        )
        with self._lock:
            self.tokens[token.id] = token
        return token

    def lookup(self, token_id: str | None) -> Token | None:
        with self._lock:
            token = self.tokens.get(token_id or "")
            return token if token is not None and token.alive() else None

    def revoke(self, token_id: str) -> None:
        with self._lock:
            self.tokens.pop(token_id, None)

    def add_role(self, name: str, role_id: str, secret_id: str, policies: list[str]) -> Role:
        role = Role(name=name, role_id=role_id, secret_ids={secret_id}, policies=list(policies))
        with self._lock:
            self.roles[name] = role
        return role

    def login(self, role_id: str, secret_id: str) -> Token | None:
        with self._lock:
            for role in self.roles.values():
                if secrets.compare_digest(role.role_id, role_id) and secret_id in role.secret_ids:
                    return self.add_token(
                        ["default", *role.policies],
                        display_name=f"approle-{role.name}",
                        ttl=role.token_ttl,
                        meta={"role_name": role.name},
                    )
        return None

    def set_policy(self, name: str, text: str) -> None:
        parse_policy(text)
        with self._lock:
            self.policies[name] = text

    def allowed(self, token: Token, path: str, capability: str) -> bool:
        if "root" in token.policies:
            return True
        with self._lock:
            rules = list(DEFAULT_RULES)
            for name in token.policies:
                if name in self.policies:
                    rules.extend(parse_policy(self.policies[name]))
        granted = [caps for pattern, caps in rules if path_matches(pattern, path)]
        if any("deny" in caps for caps in granted):
            return False
        return any(capability in caps for caps in granted)

    def expire_by_fault(self, token_id: str) -> None:
        with self._lock:
            token = self.tokens.get(token_id)
            if token is not None:
                token.expired = True
                token.expired_by_fault = True

    def revive_fault_expired(self) -> None:
        with self._lock:
            for token in self.tokens.values():
                if token.expired_by_fault:
                    token.expired = token.expired_by_fault = False
                    token.created = time.time()


def new_request_id() -> str:
    return str(uuid.uuid4())
