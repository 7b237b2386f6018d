"""Crossing the air gap: seal, parse, verify and open a bundle; request code sizes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bench.timing import median_seconds
from ceremony import keys
from ceremony.gap import (
    Registration,
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
        "verify",
        {},
        "v1",
        timedelta(minutes=30),
        registration=Registration(signer, keys.fingerprints(component)),
    )
    payload = {"payload_version": 2, "kek": bytes(32).hex()}
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
            "note": "a 32-byte KEK payload",
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
    rows += request_sizes()
    return rows


def _contents(operation: str) -> Any:
    """What Vault seals to the room for ``operation``: CheckTick's escrow fields, or nothing."""
    from ceremony.gap import RequestContents

    email = bytes(12 + 28 + 16)  # nonce, a short address, tag
    if operation == "recover-escrow":
        path = "users/12345/surveys/climate-2026/recovery-kek"
        return RequestContents(
            Secret(bytes(64)), path, encrypted_kek=bytes(60), encrypted_email=email
        )
    if operation == "adopt":
        return RequestContents(Secret(bytes(64)), escrow_user="12345", encrypted_email=email)
    return None


def _size_rows(operation: str, request: Any) -> list[dict[str, Any]]:
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(request.qr_payload())
    qr.make(fit=True)
    typed = request.typed_code()
    return [
        {"name": f"{operation} request", "value": len(request.to_bytes()), "unit": "bytes",
         "note": "v2 frame"},
        {"name": f"{operation} request QR version", "value": qr.version, "unit": "version",
         "note": "level M, alphanumeric"},
        {"name": f"{operation} request typed code", "value": len(typed.replace("-", "")),
         "unit": "chars", "note": f"{len(request.typed_groups())} checked groups"},
    ]  # fmt: skip


def request_sizes() -> list[dict[str, Any]]:
    """Bytes, QR version and typed-code length of each kind of request (v2)."""
    from ceremony.gap import OPERATIONS, SESSION_OPERATIONS, new_session

    component = Secret(bytes(range(64)))
    registration = Registration(
        keys.export_signing_public_key(component), keys.fingerprints(component, component)
    )
    session, _ = new_session()
    rows: list[dict[str, Any]] = []
    for operation in OPERATIONS:
        params = (
            {"user": "12345", "survey": "climate-2026"} if operation == "recover-escrow" else {}
        )
        request, _ = new_request(
            operation,
            params,
            "v1",
            timedelta(minutes=30),
            registration=registration if operation in ("verify", "recover-escrow") else None,
            session=session if operation in SESSION_OPERATIONS else None,
            contents=_contents(operation),
        )
        rows += _size_rows(operation, request)
    return rows
