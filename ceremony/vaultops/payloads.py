"""Strict validation of an opened bundle payload, before the request is claimed.

Each operation's payload has exactly the fields ``ceremony.operations.authorize`` writes,
with the right types and sizes; anything else is refused with one plain
sentence, and the request stays usable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from ceremony import gap, keys
from ceremony.errors import BundleError
from ceremony.operations.authorize import PAYLOAD_VERSION
from ceremony.secret import Secret

__all__ = ["Validated", "validate_payload"]

_HEX = re.compile(r"[0-9a-f]*")
_SCHEMES: Final = frozenset({"slip39", "checktick"})
_FIELDS: Final[dict[str, frozenset[str]]] = {
    "install": frozenset(
        {"payload_version", "vault_component", "share_scheme", "threshold", "count"}
    ),
    "adopt": frozenset({"payload_version", "share_scheme", "email_proof"}),
    "verify": frozenset({"payload_version", "attestation"}),
    "recover-escrow": frozenset({"payload_version", "kek"}),
}
# Optional evidence fields (docs/vault-layout.md); an older bundle simply lacks them.
_OPTIONAL: Final[dict[str, frozenset[str]]] = {
    "install": frozenset({"transcript_sha256", "drill_interval_days", "holders", "share_holders"}),
    "adopt": frozenset({"transcript_sha256", "drill_interval_days"}),
    "verify": frozenset({"transcript_sha256", "shares_checked"}),
    "recover-escrow": frozenset({"transcript_sha256"}),
}
_SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_DRILL_INTERVAL_DAYS: Final = 3660
_MAX_SHARES_CHECKED: Final = 256
_ATTESTATION: Final = frozenset(
    {"request_id", "attested_at", "custodian_fingerprint", "export_key_check", "statement"}
)


@dataclass
class Validated:
    """What the operation may use; secrets in wipeable buffers."""

    vault_component: Secret | None = field(default=None, repr=False)
    kek: Secret | None = field(default=None, repr=False)
    share_scheme: str = ""
    threshold: int = 0
    count: int = 0
    email_proof: bool = False
    transcript_sha256: str | None = None
    drill_interval_days: int | None = None
    shares_checked: list[dict[str, str]] | None = None
    holders: list[str] | None = None
    share_holders: list[dict[str, str]] | None = None

    def wipe(self) -> None:
        for secret in (self.vault_component, self.kek):
            if secret is not None:
                secret.wipe()


def _refuse(detail: str) -> BundleError:
    return BundleError(f"The bundle's contents are not valid: {detail}.", code="payload")


def _hex_secret(payload: dict[str, Any], name: str, sizes: tuple[int, ...]) -> Secret:
    value = payload.get(name)
    if (
        not isinstance(value, str)
        or not _HEX.fullmatch(value)
        or len(value) // 2 not in sizes
        or len(value) % 2
    ):
        raise _refuse(f"{name.replace('_', ' ')} is missing or has the wrong size")
    return Secret(bytes.fromhex(value), name)


def _int(payload: dict[str, Any], name: str, low: int, high: int) -> int:
    value = payload.get(name)
    if type(value) is not int or not low <= value <= high:
        raise _refuse(f"{name} must be a whole number from {low} to {high}")
    return value


def _scheme(payload: dict[str, Any]) -> str:
    value = payload.get("share_scheme")
    if value not in _SCHEMES:
        raise _refuse("the share scheme is unknown")
    return str(value)


def validate_payload(bundle: gap.Bundle, payload: dict[str, Any]) -> Validated:
    """Every field checked; the header's fingerprints checked for what each operation needs."""
    operation = bundle.operation
    required, optional = _FIELDS[operation], _OPTIONAL[operation]
    if not required <= set(payload) <= required | optional:
        raise _refuse(f"a {operation} bundle carries exactly {', '.join(sorted(required))}")
    validated = _validate_required(bundle, payload)
    try:
        _evidence(payload, validated)
    except BundleError:
        validated.wipe()
        raise
    return validated


def _evidence(payload: dict[str, Any], validated: Validated) -> None:
    """The optional evidence fields: transcript digest, drill interval, holders, shares checked."""
    if "transcript_sha256" in payload:
        digest = payload["transcript_sha256"]
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise _refuse("transcript_sha256 is not 64 lower-case hex digits")
        validated.transcript_sha256 = digest
    if "drill_interval_days" in payload:
        validated.drill_interval_days = _int(
            payload, "drill_interval_days", 1, MAX_DRILL_INTERVAL_DAYS
        )
    if "holders" in payload:
        validated.holders = _holders(payload["holders"])
    if "share_holders" in payload:
        validated.share_holders = _share_holders(payload["share_holders"], validated.holders)
    if "shares_checked" in payload:
        shares = payload["shares_checked"]
        if (
            not isinstance(shares, list)
            or len(shares) > _MAX_SHARES_CHECKED
            or not all(
                isinstance(s, dict)
                and set(s) == {"set_id", "share", "holder"}
                and all(isinstance(v, str) and 0 < len(v) <= 200 for v in s.values())
                for s in shares
            )
        ):
            raise _refuse("shares_checked is not a list of set_id, share and holder")
        validated.shares_checked = [dict(s) for s in shares]


def _holders(value: object) -> list[str]:
    """The names an install's shares were made for: distinct, short, printable."""
    if (
        not isinstance(value, list)
        or not 0 < len(value) <= _MAX_SHARES_CHECKED
        or not all(isinstance(h, str) and 0 < len(h) <= 200 and h.isprintable() for h in value)
        or len(set(value)) != len(value)
    ):
        raise _refuse("holders is not a list of distinct names")
    return [str(h) for h in value]


def _share_holders(value: object, holders: list[str] | None) -> list[dict[str, str]]:
    """Which share each holder was given: one entry per share, each holder one of ``holders``."""
    if (
        holders is None
        or not isinstance(value, list)
        or not 0 < len(value) <= _MAX_SHARES_CHECKED
        or not all(
            isinstance(p, dict)
            and set(p) == {"share", "holder"}
            and all(
                isinstance(v, str) and 0 < len(v) <= 200 and v.isprintable() for v in p.values()
            )
            and p["holder"] in holders
            for p in value
        )
        or len({p["share"] for p in value}) != len(value)
    ):
        raise _refuse("share_holders is not one share and a listed holder for each share")
    return [{"share": p["share"], "holder": p["holder"]} for p in value]


def _validate_required(bundle: gap.Bundle, payload: dict[str, Any]) -> Validated:
    operation = bundle.operation
    if (
        payload.get("payload_version") != PAYLOAD_VERSION
        or type(payload["payload_version"]) is not int
    ):
        raise _refuse(f"its payload version is not {PAYLOAD_VERSION}")
    fps = bundle.header.fingerprints
    needed = {"custodian"} if operation == "verify" else {"custodian", "vault", "platform"}
    if set(fps) != needed:
        raise _refuse(f"a {operation} bundle names the {', '.join(sorted(needed))} fingerprints")
    if operation == "install":
        vault = _hex_secret(payload, "vault_component", (64,))
        if keys.fingerprint(vault, "vault") != fps["vault"]:
            vault.wipe()
            raise _refuse("the vault component does not match the signed vault fingerprint")
        try:
            threshold = _int(payload, "threshold", 1, 16)
            count = _int(payload, "count", threshold, 256)
            scheme = _scheme(payload)
        except BundleError:
            vault.wipe()
            raise
        return Validated(
            vault_component=vault, share_scheme=scheme, threshold=threshold, count=count
        )
    if operation == "adopt":
        proof = payload.get("email_proof")
        if not isinstance(proof, bool):
            raise _refuse("email_proof must be true or false")
        return Validated(share_scheme=_scheme(payload), email_proof=proof)
    if operation == "verify":
        attestation = payload.get("attestation")
        if (
            not isinstance(attestation, dict)
            or set(attestation) != _ATTESTATION
            or not all(isinstance(v, str) and len(v) <= 200 for v in attestation.values())
        ):
            raise _refuse("the attestation is not in the expected form")
        if attestation["request_id"] != bundle.request_id:
            raise _refuse("the attestation names another request")
        if attestation["custodian_fingerprint"] != fps["custodian"]:
            raise _refuse("the attestation names another custodian fingerprint")
        if attestation["export_key_check"] != keys.export_key_check(
            bundle.header.signer_public_key
        ):
            raise _refuse("the attestation names another export key")
        return Validated()
    return Validated(kek=_hex_secret(payload, "kek", (32,)))
