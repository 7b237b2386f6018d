"""The signed ceremony transcript: the journal and the record's data in one file.

Signed with the ceremony's export key (Ed25519, derived from the custodian
component; its public half is what Vault registered), so anyone can check it
offline against the export key check printed on the record. The file's
SHA-256 is printed on the paper record as a QR code and carried in the answer
for Vault, binding paper, file and release together.

File: JSON ``{"body": {...}, "signature": hex}``; the signature covers
``SIGNATURE_LABEL + canonical JSON of body`` (sorted keys, no spaces, ASCII).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ceremony import keys
from ceremony.errors import CeremonyError
from ceremony.evidence.coverage import coverage
from ceremony.evidence.log import EvidenceLog
from ceremony.evidence.model import Evidence
from ceremony.paper.model import RecordData
from ceremony.secret import Secret

__all__ = [
    "SIGNATURE_LABEL",
    "TRANSCRIPT_FORMAT",
    "canonical_json",
    "make_transcript",
    "read_transcript",
    "read_transcript_file",
    "record_sha256",
    "transcript_sha256",
    "with_transcript",
]

TRANSCRIPT_FORMAT: Final = "checktick-ceremony transcript v1"
SIGNATURE_LABEL: Final = b"checktick-ceremony transcript signature v1\x00"
MAX_TRANSCRIPT_BYTES: Final = 4 * 1024 * 1024


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def record_dict(record: RecordData) -> dict[str, Any]:
    """The record's data as plain JSON values (tuples become lists)."""
    loaded: dict[str, Any] = json.loads(canonical_json(dataclasses.asdict(record)))
    return loaded


def record_sha256(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(record)).hexdigest()


def transcript_sha256(data: bytes) -> str:
    """The digest printed on the paper and carried in the answer for Vault."""
    return hashlib.sha256(data).hexdigest()


def make_transcript(
    log: EvidenceLog,
    record: RecordData,
    custodian: Secret,
    *,
    rehearsal: bool,
    answers: tuple[str, str] | None = None,
) -> bytes:
    """The transcript file's bytes, signed with the export key the custodian component makes.

    It is signed at the log's current step (``covers`` says which, and what comes after);
    ``answers``: the Vault request it answers, (operation, request id).
    """
    signer = keys.export_signing_key(custodian)
    public = keys.export_signing_public_key(custodian)
    data = record_dict(dataclasses.replace(record, evidence=None))  # the journal says it all
    body: dict[str, Any] = {
        "format": TRANSCRIPT_FORMAT,
        "ceremony_id": log.ceremony_id,
        "operation": log.operation,
        "rehearsal": rehearsal,
        "journal": [e.as_dict() for e in log.journal.entries],
        "journal_head": log.journal.head,
        "record": data,
        "record_sha256": record_sha256(data),
        "export_public_key": public.hex(),
        "export_key_check": keys.export_key_check(public),
        "covers": coverage(log.operation, log.current_step),
    }
    if answers is not None:
        body["answers"] = {"operation": answers[0], "request_id": answers[1]}
    signature = signer.sign(SIGNATURE_LABEL + canonical_json(body))
    text = json.dumps({"body": body, "signature": signature.hex()}, indent=1, sort_keys=True)
    return (text + "\n").encode("ascii")


def with_transcript(evidence: Evidence, transcript: bytes) -> Evidence:
    """The evidence as the paper record prints it: the transcript's digest and signing step."""
    covers = json.loads(transcript)["body"].get("covers") or {}
    return dataclasses.replace(
        evidence,
        transcript_sha256=transcript_sha256(transcript),
        transcript_signed_at=int(covers.get("signed_at_step", 0)),
    )


def read_transcript_file(path: str | Path) -> bytes:
    """A transcript file's bytes, read no further than a transcript can be long (a device
    such as /dev/zero, or a huge file, is refused without filling the memory)."""
    try:
        with open(path, "rb") as file:
            return file.read(MAX_TRANSCRIPT_BYTES + 1)
    except OSError as err:
        raise CeremonyError(f"Cannot read {path}: {err.strerror or err}.") from None


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose key is given twice reads differently to different readers: refused."""
    loaded = dict(pairs)
    if len(loaded) != len(pairs):
        raise _DuplicateKey
    return loaded


def read_transcript(data: bytes) -> dict[str, Any]:
    """The parsed file, or one clear line when it is not a transcript at all."""
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise CeremonyError("This file is far too large to be a ceremony transcript.")
    try:
        loaded = json.loads(data, object_pairs_hook=_unique_keys)
    except _DuplicateKey:
        raise CeremonyError(
            "This file is not a valid ceremony transcript: a JSON key appears twice in one object."
        ) from None
    except (ValueError, RecursionError):  # bad JSON or UTF-8, a huge number, deep nesting
        raise CeremonyError("This file is not a ceremony transcript (it is not JSON).") from None
    if (
        not isinstance(loaded, dict)
        or not isinstance(loaded.get("body"), dict)
        or loaded["body"].get("format") != TRANSCRIPT_FORMAT
    ):
        raise CeremonyError(f"This file is not a ceremony transcript ({TRANSCRIPT_FORMAT}).")
    return loaded


def signature_valid(transcript: dict[str, Any]) -> bool:
    body = transcript["body"]
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(body["export_public_key"]))
        signature = bytes.fromhex(transcript["signature"])
        public.verify(signature, SIGNATURE_LABEL + canonical_json(body))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return False
    return True
