"""A request carries Vault's registered custodian fingerprint; the room checks against it."""

from datetime import timedelta
from pathlib import Path

import pytest

from ceremony import keys
from ceremony.errors import RequestCodeError
from ceremony.gap import new_request, parse_request
from tests.cli import run_ceremony
from tests.sharesets import make_set

TTL = timedelta(minutes=30)


def test_the_fingerprint_survives_every_form() -> None:
    request, _ = new_request("verify", {}, "v1", TTL, custodian_fingerprint="3F9A-0C1B-77D2")
    for form in (request.qr_payload(), request.typed_code(), request.file_text()):
        assert parse_request(form).custodian_fingerprint == "3F9A-0C1B-77D2"
    plain, _ = new_request("install", {}, "v1", TTL)
    assert parse_request(plain.typed_code()).custodian_fingerprint is None
    assert "3F9A-0C1B-77D2" in request.file_text()


@pytest.mark.parametrize(
    "bad", ["3f9a-0c1b-77d2", "3F9A0C1B77D2", "3F9A-0C1B-77D", "XXXX-0C1B-77D2"]
)
def test_a_malformed_fingerprint_is_refused(bad: str) -> None:
    with pytest.raises(RequestCodeError, match="not a fingerprint"):
        new_request("verify", {}, "v1", TTL, custodian_fingerprint=bad)


def test_authorize_refuses_shares_that_do_not_rebuild_the_registered_key(tmp_path: Path) -> None:
    registered, shares = make_set(2, 3, seed=5)
    _, other = make_set(2, 3, seed=6)
    fp = keys.fingerprint(registered, "custodian")
    request, _ = new_request("verify", {}, "v1", TTL, custodian_fingerprint=fp)

    wrong = run_ceremony(
        "authorize",
        "--request",
        request.typed_code(),
        "--out",
        str(tmp_path / "a.ctb"),
        stdin="\n".join(other[:2]) + "\n",
    )
    assert wrong.returncode == 2 and f"not the expected {fp}" in wrong.stderr
    assert not (tmp_path / "a.ctb").exists()

    clash = run_ceremony(
        "authorize",
        "--request",
        request.typed_code(),
        "--expect-fingerprint",
        "0000-0000-0000",
        "--out",
        str(tmp_path / "b.ctb"),
        stdin="\n".join(shares[:2]) + "\n",
    )
    assert clash.returncode == 2 and "differs from the fingerprint" in clash.stderr

    right = run_ceremony(
        "authorize",
        "--request",
        request.typed_code(),
        "--out",
        str(tmp_path / "c.ctb"),
        stdin="\n".join(shares[:2]) + "\n",
    )
    assert right.returncode == 0, right.stderr
    assert (tmp_path / "c.ctb").exists()
