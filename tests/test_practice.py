"""The practice Vault a rehearsal plays in the room: its requests are answerable, and marked."""

from __future__ import annotations

import pytest

from ceremony import gap, keys
from ceremony.operations.authorize import (
    RoomRefused,
    attest,
    review_adopt,
    review_recover_escrow,
    seal_recovery,
)
from ceremony.operations.practice import PRACTICE_EMAIL, PracticeVault
from ceremony.secret import Secret


@pytest.fixture
def custodian() -> Secret:
    return keys.new_component()


def test_a_practice_recover_escrow_opens_for_the_shares_entered(custodian: Secret) -> None:
    code, session = gap.new_session()
    vault = PracticeVault("recover-escrow", "v1")
    placeholder = vault.placeholder(code)
    assert placeholder.rehearsal and placeholder.operation == "recover-escrow"
    with pytest.raises(RoomRefused):  # nothing registered yet: not answerable
        review_recover_escrow(placeholder, session, custodian, iterations=1000)
    request = vault.request(code, custodian)
    review = review_recover_escrow(request, session, custodian)
    assert review.email == PRACTICE_EMAIL and review.kek.reveal() == vault.kek.reveal()
    bundle = seal_recovery(review, request, custodian, "REHEARSAL-1", rehearsal=True)
    assert bundle.header.rehearsal
    vault.wipe()
    assert vault.vault.wiped and vault.kek.wiped


def test_practice_verify_and_adopt_are_answerable(custodian: Secret) -> None:
    verify = PracticeVault("verify", "v1").request(None, custodian)
    assert attest(verify, custodian, "R", rehearsal=True).header.rehearsal
    code, session = gap.new_session()
    adopt = PracticeVault("adopt", "v1")
    review = review_adopt(adopt.request(code, custodian), session, custodian)
    assert review.proven and review.email == PRACTICE_EMAIL
    assert review.fingerprints == keys.fingerprints(custodian, adopt.vault)
