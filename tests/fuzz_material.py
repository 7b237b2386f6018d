"""The valid request and bundle both fuzz runs mutate (hypothesis and atheris alike)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ceremony import gap
from ceremony.secret import Secret
from tests.sharesets import make_set

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class GapMaterial:
    session_key: Secret  # the room's, which the request is sealed to
    request: gap.Request  # a recover-escrow request with sealed contents
    request_key: Secret  # the online side's
    bundle: gap.Bundle  # an answer to it


def gap_material(seed: int = 10) -> GapMaterial:
    """The same material every run: a seeded session, request and bundle."""
    rng = random.Random(seed)
    session_code, session_key = gap.new_session(random_bytes=rng.randbytes)
    request, request_key = gap.new_request(
        "recover-escrow",
        {"user": "alice", "survey": "s-42"},
        "v1",
        timedelta(hours=4),
        now=NOW,
        random_bytes=rng.randbytes,
        session=session_code,
        contents=gap.RequestContents(
            Secret(rng.randbytes(64)),
            escrow_path="users/alice/surveys/s-42/recovery-kek",
            encrypted_kek=rng.randbytes(60),
            encrypted_email=rng.randbytes(40),
        ),
    )
    bundle = gap.seal_bundle(
        request,
        {"shares_used": 3, "note": "drill"},
        make_set(2, 2, seed=11)[0],
        "CER-2030-06-01",
        {"custodian": "0000-0000-0000"},
        now=NOW,
        random_bytes=rng.randbytes,
    )
    return GapMaterial(session_key, request, request_key, bundle)


def hostile_codes() -> list[str]:
    """Codes whose version is no number a parser may take: more digits than Python's int-string
    limit (4300), digits ``str.isdigit`` takes but ``int`` refuses, and none at all."""
    versions = ["9" * 5000, "2" * 5000, "0" * 4999 + "2", "²", "٢", "2" * 7, ""]
    return [
        f"{prefix}{version}:{tail}"
        for prefix in ("CTREQ", "CTBUNDLE", "CTSESSION")
        for version in versions
        for tail in ("", "0123456789ABCDEFG")
    ]
