"""Crossing the air gap: seal, parse, verify and open a bundle; request code sizes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bench.timing import median_seconds
from ceremony import keys
from ceremony.gap import (
    new_request,
    open_bundle,
    parse_bundle,
    parse_request,
    seal_bundle,
    verify_bundle,
)
from ceremony.secret import Secret


def run() -> list[dict[str, Any]]:
    component = Secret(bytes(range(64)))
    signer = keys.export_signing_public_key(component)
    request, private = new_request(
        "recover-escrow", {"user": "42", "survey": "climate-2026"}, "v1", timedelta(minutes=30)
    )
    payload = {"custodian_component": component.reveal().hex()}
    fingerprints = keys.fingerprints(component)

    def sealed() -> Any:
        return seal_bundle(request, payload, component, "bench", fingerprints)

    bundle = sealed()
    line = bundle.text_line()

    def receive() -> dict[str, Any]:
        parsed = parse_bundle(line)
        verify_bundle(parsed, request, signer)
        return open_bundle(parsed, private)

    rows: list[dict[str, Any]] = []

    def ms(name: str, seconds: float, note: str = "") -> None:
        rows.append({"name": name, "value": seconds * 1000, "unit": "ms", "note": note})

    ms("seal bundle", median_seconds(sealed, number=50), "X25519 + HKDF + AES-GCM + Ed25519")
    ms("parse+verify+open bundle", median_seconds(receive, number=50), "from its text line")
    ms("open bundle", median_seconds(lambda: open_bundle(bundle, private), number=50))
    ms(
        "parse typed request",
        median_seconds(lambda: parse_request(request.typed_code()), number=50),
    )
    rows.append(
        {
            "name": "bundle file",
            "value": len(bundle.to_bytes()),
            "unit": "bytes",
            "note": "64-byte component payload",
        }
    )
    rows.append(
        {
            "name": "bundle QR payload",
            "value": len(line),
            "unit": "chars",
            "note": "alphanumeric mode",
        }
    )
    groups = request.typed_groups()
    rows.append(
        {
            "name": "request typed code",
            "value": sum(len(g) for g in groups),
            "unit": "chars",
            "note": f"{len(groups)} groups, recover-escrow",
        }
    )
    return rows
