"""The practice Vault a rehearsal plays in the room: its requests are answerable, and marked."""

from __future__ import annotations

import pytest

from ceremony import gap, keys
from ceremony.operations.adopt import proven
from ceremony.operations.practice import PRACTICE_EMAIL, PracticeVault
from ceremony.operations.recover_escrow import RULES as RECOVER_ESCROW
from ceremony.operations.recover_escrow import RecoverEscrow
from ceremony.operations.table import Room, RoomRefused, operation
from ceremony.operations.verify import attest
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
        RecoverEscrow(iterations=1000).review(placeholder, custodian, session)
    request = vault.request(code, custodian)
    review = RECOVER_ESCROW.review(request, custodian, session)
    assert review.secret is not None
    assert review.values()["email"] == PRACTICE_EMAIL
    assert review.secret.reveal() == vault.kek.reveal()
    room = Room(rehearsal=True, session_public_key=code.public_key)
    bundle = RECOVER_ESCROW.seal(review, request, custodian, "REHEARSAL-1", room, "slip39")
    assert bundle.header.rehearsal
    vault.wipe()
    assert vault.vault.wiped and vault.kek.wiped


def test_practice_verify_and_adopt_are_answerable(custodian: Secret) -> None:
    verify = PracticeVault("verify", "v1").request(None, custodian)
    assert attest(verify, custodian, "R", rehearsal=True).header.rehearsal
    code, session = gap.new_session()
    adopt = PracticeVault("adopt", "v1")
    review = operation("adopt").review(adopt.request(code, custodian), custodian, session)
    assert proven(review) and review.values()["email"] == PRACTICE_EMAIL
    assert review.fingerprints == keys.fingerprints(custodian, adopt.vault)
