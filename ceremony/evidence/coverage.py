"""What a signed transcript covers, and which steps come after its signature.

A transcript is signed at one step: as the answer for Vault is sealed, or, in
a re-share (which has no answer), as the record page opens. The paper record
prints the transcript's digest, so the record's printing, its check that it
is complete and legible, and the signatures on it cannot be inside the file
whose digest they carry. They come after the signature, and the signed paper
is their evidence. The transcript, the record and ``verify-record`` say so.
"""

from __future__ import annotations

from typing import Any

from ceremony.evidence.steps import OPERATIONS, Operation, numbered

__all__ = ["coverage", "signing_step", "statement"]


def _steps(operation: str) -> list[tuple[int, str, str]]:
    if operation not in OPERATIONS:
        return []
    op: Operation = operation  # type: ignore[assignment]
    return [(n, s.key, s.title) for n, s in numbered(op)]


def coverage(operation: str, signed_at: int) -> dict[str, Any]:
    """The transcript body's ``covers``: the step it was signed in and the steps after it."""
    after = [
        {"number": n, "title": title} for n, _key, title in _steps(operation) if n >= signed_at
    ]
    return {
        "signed_at_step": signed_at,
        "steps_after": after,
        "statement": statement(operation, signed_at),
    }


def statement(operation: str, signed_at: int) -> str:
    """In plain words: what the signature covers and what it cannot."""
    steps = {n: (key, title) for n, key, title in _steps(operation)}
    if signed_at not in steps:
        return (
            "It holds every step journalled before it was signed; nothing after the "
            "signature is in it."
        )
    key, title = steps[signed_at]
    when = {
        "bundle": ", as the answer for Vault was sealed",
        "record": ", before the record was printed",
    }.get(key, "")
    later = [f"{n} ({t})" for n, (_, t) in steps.items() if n > signed_at]
    rest = " the answer being saved or scanned" if key == "bundle" else " the record being printed"
    return (
        f"Signed at step {signed_at} ({title}){when}. It holds every step completed before "
        "the signature, with its time, who did it and any deviation. Not in it, because they "
        f"come after the signature: the rest of step {signed_at} ({rest.strip()})"
        + (f", and step{'s' if len(later) > 1 else ''} {', '.join(later)}" if later else "")
        + ". The paper record prints this file's digest, so its printing, the check that it is "
        "complete and legible, and the signatures on it cannot be inside this file: the signed "
        "paper record is the evidence for those steps."
    )


def signing_step(operation: str) -> int:
    """The step a transcript of ``operation`` is signed in: sealing the answer, or a re-share's
    record; 0 when the operation signs none (checking one share)."""
    keys = {key: n for n, key, _title in _steps(operation)}
    return keys.get("bundle") or (keys.get("record", 0) if operation == "reshare" else 0)
