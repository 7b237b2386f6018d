"""Exactly-once, part two: the release log of a recover-escrow request.

Under ``ceremony/releases/<id>/`` every record is create-only (check-and-set 0)
and never changed or deleted:

- ``attempt-<n>``: a run may wrap the KEK only after it created attempt n;
- ``outcome-<n>``: ``released`` (with the token's accessor) written by the run that
  made the token, or ``void`` (the attempt made no token anyone holds).

A run shows its wrapping token only once it created ``outcome-<n> = released``.
Attempt n+1 may start only when outcome n is ``void``, so of any number of
racing applies, on one node or on a cluster, exactly one token is ever shown.
Another run that finds an attempt without an outcome waits for it; when none
comes within ``wait`` seconds it writes ``void`` in that attempt's name. If the
slow run was alive after all, its own ``released`` write then fails and it
destroys its token unseen.

A second release from the same bundle (the first token was lost) needs an
administrator's token: the first token is looked up by its accessor and revoked,
which proves nobody unwrapped it, before attempt n+1 starts. It is visible as
release 2 in the audit entries and in CheckTick's ``audit_trail``.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from ceremony.errors import VaultError
from ceremony.vaultops.client import VaultClient, Wrapped
from ceremony.vaultops.paths import RELEASES

__all__ = [
    "DEFAULT_WAIT",
    "Attempt",
    "Release",
    "read_log",
    "release_once",
]

DEFAULT_WAIT: Final = 60.0  # seconds to wait for another run's attempt before voiding it
_POLL: Final = 0.2
_ROUNDS: Final = 200
_READ_BACK_TRIES: Final = 5
_UNSURE = frozenset({"dropped", "timeout", "unavailable", "refused", "connection", "unreachable"})


@dataclass(frozen=True)
class Attempt:
    number: int
    record: dict[str, Any]
    outcome: dict[str, Any] | None

    @property
    def released(self) -> bool:
        return self.outcome is not None and self.outcome.get("state") == "released"


@dataclass(frozen=True)
class Release:
    """A token this run may show: attempt ``attempt`` is release number ``number``."""

    wrapped: Wrapped
    number: int
    attempt: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def read_log(client: VaultClient, request_id: str) -> list[Attempt]:
    log: list[Attempt] = []
    while True:
        number = len(log) + 1
        attempt = client.read(f"{RELEASES}/{request_id}/attempt-{number}", "reading the releases")
        if attempt is None:
            return log
        outcome = client.read(f"{RELEASES}/{request_id}/outcome-{number}", "reading the releases")
        log.append(Attempt(number, attempt.data, outcome.data if outcome else None))


def released(log: list[Attempt]) -> list[Attempt]:
    return [a for a in log if a.released]


def release_once(
    client: VaultClient,
    request_id: str,
    digest: str,
    prepare: Callable[[int], None],
    wrap: Callable[[], Wrapped],
    *,
    release_again: bool = False,
    wait: float = DEFAULT_WAIT,
) -> Release:
    """Run ``prepare(release number)`` then ``wrap()`` under attempt n; commit; or refuse."""
    run = secrets.token_hex(8)
    first_seen: dict[int, float] = {}
    revoked: set[int] = set()
    for _ in range(_ROUNDS):
        log = read_log(client, request_id)
        pending = [a for a in log if a.outcome is None]
        if pending:
            _wait_or_void(client, request_id, pending[-1], run, first_seen, wait)
            continue
        done = released(log)
        if done and not release_again:
            raise _already_released(done[-1])
        if done and done[-1].number not in revoked:
            _revoke_unused(client, request_id, done[-1])
            revoked.add(done[-1].number)
        number = len(log) + 1
        release_number = len(done) + 1
        attempt = {
            "run": run,
            "bundle_digest": digest,
            "release": release_number,
            "started_at": _now(),
        }
        if not client.create(
            f"{RELEASES}/{request_id}/attempt-{number}", attempt, "starting a release"
        ):
            continue  # another run started this attempt first: wait for its outcome
        return _attempt(client, request_id, number, release_number, run, prepare, wrap)
    raise _in_progress(request_id)


def _attempt(
    client: VaultClient,
    request_id: str,
    number: int,
    release_number: int,
    run: str,
    prepare: Callable[[int], None],
    wrap: Callable[[], Wrapped],
) -> Release:
    outcome_path = f"{RELEASES}/{request_id}/outcome-{number}"
    try:
        prepare(release_number)
        wrapped = wrap()
    except VaultError as err:
        _void(client, outcome_path, run, err.code)  # best effort: else the next run waits
        raise VaultError(
            f"{err.message} Nothing was released; apply the same bundle again.", code=err.code
        ) from None
    record = {
        "state": "released",
        "run": run,
        "accessor": wrapped.accessor,
        "release": release_number,
        "at": _now(),
        "wrap_ttl": wrapped.ttl,
    }
    ours = _commit(client, outcome_path, record, run)
    if ours is True:
        return Release(wrapped, release_number, number)
    if ours is False:  # another run voided this attempt: the token must never be seen
        _destroy(client, wrapped)
        raise _in_progress(request_id)
    raise VaultError(
        "Vault did not confirm the release and cannot be read back now; the token was not "
        "shown. Apply the same bundle again once Vault answers: it releases the key if this "
        "attempt did not, or says it did (then an administrator may release it again with "
        "--release-again, which first revokes this unseen token). No new ceremony is needed.",
        code="unconfirmed",
    )


def _commit(client: VaultClient, path: str, record: dict[str, Any], run: str) -> bool | None:
    """True: our "released" stands; False: another outcome stands; None: cannot tell."""
    for _ in range(_READ_BACK_TRIES):
        try:
            if client.create(path, record, "recording the release"):
                return True
        except VaultError as err:
            if err.code not in _UNSURE:  # refused before it was stored: nothing landed
                raise VaultError(
                    f"{err.message} The token was not shown; apply the same bundle again.",
                    code=err.code,
                ) from None
        try:
            stored = client.read(path, "confirming the release")
        except VaultError:
            time.sleep(_POLL)
            continue
        if stored is not None:
            return stored.data.get("run") == run and stored.data.get("state") == "released"
    return None


def _wait_or_void(
    client: VaultClient,
    request_id: str,
    attempt: Attempt,
    run: str,
    first_seen: dict[int, float],
    wait: float,
) -> None:
    seen = first_seen.setdefault(attempt.number, time.monotonic())
    if time.monotonic() - seen < wait:
        time.sleep(_POLL)
        return
    path = f"{RELEASES}/{request_id}/outcome-{attempt.number}"
    _void(client, path, run, f"no outcome within {wait:g} s; voided by another apply")


def _void(client: VaultClient, path: str, run: str, reason: str) -> None:
    record = {"state": "void", "run": run, "reason": reason, "at": _now()}
    try:
        client.create(path, record, "recording that nothing was released")
    except VaultError:
        pass  # a later apply waits, then voids this attempt itself


def _destroy(client: VaultClient, wrapped: Wrapped) -> None:
    try:
        client.unwrap(wrapped.token, "voiding an unused wrapping token")
    except VaultError:
        pass  # it expires with its TTL; it was never shown to anyone


def _revoke_unused(client: VaultClient, request_id: str, last: Attempt) -> None:
    """Release again only if the last token is provably unused: alive, then revoked."""
    accessor = str((last.outcome or {}).get("accessor") or "")
    try:
        alive = bool(accessor) and client.token_alive(accessor, "looking up the released token")
    except VaultError as err:
        if err.code != "forbidden":
            raise
        raise VaultError(
            "--release-again needs an administrator's token (one that may look up and revoke "
            "tokens by accessor); the operator policy may not. Nothing was released.",
            code="forbidden",
        ) from None
    if not alive:
        raise VaultError(
            f"The wrapping token of release {last.outcome and last.outcome.get('release')} of "
            f"request {request_id} was unwrapped or has expired, so it may have been delivered; "
            "it is not released again. Make a new recover-escrow request.",
            code="delivered",
        )
    client.revoke_accessor(accessor, "revoking the lost wrapping token")


def _already_released(last: Attempt) -> VaultError:
    outcome = last.outcome or {}
    return VaultError(
        f"This bundle was already applied at {outcome.get('at', '?')} (release "
        f"{outcome.get('release', 1)}); a bundle takes effect once only. If its wrapping token "
        "never reached CheckTick, an administrator may release it again with "
        "`ceremony vault apply --release-again`.",
        code="replay",
    )


def _in_progress(request_id: str) -> VaultError:
    return VaultError(
        f"Another apply of this same bundle released request {request_id} (or is releasing "
        "it); only one of them hands out the key. See `ceremony vault audit`.",
        code="in-progress",
    )
