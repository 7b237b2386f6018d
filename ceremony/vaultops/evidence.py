"""Every audit entry and drill proves itself: it carries the bundle the room signed.

An operator token may create records under ``ceremony/audit/`` and
``ceremony/drills/`` (apply must), so a record is believed only when its bundle
is intact, signed by the registered export key, and names the same request,
operation, parameters, key version and ceremony as the record. A drill also
keeps its verify request's key (a verify payload holds no secret), so the shares
it lists as checked are read from the signed payload itself, not from the record.

Drills fall due: the interval is stored at install (default 182 days when the
install bundle did not say); the last verified drill is dated by the time the
room sealed its bundle, which is signed. The holders come from the registration
(the install bundle's ``holders``, stored by the apply that verified it; no
ceremony policy may change it) and from verified drills, so a holder never
drilled is named too. The install counts as the first check of every share:
the genesis reads every printed sheet back. A drill names its holders as the room
knew them ("holder of share 2" from a headless authorize), so its checked shares are
matched to the registered holders by share (``share_holders``), not by that name.

A record whose bundle's rehearsal mark is not this Vault's mode proves nothing here:
a practice drill, signed with the real key and copied in, never clears a drill due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from ceremony import gap
from ceremony.errors import CeremonyError
from ceremony.vaultops.client import VaultClient
from ceremony.vaultops.paths import AUDIT, DRILLS

__all__ = [
    "DEFAULT_DRILL_INTERVAL_DAYS",
    "NOT_SIGNED",
    "DrillDue",
    "drill_due",
    "drill_records",
    "record_problem",
    "registered_holders",
]

DEFAULT_DRILL_INTERVAL_DAYS: Final = 182
NOT_SIGNED: Final = "not signed by this key's custodians"


def _signed_bundle(record: dict[str, Any], export_key: str | None) -> gap.Bundle | str:
    """The record's bundle when it is intact and signed by the registered key; else why not."""
    text = record.get("bundle")
    if not isinstance(text, str):
        return "it carries no signed bundle"
    try:
        bundle = gap.parse_bundle(text)
    except CeremonyError:
        return "its bundle is damaged"
    if gap.bundle_digest(bundle) != record.get("bundle_digest"):
        return "its bundle digest does not match its bundle"
    if not export_key:
        return "no export key is registered to check it against"
    header = bundle.header
    request = gap.Request(
        id=header.request_id,
        operation=header.operation,
        params=dict(header.params),
        key_version=header.key_version,
        created_at=header.created_at,
        expires_at=header.expires_at,
        recipient_public_key=bytes(32),
        rehearsal=header.rehearsal,
    )
    try:
        gap.verify_bundle(bundle, request, bytes.fromhex(export_key), header.created_at)
    except (CeremonyError, ValueError):
        return "its signature is not the registered export key's"
    return bundle


def _mode_problem(rehearsal: bool, practice: bool) -> str | None:
    if rehearsal and not practice:
        return "its bundle is a rehearsal bundle and this is a production Vault"
    if practice and not rehearsal:
        return "its bundle is a real ceremony's and this is a practice Vault"
    return None


def record_problem(
    record: dict[str, Any],
    export_key: str | None,
    operation: str | None = None,
    *,
    practice: bool = False,
) -> str | None:
    """None when the record is proven by its bundle in a Vault of this mode; else what is not."""
    bundle = _signed_bundle(record, export_key)
    if isinstance(bundle, str):
        return bundle
    header = bundle.header
    mode = _mode_problem(header.rehearsal, practice)
    if mode is not None:
        return mode
    expected = {
        "request_id": header.request_id,
        "operation": header.operation,
        "key_version": header.key_version,
        "ceremony_id": header.ceremony_id,
    }
    if operation is not None and header.operation != operation:
        return f"its bundle is a {header.operation} bundle"
    for name, value in expected.items():
        if name in record and record[name] != value:
            return f"its {name.replace('_', ' ')} is not the one its bundle signs"
    if "params" in record and record["params"] != dict(header.params):
        return "its parameters are not the ones its bundle signs"
    fps = record.get("fingerprints")
    if isinstance(fps, dict) and any(fps.get(k) != v for k, v in header.fingerprints.items()):
        return "its fingerprints are not the ones its bundle signs"
    if operation == "verify":
        return _drill_payload_problem(record, bundle)
    return None


def _drill_payload_problem(record: dict[str, Any], bundle: gap.Bundle) -> str | None:
    """A drill's shares and transcript must be the ones in its signed payload."""
    key = record.get("request_key")
    claims = {k: record[k] for k in ("shares_checked", "transcript_sha256") if k in record}
    if not isinstance(key, str):
        return "its shares cannot be checked (no request key)" if claims else None
    try:
        payload = gap.open_bundle(bundle, bytes.fromhex(key))
    except (CeremonyError, ValueError):
        return "its request key does not open its bundle"
    for name, value in claims.items():
        if payload.get(name) != value:
            return f"its {name.replace('_', ' ')} is not what its bundle carries"
    for name in ("shares_checked", "transcript_sha256"):
        if name in payload and name not in record:
            return f"it leaves out the {name.replace('_', ' ')} its bundle carries"
    return None


def audit_records(client: VaultClient) -> list[dict[str, Any]]:
    entries = []
    for name in client.list(AUDIT, "listing the audit entries"):
        stored = client.read(f"{AUDIT}/{name}", "reading an audit entry")
        if stored is not None:
            entries.append({**stored.data, "_name": name})
    return entries


def drill_records(client: VaultClient) -> list[dict[str, Any]]:
    drills = []
    for name in client.list(DRILLS, "listing the drills"):
        stored = client.read(f"{DRILLS}/{name}", "reading a drill")
        if stored is not None:
            drills.append({**stored.data, "_name": name})
    return drills


@dataclass(frozen=True)
class DrillDue:
    interval_days: int
    interval_recorded: bool
    last_drill: datetime | None
    overdue: bool
    holders_missed: tuple[str, ...]
    never_drilled: tuple[str, ...] = ()  # of those missed, the ones no verified drill checked

    def warnings(self) -> list[str]:
        out = []
        source = "" if self.interval_recorded else " (the default; the install did not say)"
        if self.overdue:
            when = (
                f"the last verified drill was on {self.last_drill:%Y-%m-%d}"
                if self.last_drill
                else "no verified drill is recorded"
            )
            out.append(
                f"A drill is due: {when}, and drills are due every {self.interval_days} "
                f"days{source}. Run a drill (verify) with every custodian."
            )
        if self.holders_missed:
            names = [
                f"{h} (never in a drill)" if h in self.never_drilled else h
                for h in self.holders_missed
            ]
            out.append(
                f"No drill within the last {self.interval_days} days checked the share of: "
                + ", ".join(names)
                + "."
            )
        return out

    def summary(self) -> dict[str, Any]:
        return {
            "interval_days": self.interval_days,
            "interval_recorded": self.interval_recorded,
            "last_verified_drill": self.last_drill.isoformat() if self.last_drill else None,
            "overdue": self.overdue,
            "holders_not_drilled_within_interval": list(self.holders_missed),
            "holders_never_drilled": list(self.never_drilled),
        }


def _when(text: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def drill_due(
    registered: dict[str, Any],
    drills: list[dict[str, Any]],
    now: datetime | None = None,
    *,
    practice: bool = False,
) -> DrillDue:
    """When the last verified drill was, and whose shares no drill within the interval checked."""
    moment = now or datetime.now(UTC)
    raw = registered.get("drill_interval_days")
    recorded = type(raw) is int and raw > 0
    interval = int(raw) if recorded and isinstance(raw, int) else DEFAULT_DRILL_INTERVAL_DAYS
    window = moment - timedelta(days=interval)
    export_key = str(registered.get("export_public_key") or "")
    verified: list[tuple[datetime, dict[str, Any]]] = []
    for drill in drills:
        if record_problem(drill, export_key, "verify", practice=practice) is not None:
            continue
        bundle = gap.parse_bundle(str(drill["bundle"]))
        verified.append((bundle.header.created_at, drill))
    last = max((when for when, _ in verified), default=None)
    since = _when(registered.get("registered_at")) or moment
    overdue = (last or since) < window
    checked = {holder: since for holder in registered_holders(registered)}
    drilled: set[str] = set()
    for when, drill in verified:
        for holder in _holders_checked(registered, drill):
            drilled.add(holder)
            checked[holder] = max(checked.get(holder, when), when)
    missed = tuple(sorted(h for h, when in checked.items() if when < window))
    never = tuple(h for h in missed if h not in drilled)
    return DrillDue(interval, recorded, last, overdue, missed, never)


def registered_holders(registered: dict[str, Any]) -> list[str]:
    """The holders the install bundle named (none from an older install)."""
    names = registered.get("holders")
    if not isinstance(names, list):
        return []
    return [n for n in names if isinstance(n, str) and n]


def _share_holders(registered: dict[str, Any]) -> dict[str, str] | None:
    """Share key -> holder, as the install registered it (None from an older install)."""
    pairs = registered.get("share_holders")
    if not isinstance(pairs, list):
        return None
    return {str(p.get("share")): str(p.get("holder")) for p in pairs if isinstance(p, dict)}


def _holders_checked(registered: dict[str, Any], drill: dict[str, Any]) -> list[str]:
    """Whose shares a verified drill checked: by share when the install said who holds which."""
    by_share = _share_holders(registered)
    shares = [s for s in drill.get("shares_checked") or [] if isinstance(s, dict)]
    if by_share is None:
        return [str(s.get("holder")) for s in shares]
    return [by_share[k] for k in (str(s.get("share")) for s in shares) if k in by_share]
