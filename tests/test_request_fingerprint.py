"""A request carries what Vault registered (fingerprints, export key); the room checks them."""

from datetime import timedelta
from pathlib import Path

import pytest

from ceremony import keys
from ceremony.errors import RequestCodeError
from ceremony.gap import Registration, new_request, parse_request
from ceremony.secret import Secret
from tests.cli import run_authorize
from tests.sharesets import make_set

TTL = timedelta(minutes=30)


def registered_for(component: Secret) -> Registration:
    return Registration(
        keys.export_signing_public_key(component),
        {"custodian": keys.fingerprint(component, "custodian")},
    )


def test_the_registration_survives_every_form() -> None:
    export = bytes(range(32))
    fps = {"custodian": "3F9A-0C1B-77D2", "vault": "0000-1111-2222", "platform": "ABCD-EF01-2345"}
    request, _ = new_request("verify", {}, "v1", TTL, registration=Registration(export, fps))
    for form in (request.qr_payload(), request.typed_code(), request.file_text()):
        parsed = parse_request(form)
        assert parsed.custodian_fingerprint == "3F9A-0C1B-77D2"
        assert parsed.registration == Registration(export, fps)
    plain, _ = new_request("install", {}, "v1", TTL)
    assert parse_request(plain.typed_code()).custodian_fingerprint is None
    assert "3F9A-0C1B-77D2" in request.file_text()
    assert keys.export_key_check(export) in request.file_text()


@pytest.mark.parametrize(
    "bad", ["3f9a-0c1b-77d2", "3F9A0C1B77D2", "3F9A-0C1B-77D", "XXXX-0C1B-77D2"]
)
def test_a_malformed_fingerprint_is_refused(bad: str) -> None:
    with pytest.raises(RequestCodeError, match="not a registered fingerprint"):
        new_request(
            "verify", {}, "v1", TTL, registration=Registration(bytes(32), {"custodian": bad})
        )


def test_authorize_refuses_shares_that_do_not_rebuild_the_registered_key(tmp_path: Path) -> None:
    registered, shares = make_set(2, 3, seed=5)
    _, other = make_set(2, 3, seed=6)
    fp = keys.fingerprint(registered, "custodian")
    request, _ = new_request("verify", {}, "v1", TTL, registration=registered_for(registered))

    wrong = run_authorize(
        "--request",
        request.typed_code(),
        "--out",
        str(tmp_path / "a.ctb"),
        stdin="\n".join(other[:2]) + "\n",
    )
    assert wrong.returncode == 2 and f"not the expected {fp}" in wrong.stderr
    assert not (tmp_path / "a.ctb").exists()

    clash = run_authorize(
        "--request",
        request.typed_code(),
        "--expect-fingerprint",
        "0000-0000-0000",
        "--out",
        str(tmp_path / "b.ctb"),
        stdin="\n".join(shares[:2]) + "\n",
    )
    assert clash.returncode == 2 and "differs from the fingerprint" in clash.stderr

    right = run_authorize(
        "--request",
        request.typed_code(),
        "--out",
        str(tmp_path / "c.ctb"),
        stdin="\n".join(shares[:2]) + "\n",
    )
    assert right.returncode == 0, right.stderr
    assert (tmp_path / "c.ctb").exists()
