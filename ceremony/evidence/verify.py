"""Check a ceremony transcript anywhere, offline: signature, hash chain, record digest, paper.

The answer is a list of plain findings and the story the journal tells, who
did what and when, so an auditor reads it without knowing the file format.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from ceremony import keys
from ceremony.errors import CeremonyError
from ceremony.evidence.model import Evidence, read_evidence
from ceremony.evidence.transcript import (
    read_transcript,
    record_sha256,
    signature_valid,
    transcript_sha256,
)
from ceremony.journal import Journal

__all__ = ["Finding", "Verdict", "about", "story", "verify_transcript"]


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


@dataclass
class Verdict:
    findings: list[Finding] = field(default_factory=list)
    evidence: Evidence | None = None
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.findings) and all(f.ok for f in self.findings)

    def add(self, ok: bool, good: str, bad: str) -> None:
        self.findings.append(Finding(ok, good if ok else bad))


def _same_code(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return "".join(ch for ch in text.upper() if ch.isalnum())

    return hmac.compare_digest(norm(a), norm(b))


def verify_transcript(
    data: bytes,
    *,
    export_key_check: str | None = None,
    public_key: bytes | None = None,
    paper_digest: str | None = None,
) -> Verdict:
    """Every check, each a finding; raises CeremonyError only when the file is no transcript."""
    transcript = read_transcript(data)
    body: dict[str, Any] = transcript["body"]
    verdict = Verdict(body=body)
    verdict.add(
        signature_valid(transcript),
        "The signature is valid: the file is exactly as the room signed it.",
        "The signature does NOT verify: the file was changed after the room signed it, "
        "or signed by another key.",
    )
    _check_signer(verdict, body, export_key_check, public_key)
    _check_chain(verdict, body)
    record = body.get("record")
    verdict.add(
        isinstance(record, dict) and record_sha256(record) == body.get("record_sha256"),
        "The record's data matches its digest.",
        "The record's data does NOT match its digest: it was edited.",
    )
    if paper_digest is not None:
        actual = transcript_sha256(data)
        verdict.add(
            _same_code(actual, paper_digest),
            "The file's digest matches the one printed on the paper record.",
            f"The file's digest ({actual}) does NOT match the paper record's ({paper_digest}): "
            "this is not the transcript that record was printed with.",
        )
    journal = body.get("journal")
    if isinstance(journal, list):
        verdict.evidence = read_evidence(
            [e for e in journal if isinstance(e, dict)],
            str(body.get("operation", "")),
            str(body.get("ceremony_id", "")),
        )
    return verdict


def _check_signer(
    verdict: Verdict, body: dict[str, Any], export_key_check: str | None, public_key: bytes | None
) -> None:
    """Whether the signer is the key the paper (or the caller) trusts."""
    signer = str(body.get("export_public_key", ""))
    try:
        signer_check = keys.export_key_check(bytes.fromhex(signer))
    except ValueError:
        signer_check = ""
    if export_key_check is not None:
        verdict.add(
            bool(signer_check) and _same_code(signer_check, export_key_check),
            f"It was signed by the export key whose check is {signer_check} (as given).",
            f"It was signed by the export key {signer_check or '(none)'}, NOT the one whose "
            f"check you gave ({export_key_check}).",
        )
    elif public_key is not None:
        verdict.add(
            signer == public_key.hex(),
            "It was signed by the export public key given.",
            "It was signed by ANOTHER key than the export public key given.",
        )
    else:
        verdict.findings.append(
            Finding(
                False,
                "No trusted key was given: pass --export-key-check with the code on the "
                f"paper record (this file names {signer_check or 'no key'}).",
            )
        )


def _check_chain(verdict: Verdict, body: dict[str, Any]) -> None:
    journal = body.get("journal")
    try:
        head = Journal.verify(canonical_journal(journal))
        chain_ok = head == body.get("journal_head")
        detail = "" if chain_ok else "its last hash is not the one the file names"
    except CeremonyError as err:
        chain_ok, detail = False, err.message.rstrip(".")  # the sentence below ends it
    verdict.add(
        chain_ok,
        f"The journal's hash chain is whole ({len(journal or [])} entries, none edited, "
        "removed or reordered).",
        f"The journal's hash chain is broken: {detail}. An entry was edited, removed or moved.",
    )


def canonical_journal(journal: object) -> str:
    import json

    if not isinstance(journal, list):
        raise CeremonyError("The file holds no journal.")
    return json.dumps(journal)


def story(evidence: Evidence) -> list[str]:
    """Who did what and when, in plain words, one line each."""
    lines: list[str] = []
    for role in ("administrator", "witness", "custodian"):
        for p in evidence.named(role):
            lines.append(f"{role.capitalize()}: {p.name}" + (f" ({p.title})" if p.title else ""))
    names = {
        "administrator": ", ".join(p.name for p in evidence.named("administrator")),
        "witness": ", ".join(p.name for p in evidence.named("witness")),
    }
    for step in evidence.steps:
        who = names.get(step.who) or step.who
        lines.append(f"{_when(step.at)}  step {step.number} done: {step.title} — {who}")
        for d in evidence.deviations_at(step.number):
            lines.append(f"{_when(d.at)}    deviation ({d.kind}): {d.text}")
    done = {s.number for s in evidence.steps}
    for d in evidence.deviations:
        if d.step not in done:
            lines.append(f"{_when(d.at)}  deviation at step {d.step} ({d.kind}): {d.text}")
    for s in evidence.shares:
        bag = evidence.bag_of(s.share)
        lines.append(
            f"Share {s.share}: held by {s.holder}, check value {s.check_value}"
            + (f", sealed in bag {bag}" if bag else "")
        )
    for b in evidence.bags_opened:
        verdict = "as recorded" if b.matched else f"NOT the recorded {b.expected or 'bag'}"
        lines.append(
            f"{_when(b.at)}  {b.holder} opened bag {b.serial} for share {b.share}: {verdict}"
        )
    if evidence.operation == "drill":
        for seal in evidence.bags_sealed:
            lines.append(
                f"{_when(seal.at)}  share {seal.share} ({seal.holder}) went into new bag "
                f"{seal.serial}"
            )
    if evidence.drill_interval_days:
        lines.append(
            f"Drills every {evidence.drill_interval_days} days; next drill due by "
            f"{evidence.next_drill}."
        )
    return lines


def about(body: dict[str, Any]) -> list[str]:
    """What the transcript says of itself: the request it answers and what it covers."""
    lines: list[str] = []
    answers = body.get("answers")
    if isinstance(answers, dict):
        lines.append(
            f"It answers the Vault side's {answers.get('operation')} request "
            f"{answers.get('request_id')}."
        )
    covers = body.get("covers")
    if isinstance(covers, dict) and isinstance(covers.get("statement"), str):
        lines.append(covers["statement"])
    return lines


def _when(at: str) -> str:
    return at.replace("T", " ").replace("+00:00", " UTC")
