"""`ceremony genesis` as a process: outputs, the sealed bundle, the record, refusals."""

import json
import stat
from datetime import timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ceremony import keys
from ceremony.gap import Request, new_request, open_bundle, parse_bundle, verify_bundle
from ceremony.secret import Secret
from ceremony.shares import combine
from tests.cli import practice_install_request, run_ceremony, run_genesis
from tests.secret_scan import SecretNeedles

InstallRequest = tuple[Request, Secret, Path]


def pdf_text(path: Path) -> str:
    doc = pdfium.PdfDocument(str(path))
    return "\n".join(page.get_textpage().get_text_range() for page in doc)


@pytest.fixture
def install_request(tmp_path: Path) -> InstallRequest:
    return practice_install_request(tmp_path)


def test_rehearsal_genesis_end_to_end(tmp_path: Path, install_request: InstallRequest) -> None:
    request, private_key, request_file = install_request
    out = tmp_path / "out"
    r = run_genesis(
        "Ann,Ben,Cat,Dan",
        3,
        request_file,
        out,
        *("--shares-text", "--organisation", "Example Health", "--json"),
    )
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    for key in ("bundle", "record", "shares_text", "fingerprints"):
        assert summary[key]
    for name in ("share-sheets.pdf", "ceremony-record.pdf", "install-bundle.ctb", "shares.txt"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600

    shares = [
        line
        for line in (out / "shares.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert len(shares) == 4
    with combine(shares[1:]) as custodian:
        assert keys.fingerprint(custodian, "custodian") == summary["fingerprints"]["custodian"]
        custodian_raw = custodian.reveal()

    bundle = parse_bundle(Path(summary["bundle"]).read_bytes())
    assert parse_bundle((out / "install-bundle.txt").read_text()).to_bytes() == bundle.to_bytes()
    verify_bundle(bundle, request, trusted_signer=None)
    payload = open_bundle(bundle, private_key)
    vault = Secret(bytes.fromhex(payload["vault_component"]))
    assert keys.fingerprints(Secret(custodian_raw), vault) == summary["fingerprints"]
    assert bundle.header.fingerprints == summary["fingerprints"]  # signed, in the header
    assert bundle.header.rehearsal is True
    assert summary["export_key_check"] == keys.export_key_check_of(Secret(custodian_raw))

    record_text = pdf_text(Path(summary["record"]))
    assert summary["fingerprints"]["platform"] in record_text
    assert summary["export_key_check"] in record_text  # the paper anchor for apply
    assert "EXAMPLE HEALTH" in record_text.upper()
    needles = SecretNeedles()
    needles.add_component("custodian", custodian_raw)
    needles.add_component("vault", vault.reveal())
    for i, share in enumerate(shares):
        needles.add_share(f"share {i + 1}", share)
    assert needles.find_in(record_text.encode()) == []
    assert needles.find_in((out / "ceremony-record.pdf").read_bytes()) == []
    assert needles.find_in((out / "install-bundle.ctb").read_bytes()) == []
    assert needles.find_in((r.stdout + r.stderr).encode()) == []
    sheets_text = pdf_text(out / "share-sheets.pdf")
    assert "REHEARSAL" in sheets_text


def test_no_shares_text_unless_asked(tmp_path: Path, install_request: InstallRequest) -> None:
    _, _, request_file = install_request
    out = tmp_path / "out"
    r = run_genesis("A,B,C", 2, request_file, out, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["shares_text"] is None
    assert not (out / "shares.txt").exists()


def test_refusals(tmp_path: Path, install_request: InstallRequest) -> None:
    request, _, request_file = install_request
    verify_request, _ = new_request("verify", {}, "v7", timedelta(minutes=30))
    base = ["genesis", "--custodians", "A,B,C", "--threshold", "2", "--rehearsal"]
    cases = [
        (
            ["--request", verify_request.typed_code(), "--out", str(tmp_path / "a")],
            "answers a new platform key",
        ),
        (
            ["--request", str(request_file), "--out", str(tmp_path / "b"), "--key-version", "v8"],
            "this ceremony's key version is 'v8'",
        ),
        (["--request", request.typed_code()[:-3], "--out", str(tmp_path / "c")], "group"),
    ]
    for extra, expected in cases:
        r = run_ceremony(*base, *extra)
        assert r.returncode == 2, (extra, r.stdout)
        assert expected in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep").write_text("x")
    r = run_ceremony(*base, "--request", str(request_file), "--out", str(busy))
    assert r.returncode == 2 and "not empty" in r.stderr
