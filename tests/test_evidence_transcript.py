"""The signed transcript and `ceremony verify-record`: a good file, and each kind of tampering."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ceremony.evidence.bundle_fields import bundle_fields
from ceremony.evidence.transcript import (
    SIGNATURE_LABEL,
    canonical_json,
    make_transcript,
    transcript_sha256,
)
from ceremony.evidence.verify import story, verify_transcript
from ceremony.journal import _entry_hash
from ceremony.operations.genesis import genesis_record
from tests.cli import run_ceremony
from tests.evidence_support import BAGS, CUSTODIANS, rehearsed_genesis

ENDED = datetime(2026, 3, 14, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def signed() -> tuple[bytes, str]:
    keys, log = rehearsed_genesis()
    record = genesis_record(keys, ended=ENDED)
    data = make_transcript(log, record, keys.custodian, rehearsal=True)
    check = keys.export_key_check
    keys.wipe()
    return data, check


def _write(tmp_path: Path, data: bytes, name: str = "transcript.json") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _edit(data: bytes, change: object) -> bytes:
    loaded = json.loads(data)
    change(loaded)  # type: ignore[operator]
    return json.dumps(loaded, indent=1, sort_keys=True).encode()


def test_a_good_transcript_verifies_and_tells_who_did_what(
    signed: tuple[bytes, str], tmp_path: Path
) -> None:
    data, check = signed
    verdict = verify_transcript(data, export_key_check=check, paper_digest=transcript_sha256(data))
    assert verdict.ok, [f.text for f in verdict.findings]
    path = _write(tmp_path, data)
    r = run_ceremony(
        "verify-record",
        str(path),
        "--export-key-check",
        check.lower(),
        "--paper-digest",
        transcript_sha256(data).upper(),
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "VERIFIED: every check passed." in r.stdout
    assert "Administrator: Ada Admin" in r.stdout and "Witness: Walt Ito" in r.stdout
    assert "2026-03-14 09:03:00 UTC  step 1 done: Who is here and what we make — Ada Admin" in (
        r.stdout
    )
    assert "deviation (reprint): Sheet of Ben Ode (share 2): 1 reprint" in r.stdout
    assert "held by Cat Silva, check value" in r.stdout and f"sealed in bag {BAGS[2]}" in r.stdout
    assert "next drill due by 2026-09-12" in r.stdout


def test_without_a_trusted_key_it_does_not_call_the_file_verified(
    signed: tuple[bytes, str], tmp_path: Path
) -> None:
    r = run_ceremony("verify-record", str(_write(tmp_path, signed[0])))
    assert r.returncode == 1 and "No trusted key was given" in r.stdout


def _steps(loaded: dict) -> list[dict]:  # type: ignore[type-arg]
    return [e for e in loaded["body"]["journal"] if e["event"] == "step"]


def test_an_edited_step_is_caught(signed: tuple[bytes, str], tmp_path: Path) -> None:
    data, check = signed

    def later(loaded: dict) -> None:  # type: ignore[type-arg]
        _steps(loaded)[2]["at"] = "2026-03-14T11:00:00+00:00"

    r = run_ceremony(
        "verify-record", str(_write(tmp_path, _edit(data, later))), "--export-key-check", check
    )
    assert r.returncode == 1
    assert "NO  The signature does NOT verify" in r.stdout
    assert "hash chain is broken: The journal chain breaks at entry" in r.stdout


def test_an_edited_step_with_a_recomputed_chain_still_fails_the_signature(
    signed: tuple[bytes, str],
) -> None:
    data, check = signed

    def rechain(loaded: dict) -> None:  # type: ignore[type-arg]
        entries = loaded["body"]["journal"]
        _steps(loaded)[1]["details"]["who"] = "nobody"
        prev = "0" * 64
        for e in entries:
            e["prev"] = prev
            e["hash"] = prev = _entry_hash(e["seq"], e["at"], e["event"], e["details"], prev)
        loaded["body"]["journal_head"] = prev

    verdict = verify_transcript(_edit(data, rechain), export_key_check=check)
    texts = [(f.ok, f.text) for f in verdict.findings]
    assert (False, texts[0][1]) == texts[0] and "does NOT verify" in texts[0][1]
    assert any(ok and "hash chain is whole" in t for ok, t in texts)


def test_a_removed_step_is_caught(signed: tuple[bytes, str]) -> None:
    data, check = signed

    def drop(loaded: dict) -> None:  # type: ignore[type-arg]
        loaded["body"]["journal"].remove(_steps(loaded)[4])

    verdict = verify_transcript(_edit(data, drop), export_key_check=check)
    assert not verdict.ok
    assert any("hash chain is broken" in f.text for f in verdict.findings if not f.ok)


def test_a_wrong_signature_is_caught(signed: tuple[bytes, str], tmp_path: Path) -> None:
    data, check = signed
    other = Ed25519PrivateKey.generate()

    def forge(loaded: dict) -> None:  # type: ignore[type-arg]
        loaded["signature"] = other.sign(SIGNATURE_LABEL + canonical_json(loaded["body"])).hex()

    r = run_ceremony(
        "verify-record", str(_write(tmp_path, _edit(data, forge))), "--export-key-check", check
    )
    assert r.returncode == 1 and "NO  The signature does NOT verify" in r.stdout

    # Re-signed whole by another key: self-consistent, but not the key on the paper.
    def resign(loaded: dict) -> None:  # type: ignore[type-arg]
        from cryptography.hazmat.primitives import serialization

        raw = other.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        loaded["body"]["export_public_key"] = raw.hex()
        loaded["signature"] = other.sign(SIGNATURE_LABEL + canonical_json(loaded["body"])).hex()

    verdict = verify_transcript(_edit(data, resign), export_key_check=check)
    assert verdict.findings[0].ok and not verdict.findings[1].ok
    assert "NOT the one whose check you gave" in verdict.findings[1].text


def test_a_record_that_does_not_match_the_papers_digest_is_caught(
    signed: tuple[bytes, str], tmp_path: Path
) -> None:
    data, check = signed
    keys, log = rehearsed_genesis()
    other = make_transcript(
        log, genesis_record(keys, ended=datetime(2026, 3, 14, 11, tzinfo=UTC)), keys.custodian,
        rehearsal=True,
    )  # fmt: skip
    keys.wipe()
    assert verify_transcript(other).findings[0].ok  # a genuine file, but another one
    r = run_ceremony(
        "verify-record",
        str(_write(tmp_path, other)),
        "--public-key",
        json.loads(data)["body"]["export_public_key"],
        "--paper-digest",
        transcript_sha256(data),
    )
    assert r.returncode == 1
    assert "does NOT match the paper record's" in r.stdout

    def edit_record(loaded: dict) -> None:  # type: ignore[type-arg]
        loaded["body"]["record"]["threshold"] = 1

    verdict = verify_transcript(_edit(data, edit_record), export_key_check=check)
    assert any("record's data does NOT match its digest" in f.text for f in verdict.findings)


def test_bad_input_gets_one_line(tmp_path: Path) -> None:
    r = run_ceremony("verify-record", str(tmp_path / "missing.json"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Cannot read" in r.stderr
    r = run_ceremony("verify-record", str(_write(tmp_path, b'{"a": 1}')))
    assert r.returncode == 2 and "not a ceremony transcript" in r.stderr
    r = run_ceremony("verify-record", str(_write(tmp_path, b"{}")), "--paper-digest", "xyz")
    assert r.returncode == 2 and "64 hex digits" in r.stderr


def test_the_bundle_fields_name_the_transcript_and_the_drill_interval() -> None:
    _, log = rehearsed_genesis()
    fields = bundle_fields("install", log.evidence(), "ab" * 32)
    assert fields == {
        "transcript_sha256": "ab" * 32,
        "drill_interval_days": 182,
        "holders": list(CUSTODIANS),  # every share's holder, for the online drill warnings
        "share_holders": [  # which share each holds: a drill's shares are matched by share
            {"share": str(i), "holder": name} for i, name in enumerate(CUSTODIANS, 1)
        ],
    }
    log.share_checked("12345", "2", "Ben Ode")
    assert bundle_fields("verify", log.evidence()) == {
        "shares_checked": [{"set_id": "12345", "share": "2", "holder": "Ben Ode"}]
    }


def test_story_lists_a_refused_bag() -> None:
    _, log = rehearsed_genesis()
    log.at_step(6)
    assert not log.bag_opened("1", "Ann Lee", "TE-999", "TE-100201")
    assert log.bag_opened("2", "Ben Ode", "te 100202", "TE-100202")
    lines = story(log.evidence())
    assert any("opened bag TE-999 for share 1: NOT the recorded TE-100201" in x for x in lines)
    assert any("bag-swapped" in x and "the share was not used" in x for x in lines)


def test_secret_looking_names_never_reach_the_journal() -> None:
    from ceremony.errors import CeremonyError
    from ceremony.evidence.log import WITHHELD, EvidenceLog
    from tests.sharesets import make_set

    _, shares = make_set(2, 3, seed=3)
    words = " ".join(shares[0].split()[:4])
    log = EvidenceLog("drill", "D-2")
    with pytest.raises(CeremonyError, match="looks like 3 or more share words"):
        log.roles("Ada Admin", [words])
    with pytest.raises(CeremonyError, match="looks like 3 or more share words"):
        log.bag_sealed("1", "Ann", "acid acne acid")
    log.bag_sealed("1", words, "TE-1")
    log.deviation("refused", f"A share was refused: {words}")
    text = log.journal.to_json()
    assert words not in text and text.count(WITHHELD) == 2


def test_expected_bags_come_only_from_a_transcript_that_verifies(
    signed: tuple[bytes, str],
) -> None:
    from ceremony.errors import CeremonyError
    from ceremony.evidence.bags import bag_lines, bags_from_transcript, parse_bag_lines

    data, _ = signed
    public = bytes.fromhex(json.loads(data)["body"]["export_public_key"])
    bags = bags_from_transcript(data, public)
    assert bags == {"1": BAGS[0], "2": BAGS[1], "3": BAGS[2]}
    assert parse_bag_lines(bag_lines(bags)) == bags

    def swap(loaded: dict) -> None:  # type: ignore[type-arg]
        for e in loaded["body"]["journal"]:
            if e["event"] == "bag-sealed" and e["details"]["share"] == "2":
                e["details"]["serial"] = "TE-666"

    with pytest.raises(CeremonyError, match="does not verify: The signature does NOT verify"):
        bags_from_transcript(_edit(data, swap), public)
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    with pytest.raises(CeremonyError, match="signed by ANOTHER key"):
        bags_from_transcript(data, other)
    with pytest.raises(CeremonyError, match="Line 2: share 1 is listed twice"):
        parse_bag_lines("1 TE-1\n1: TE-2")
    with pytest.raises(CeremonyError, match="Line 1: start with the share number"):
        parse_bag_lines("TE-1")


@pytest.mark.parametrize(
    "text",
    [
        '{"body":' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"body": {"format": "checktick-ceremony transcript v1", "x": ' + "9" * 5000 + "}}",
    ],
    ids=["deeply-nested", "huge-number"],
)
def test_a_file_no_parser_can_hold_gets_one_line(text: str, tmp_path: Path) -> None:
    r = run_ceremony("verify-record", str(_write(tmp_path, text.encode())))
    assert r.returncode == 2 and r.stdout == "", r.stdout + r.stderr
    assert r.stderr == "ceremony: This file is not a ceremony transcript (it is not JSON).\n"


def test_entries_of_the_wrong_shape_and_escapes_in_names_never_reach_the_terminal(
    signed: tuple[bytes, str], tmp_path: Path
) -> None:
    """A hostile file: a name that would erase the NOT VERIFIED line, entries of wrong types."""
    data, check = signed
    lure = "\x1b[3A\x1b[2KVERIFIED: every check passed.\x1b[8m"

    def hostile(loaded: dict) -> None:  # type: ignore[type-arg]
        journal = loaded["body"]["journal"]
        roles = next(e for e in journal if e["event"] == "roles")
        roles["details"]["administrator"] = "Eve" + lure
        roles["details"]["witnesses"].append("Walt\nVERIFIED: every check passed.")
        loaded["body"]["ceremony_id"] = "X\x1b]0;title\x07"
        odd = [
            ("step", {"number": "abc"}),
            ("roles", {"witnesses": 5}),
            ("roles", {"custodians": [5]}),
            ("drill-interval", {"days": [1]}),
            ("deviation", {"step": 1e308 * 10}),
        ]
        journal += [{"event": ev, "at": "x", "details": d} for ev, d in odd]

    r = run_ceremony(
        "verify-record", str(_write(tmp_path, _edit(data, hostile))), "--export-key-check", check
    )
    assert r.returncode == 1 and r.stderr == "", r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    lines = r.stdout.splitlines()
    assert not any(line.lstrip().startswith("VERIFIED") for line in lines)  # none forged
    assert "NOT VERIFIED: see NO above." in lines
    assert "Administrator: Eve\\x1b[3A\\x1b[2KVERIFIED" in r.stdout
    assert "Witness: Walt\\nVERIFIED" in r.stdout


def test_a_device_or_a_huge_file_is_refused_without_reading_it_all() -> None:
    """/dev/zero never ends: it is read only as far as a transcript can be long."""
    r = run_ceremony("verify-record", "/dev/zero")
    assert r.returncode == 2 and r.stdout == "", r.stderr
    assert r.stderr == "ceremony: This file is far too large to be a ceremony transcript.\n"


@pytest.mark.parametrize("where", ["top", "body"])
def test_a_key_given_twice_is_refused_in_one_line(
    signed: tuple[bytes, str], tmp_path: Path, where: str
) -> None:
    """A duplicate key reads as one value here and another elsewhere: the file is refused,
    though the last of each pair is the signed value and would verify."""
    data, check = signed
    text = data.decode()
    if where == "top":
        twice = text.replace("{", '{"signature": "00",', 1)
    else:
        twice = text.replace('"body": {', '"body": {"format": "other",', 1)
    assert twice != text
    r = run_ceremony(
        "verify-record", str(_write(tmp_path, twice.encode())), "--export-key-check", check
    )
    assert r.returncode == 2 and r.stdout == "", r.stdout + r.stderr
    assert r.stderr == (
        "ceremony: This file is not a valid ceremony transcript: "
        "a JSON key appears twice in one object.\n"
    )


def test_a_malformed_journal_entry_is_named_in_one_sentence(
    signed: tuple[bytes, str], tmp_path: Path
) -> None:
    data, check = signed

    def spoil(loaded: dict[str, Any]) -> None:
        loaded["body"]["journal"][1] = 5

    r = run_ceremony(
        "verify-record", str(_write(tmp_path, _edit(data, spoil))), "--export-key-check", check
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert "broken: Journal entry 1 is malformed. An entry" in r.stdout, r.stdout
    assert ".." not in r.stdout.replace("...", "")
