"""Text that reads as a share or a key is recognised, in every format; names are not."""

from __future__ import annotations

import base64

import pytest

from ceremony.keys import export_key_check, fingerprint
from ceremony.shares.secret_text import (
    SecretTextError,
    check_not_secret,
    find_secret,
    refusal,
)
from tests.secret_formats import secret_texts

ORDINARY = [
    "Ann Lee",
    "Dr. María José García-López",
    "Example Trust",
    "St Mary's Hospital NHS Foundation Trust",
    "Northwind Clinic, Legal",
    "O'Brien, CFO",
    "2025-1",
    "v1",
    "CER-2025-0314-A",
    "20261202-1826-B5DA",
    "Ticket SEC-4711, approved by the board on 2026-12-02 at 18:20",
    "The printer jammed once; sheet 2 was reprinted and the bad copy shredded.",
    fingerprint(b"\x01" * 64, "custodian"),
    export_key_check(bytes(range(32))),
    "https://tickets.example.org/browse/SEC-4711",
    "Ann Lee (CFO), Ben Ode (CTO), Cat Roy (legal counsel)",
]


@pytest.mark.parametrize("name", sorted(secret_texts()))
def test_every_share_and_component_format_is_recognised(name: str) -> None:
    text = secret_texts()[name]
    assert find_secret(text) is not None, name
    assert find_secret(f"Ann Lee {text}") is not None  # inside a longer line too
    assert find_secret(text.lower()) is not None or text.lower() != text


@pytest.mark.parametrize("text", ORDINARY)
def test_names_notes_and_check_values_pass(text: str) -> None:
    assert find_secret(text) is None


def test_two_share_words_pass_three_do_not() -> None:
    words = secret_texts()["SLIP-39 share words"].split()
    assert find_secret(" ".join(words[20:22])) is None
    assert find_secret(" ".join(words[20:23])) is not None
    assert find_secret(f"{words[20]} and {words[21]} {words[22]}") is None  # the run is broken


def test_a_short_hex_run_or_a_digest_labelled_as_measured_is_allowed_only_where_asked() -> None:
    digest = "ab12" * 16
    assert find_secret("ab12" * 8) is None  # 32 digits: a request id
    assert find_secret("ab12" * 10) is not None  # 40 digits
    assert find_secret(f"ISO SHA-256 {digest} — compare it") is not None
    assert find_secret(f"ISO SHA-256 {digest} — compare it", digests=True) is None
    assert find_secret(f"note {digest}", digests=True) is not None  # not labelled: refused


def test_the_refusal_is_a_plain_sentence_that_quotes_nothing() -> None:
    for name, text in secret_texts().items():
        message = refusal(text, "Your name")
        assert message is not None and message.startswith("Your name holds what looks like")
        for token in text.replace(".", " ").split():
            if len(token) >= 4:
                assert token not in message, name
    assert refusal("Ann Lee", "Your name") is None


def test_check_not_secret_raises_with_the_finding() -> None:
    with pytest.raises(SecretTextError, match="it was not shown or printed") as caught:
        check_not_secret(secret_texts()["legacy share"], "a status line")
    assert caught.value.finding.kind == "legacy share"
    check_not_secret("Share 2 of 5 was read back and matches the paper.", "a status line")


def test_one_line_of_a_legacy_sheet_is_recognised_but_a_request_id_is_not() -> None:
    assert find_secret("313f c2ec 845c 4d1d 2cd3 b0c6 b642 683d MVX") is not None
    assert find_secret("request 2aaadc193e694cfd6fd713d1d17a6629") is None
    assert find_secret("face bead cafe dead beef babe") is None  # words, not digits


def test_a_long_file_path_in_the_record_is_no_key() -> None:
    """The environment row names TMPDIR; a real one can be long (a test's, a user's)."""
    path = "/tmp/pytest-of-root/pytest-97/test_cli_ceremonies_leave_0/at-rest-tmp/ceremony-tmpfs"
    assert find_secret(f"Temporary files stay in memory: {path} (TMPDIR) on tmpfs") is None
    key = base64.b64encode(bytes(range(7, 71))).decode()
    assert find_secret(f"note /{key}") is not None  # base64 after a slash is still a key
