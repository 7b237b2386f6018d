"""Legacy shares typed from our sheets with their check letters: a typo is named by its line."""

import random

import pytest

from ceremony.errors import ShareError
from ceremony.paper import layout_legacy
from ceremony.shares import checktick
from ceremony.shares.session import RecoverySession
from tests.sharesets import make_set


def typed_from_sheet(share: str, numbers: bool = True) -> str:
    layout = layout_legacy(share)
    lines = [
        (f"{line.number}. " if numbers else "") + " ".join(line.groups) + " " + line.check
        for line in layout.lines
    ]
    return layout.prefix + "\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def legacy() -> tuple[bytes, list[str]]:
    component, shares = make_set(3, 4, seed=8, scheme="checktick")
    return component.reveal(), shares


def test_typed_with_letters_and_line_numbers_reads_back(legacy: tuple[bytes, list[str]]) -> None:
    _, shares = legacy
    for share in shares:
        assert checktick.parse(typed_from_sheet(share)).text() == share
        assert checktick.parse(typed_from_sheet(share, numbers=False).upper()).text() == share


def test_every_line_with_a_changed_digit_is_named(legacy: tuple[bytes, list[str]]) -> None:
    _, shares = legacy
    rng = random.Random(1)
    layout = layout_legacy(shares[1])
    for line in layout.lines:
        position = rng.randrange(len(line.digits))
        wrong = "0" if line.digits[position] != "0" else "1"
        typo = line.digits[:position] + wrong + line.digits[position + 1 :]
        text = typed_from_sheet(shares[1]).replace(" ".join(line.groups), typo, 1)
        with pytest.raises(ShareError, match=f"Line {line.number} does not match") as err:
            checktick.parse(text)
        assert err.value.code == "line_check"


def test_missing_letters_after_a_line_are_refused(legacy: tuple[bytes, list[str]]) -> None:
    _, shares = legacy
    layout = layout_legacy(shares[0])
    text = typed_from_sheet(shares[0], numbers=False)
    last = layout.lines[-1]
    with pytest.raises(ShareError, match="no check letters"):
        checktick.parse(text.removesuffix(" " + last.check))


def test_a_lone_non_hex_letter_is_still_a_character_error(legacy: tuple[bytes, list[str]]) -> None:
    _, shares = legacy
    with pytest.raises(ShareError) as err:
        checktick.parse(shares[0][:40] + "g" + shares[0][41:])
    assert err.value.code == "character"


def test_the_session_takes_sheet_transcriptions(legacy: tuple[bytes, list[str]]) -> None:
    raw, shares = legacy
    session = RecoverySession()
    for share in shares[:3]:
        assert session.add(typed_from_sheet(share)).accepted
    assert session.recover().reveal() == raw
    line = layout_legacy(shares[3]).lines[2]
    typo = typed_from_sheet(shares[3]).replace(line.check, "ZZZ" if line.check != "ZZZ" else "YYY")
    outcome = session.add(typo)
    assert not outcome.accepted and outcome.code == "line_check" and "Line 3" in outcome.message
