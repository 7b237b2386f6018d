"""A whole rehearsal genesis and drill from the command line, with witnesses and bags."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from ceremony import keys
from ceremony.evidence.transcript import transcript_sha256
from ceremony.evidence.verify import verify_transcript
from ceremony.gap import Registration, new_request, open_bundle, parse_bundle
from ceremony.shares import combine
from ceremony.vaultops.payloads import validate_payload
from tests.cli import run_ceremony
from tests.pdf_pages import all_text
from tests.ui.requests import vault_for

BAGS = {"1": "TE-100201", "2": "TE-100202", "3": "TE-100203", "4": "TE-100204"}
NAMES = {"1": "Ann", "2": "Ben", "3": "Cat", "4": "Dan"}


def _genesis(tmp_path: Path, *extra: str) -> tuple[dict, Path]:  # type: ignore[type-arg]
    request, key = new_request("install", {}, "v7", timedelta(minutes=30), rehearsal=True)
    key.wipe()
    path = tmp_path / "request.txt"
    path.write_text(request.file_text())
    out = tmp_path / "genesis"
    r = run_ceremony(
        "genesis", "--custodians", "Ann,Ben,Cat,Dan", "--threshold", "3",
        "--request", str(path), "--out", str(out), "--rehearsal", "--shares-text",
        "--administrator", "Ada Admin", "--witness", "Wendy Ng", "--also-witness", "Walt Ito",
        *(f"--bag={n}={s}" for n, s in BAGS.items()), "--drill-interval-days", "90",
        "--json", *extra,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout), out


def test_a_cli_genesis_then_drill_with_bags_and_a_swapped_bag(tmp_path: Path) -> None:
    summary, out = _genesis(tmp_path)
    transcript = Path(summary["transcript"])
    data = transcript.read_bytes()
    assert summary["transcript_sha256"] == transcript_sha256(data)
    r = run_ceremony(
        "verify-record", str(transcript), "--export-key-check", summary["export_key_check"],
        "--paper-digest", summary["transcript_sha256"],
    )  # fmt: skip
    assert r.returncode == 0, r.stdout
    assert "Administrator: Ada Admin" in r.stdout and "Witness: Walt Ito" in r.stdout
    assert "sealed in bag TE-100203" in r.stdout and "Drills every 90 days" in r.stdout
    assert "deviation at step 10 (skipped): Headless genesis" in r.stdout
    record = " ".join(all_text((out / "ceremony-record.pdf").read_bytes()).split())
    assert summary["transcript_sha256"][:32] in record and "TE-100204" in record
    assert "Ada Admin administrator" in record and "Walt Ito witness" in record

    shares = [
        line for line in (out / "shares.txt").read_text().splitlines() if not line.startswith("#")
    ]
    with combine(shares[:3]) as component:
        registration = Registration(
            keys.export_signing_public_key(component),
            keys.fingerprints(component, vault_for(component)),
        )
    request, request_key = new_request(
        "verify", {}, "v7", timedelta(hours=1), registration=registration, rehearsal=True
    )
    answer = tmp_path / "drill.bundle"
    record_pdf = tmp_path / "drill-record.pdf"
    r = run_ceremony(
        "drill", "--request", request.qr_payload(), "--out", str(answer),
        "--record", str(record_pdf), "--rehearsal", "--bags-from", str(transcript),
        "--administrator", "Ada Admin", "--witness", "Wendy Ng",
        "--opened-bag", "1=TE-999999",  # share 1's bag was swapped
        *(f"--opened-bag={n}={BAGS[n]}" for n in ("2", "3", "4")),
        *(f"--holder={n}={name}" for n, name in NAMES.items()),
        *(f"--new-bag={n}=NB-{n}" for n in ("2", "3", "4")), "--json",
        stdin="\n".join(shares) + "\n",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    drill = json.loads(r.stdout)
    assert "share 1 (Ann): This bag's serial is not the one the last record lists" in r.stderr
    assert "the bag may have been swapped; follow the incident steps" in r.stderr
    assert drill["refused_bags"] == ["1"]
    assert [s["share"] for s in drill["shares_checked"]] == ["2", "3", "4"]  # good ones kept
    drill_data = Path(drill["transcript"]).read_bytes()
    verdict = verify_transcript(
        drill_data,
        export_key_check=summary["export_key_check"],
        paper_digest=drill["transcript_sha256"],
    )
    assert verdict.ok, [f.text for f in verdict.findings]
    assert verdict.evidence is not None
    assert [b.serial for b in verdict.evidence.bags_sealed] == ["NB-2", "NB-3", "NB-4"]
    assert [d.kind for d in verdict.evidence.deviations] == ["bag-swapped"]
    bundle = parse_bundle(answer.read_bytes())
    validated = validate_payload(bundle, open_bundle(bundle, request_key))
    request_key.wipe()
    assert validated.transcript_sha256 == drill["transcript_sha256"]
    assert validated.shares_checked == [
        {"set_id": verdict.evidence.shares_checked[0][0], "share": n, "holder": NAMES[n]}
        for n in ("2", "3", "4")
    ]
    text = " ".join(all_text(record_pdf.read_bytes()).split())
    assert "Bags opened" in text and "TE-999999" in text and "NB-4" in text
    assert drill["transcript_sha256"][:32] in text


def test_bad_evidence_options_get_one_line_before_any_secret(tmp_path: Path) -> None:
    request, key = new_request("install", {}, "v7", timedelta(minutes=30), rehearsal=True)
    key.wipe()
    path = tmp_path / "request.txt"
    path.write_text(request.file_text())
    base = ("genesis", "--custodians", "Ann,Ben", "--threshold", "2", "--request", str(path),
            "--rehearsal")  # fmt: skip
    for extra, message in (
        (("--bag", "one=TE-1"), "give the share number"),
        (("--bag", "1=TE-1"), "Give one --bag for every share"),
        (("--bag", "1=TE-1", "--bag", "2=T@E"), "A bag serial is 1 to 40"),
        (("--drill-interval-days", "0"), "--drill-interval-days is 1 to"),
        (("--also-witness", bytes(range(32)).hex()), "looks like a long run of hex"),
        (("--administrator", "academic acid acne museum"), "looks like 3 or more share words"),
    ):
        out = tmp_path / f"out-{len(extra)}-{extra[-1][:3]}"
        r = run_ceremony(*base, "--out", str(out), *extra)
        assert r.returncode == 2 and message in r.stderr, (extra, r.stderr)
        assert r.stderr.count("ceremony:") == 1 and not out.exists()


def test_the_install_answer_carries_the_evidence_fields(tmp_path: Path) -> None:
    request, key = new_request("install", {}, "v7", timedelta(minutes=30), rehearsal=True)
    path = tmp_path / "request.txt"
    path.write_text(request.file_text())
    out = tmp_path / "g"
    r = run_ceremony(
        "genesis", "--custodians", "Ann,Ben", "--threshold", "2", "--request", str(path),
        "--out", str(out), "--rehearsal", "--json", "--drill-interval-days", "120",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    bundle = parse_bundle((out / "install-bundle.ctb").read_bytes())
    payload = open_bundle(bundle, key)
    key.wipe()
    assert payload["transcript_sha256"] == summary["transcript_sha256"]
    assert payload["drill_interval_days"] == 120
    validated = validate_payload(bundle, payload)  # what the online side accepts and keeps
    assert validated.transcript_sha256 == summary["transcript_sha256"]
    assert validated.drill_interval_days == 120
    validated.wipe()


def test_drill_refuses_secrets_as_holder_or_organisation_before_the_request(
    tmp_path: Path,
) -> None:
    """A holder's name is printed in the drill's summary; share words or a key are refused."""
    words = "academic acid acne museum mixture elegant patent upstairs"
    for option in (
        ("--holder", f"1={words}"),
        ("--holder", "2=" + bytes(range(32)).hex()),
        ("--organisation", words),
    ):
        r = run_ceremony(
            *("drill", "--request", str(tmp_path / "no-such.request")),
            *("--out", str(tmp_path / "drill.bundle"), "--witness", "Wendy", "--no-bags"),
            *option,
        )
        assert r.returncode == 2 and r.stdout == "", r.stderr
        assert "looks like" in r.stderr and "academic acid" not in r.stderr, r.stderr
        assert "no-such.request" not in r.stderr  # refused before the request was read
    assert list(tmp_path.iterdir()) == []


def test_drill_refuses_a_record_it_could_not_write_before_the_request(tmp_path: Path) -> None:
    """The record is written after the seal: a missing folder, an existing file or the
    answer's own name would leave a sealed answer without its record."""
    existing = tmp_path / "old-record.pdf"
    existing.write_bytes(b"kept")
    out = tmp_path / "drill.bundle"
    for record, message in (
        (tmp_path / "no-folder" / "r.pdf", "does not exist"),
        (existing, "already exists"),
        (out, "own"),
        (tmp_path / "drill-transcript.json", "own"),
    ):
        r = run_ceremony(
            *("drill", "--request", str(tmp_path / "no-such.request")),
            *("--out", str(out), "--record", str(record), "--witness", "Wendy", "--no-bags"),
        )
        assert r.returncode == 2 and r.stdout == "", r.stderr
        assert message in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
        assert "no-such.request" not in r.stderr  # refused before the request was read
    assert sorted(tmp_path.iterdir()) == [existing] and existing.read_bytes() == b"kept"
