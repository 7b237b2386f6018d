"""Named groups (SLIP-39's two levels): the policy model, split and combine, the session."""

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceremony.errors import CeremonyError, ShareError
from ceremony.operations.genesis import GenesisPlan
from ceremony.operations.records import SharesUsed, reshare_record
from ceremony.operations.rehearsal import RehearsalPlan, run_rehearsal
from ceremony.operations.reshare import reshare
from ceremony.paper import render_record
from ceremony.secret import Secret
from ceremony.shares import Group, SharePolicy, combine, inspect, parse_group, split_policy
from ceremony.shares.session import RecoverySession
from tests.pdf_pages import all_text, page_count, page_text
from tests.sharesets import make_set
from tests.test_share_vectors import slip39_vectors

BOARD = Group("Board", ("Ann", "Ben", "Cat"), 2)
LEGAL = Group("Legal", ("Hal",), 1)
OPS = Group("Ops", ("Dan", "Eve", "Fay", "Gus"), 3)
THREE_GROUPS = SharePolicy((BOARD, LEGAL, OPS), 2)


def make(policy: SharePolicy, seed: int = 1, size: int = 64) -> tuple[Secret, list[str]]:
    rng = random.Random(seed)
    component = Secret(rng.randbytes(size), "component")
    return component, split_policy(component, policy, random_bytes=rng.randbytes)


def sheet(policy: SharePolicy, shares: list[str], group: int, member: int) -> str:
    return shares[policy.sheet_number(group, member) - 1]


# -- the policy model ------------------------------------------------------------


def test_parse_group_and_describe() -> None:
    assert parse_group(" Board = Ann, Ben ,Cat : 2 ") == BOARD
    with pytest.raises(CeremonyError, match="Name=Member"):
        parse_group("Board Ann,Ben:2")
    assert THREE_GROUPS.describe() == (
        "any 2 of the 3 groups rebuild the key (Board: any 2 of Ann, Ben, Cat; Legal: Hal; "
        "Ops: any 3 of Dan, Eve, Fay, Gus)"
    )
    assert THREE_GROUPS.custodians == ("Ann", "Ben", "Cat", "Hal", "Dan", "Eve", "Fay", "Gus")
    assert THREE_GROUPS.locate(5) == (3, 1) and THREE_GROUPS.sheet_number(3, 1) == 5
    assert THREE_GROUPS.threshold == 3  # the fewest sheets that can rebuild: Hal + 2 of Board


def test_sheet_wording_names_the_group_and_both_thresholds() -> None:
    assert THREE_GROUPS.sheet_wording(2) == (
        "Board — any 2 of your 3 Board sheets; any 2 of the 3 groups rebuild the key"
    )
    assert THREE_GROUPS.sheet_wording(4) == (
        "Legal — this sheet alone completes the Legal group; any 2 of the 3 groups rebuild the key"
    )
    plain = SharePolicy.plain(["Ann", "Ben", "Cat"], 2)
    assert not plain.grouped
    assert plain.sheet_wording(1) == "any 2 of the 3 sheets rebuild the key"


def test_validation_messages() -> None:
    problems = THREE_GROUPS.problems()
    assert [(p.severity, p.message) for p in problems] == [
        ("confirm", "Legal 1-of-1 means Hal alone counts as a whole group: is that intended?")
    ]
    THREE_GROUPS.check()  # a question to confirm does not block

    def errors(policy: SharePolicy) -> list[str]:
        return [p.message for p in policy.problems() if p.severity == "error"]

    assert errors(SharePolicy((Group("Board", ("Ann", "Ben"), 1), LEGAL), 1)) == [
        "Board: SLIP-39 does not allow 1 of 2; make it a group of one, or ask for at least 2."
    ]
    assert "between 1 and 2" in errors(SharePolicy((BOARD, LEGAL), 3))[0]
    assert errors(SharePolicy((BOARD, Group("Board", ("Hal",), 1)), 1))[0].startswith(
        "Two groups have the same name"
    )
    assert errors(SharePolicy((BOARD, Group("Legal", ("Ann",), 1)), 2)) == [
        "Ann appears twice; each custodian holds one sheet."
    ]
    assert "at most 16 groups" in errors(SharePolicy((LEGAL,) * 17, 1))[0]
    assert errors(SharePolicy.plain(["Ann", "Ben"], 1))[0].startswith("The threshold must be")
    one_group = SharePolicy((BOARD, OPS), 1).problems()
    assert one_group[-1].message == (
        "Any one group alone rebuilds the key (1 group needed): is that intended?"
    )
    with pytest.raises(CeremonyError, match="1 of 2"):
        SharePolicy((Group("Board", ("Ann", "Ben"), 1),), 1).check()


def test_legacy_format_has_no_groups() -> None:
    with pytest.raises(ShareError, match="no groups"):
        split_policy(Secret(bytes(range(64))), THREE_GROUPS, "checktick")


# -- split and combine -----------------------------------------------------------


def test_group_set_rebuilds_from_any_two_groups() -> None:
    component, shares = make(THREE_GROUPS)
    assert len(shares) == 8 and all(len(s.split()) == 59 for s in shares)
    info = inspect(sheet(THREE_GROUPS, shares, 3, 2))
    assert (info.group, info.index, info.threshold) == (3, 2, 3)
    assert (info.group_threshold, info.group_count, info.secret_bytes) == (2, 3, 64)
    board = [sheet(THREE_GROUPS, shares, 1, m) for m in (1, 3)]
    hal = sheet(THREE_GROUPS, shares, 2, 1)
    ops = [sheet(THREE_GROUPS, shares, 3, m) for m in (1, 2, 4)]
    assert combine([*board, hal]) == component
    assert combine([hal, *ops]) == component
    assert combine([*ops, sheet(THREE_GROUPS, shares, 3, 3), *board]) == component  # extra
    assert combine([*board, hal, ops[0]]) == component  # a partial group alongside
    with pytest.raises(ShareError, match="1 more needed") as err:
        combine([*board, *ops[:2]])
    assert err.value.code == "too_few"


@pytest.mark.parametrize("size", [16, 32])
def test_short_components_in_groups(size: int) -> None:
    component, shares = make(THREE_GROUPS, seed=size, size=size)
    assert {len(s.split()) for s in shares} == {20 if size == 16 else 33}
    assert combine([shares[0], shares[1], shares[3]]) == component


@st.composite
def policies(draw: st.DrawFn) -> SharePolicy:
    """1-16 groups; each of 1-4 members with a threshold from 1 to n (1 only for a group of one)."""
    count = draw(st.integers(1, 16))
    groups = []
    for g in range(count):
        n = draw(st.integers(1, 4))
        t = 1 if n == 1 else draw(st.integers(2, n))
        groups.append(Group(f"G{g}", tuple(f"P{g}.{m}" for m in range(n)), t))
    return SharePolicy(tuple(groups), draw(st.integers(1, count)))


@settings(max_examples=25, deadline=None)
@given(policy=policies(), data=st.data())
def test_qualifying_subsets_rebuild_and_others_refuse(
    policy: SharePolicy, data: st.DataObject
) -> None:
    seed = data.draw(st.integers(0, 2**32))
    component, shares = make(policy, seed=seed, size=data.draw(st.sampled_from([16, 32, 64])))
    rng = random.Random(seed)
    numbers = list(range(1, len(policy.groups) + 1))

    def members(g: int, k: int) -> list[str]:
        picked = rng.sample(range(1, len(policy.groups[g - 1].members) + 1), k)
        return [sheet(policy, shares, g, m) for m in picked]

    # qualifying: at least G complete groups (any threshold-or-more of each), in any order
    chosen = rng.sample(numbers, rng.randint(policy.group_threshold, len(numbers)))
    good = []
    for g in chosen:
        group = policy.groups[g - 1]
        good += members(g, rng.randint(group.threshold, len(group.members)))
    rng.shuffle(good)
    assert combine(good) == component
    # not qualifying: G - 1 complete groups, every other group one share short
    complete = rng.sample(numbers, policy.group_threshold - 1)
    bad = [s for g in complete for s in members(g, policy.groups[g - 1].threshold)]
    for g in set(numbers) - set(complete):
        bad += members(g, policy.groups[g - 1].threshold - 1)
    rng.shuffle(bad)
    if bad:
        with pytest.raises(ShareError) as err:
            combine(bad)
        assert err.value.code == "too_few"


@pytest.mark.parametrize("t,n", [(1, 2), (1, 16), (0, 3), (5, 4)])
def test_impossible_group_thresholds_refused(t: int, n: int) -> None:
    policy = SharePolicy((Group("A", tuple(f"a{i}" for i in range(n)), t), LEGAL), 1)
    with pytest.raises(CeremonyError):
        split_policy(Secret(bytes(64)), policy)


def test_sixteen_groups_of_sixteen() -> None:
    groups = tuple(Group(f"G{g}", tuple(f"P{g}.{m}" for m in range(16)), 9) for g in range(16))
    policy = SharePolicy(groups, 16)
    component, shares = make(policy, seed=3, size=16)
    assert len(shares) == 256
    picked = [sheet(policy, shares, g, m) for g in range(1, 17) for m in range(8, 17)]
    assert combine(picked) == component
    with pytest.raises(ShareError):
        combine(picked[1:])


# -- the recovery session ------------------------------------------------------------


def test_session_progress_per_group_and_what_is_missing() -> None:
    component, shares = make(THREE_GROUPS, seed=5)
    s = RecoverySession(policy=THREE_GROUPS)
    out = s.add(sheet(THREE_GROUPS, shares, 1, 3))
    assert out.accepted and out.index == 3
    assert out.message.startswith("Board share 3 accepted.")
    assert s.missing_text() == (
        "Still needed: 2 more complete groups, from Board: 1 more of Ann or Ben; "
        "or Legal: 1 more of Hal; or Ops: 3 more of Dan, Eve, Fay or Gus."
    )
    s.add(sheet(THREE_GROUPS, shares, 1, 1))
    assert s.progress_text() == (
        "Board: 2 of 2 ✓ · Legal: 0 of 1 · Ops: 0 of 3 · 1 more group needed"
    )
    with pytest.raises(ShareError, match="Not enough complete groups") as err:
        s.recover()
    assert err.value.code == "too_few"
    s.add(sheet(THREE_GROUPS, shares, 3, 2))
    st_ = s.state()
    assert not st_.complete and st_.grouped and st_.indices == (1, 3, 6)
    assert st_.shares == ((1, 1), (1, 3), (3, 2))
    s.add(sheet(THREE_GROUPS, shares, 2, 1))
    assert s.state().complete
    assert s.progress_text().endswith("enough groups to rebuild the key")
    assert s.recover() == component


def test_session_without_policy_uses_group_numbers() -> None:
    _, shares = make(THREE_GROUPS, seed=6)
    s = RecoverySession()
    s.add(shares[0])
    assert s.progress_text() == "Group 1: 1 of 2 · Group 2: 0 entered · Group 3: 0 entered · " + (
        "2 more groups needed"
    )


def test_session_refusals_keep_the_good_shares() -> None:
    component, shares = make(THREE_GROUPS, seed=7)
    _, other = make(THREE_GROUPS, seed=8)
    # same identifier (same first random bytes), other group layout: mixed parameters
    _, mixed = make(SharePolicy((BOARD, LEGAL), 1), seed=7)
    assert inspect(mixed[0]).set_id == inspect(shares[0]).set_id
    s = RecoverySession(policy=THREE_GROUPS)
    assert s.add(shares[0]).accepted
    refused = {
        "other_set": s.add(other[1]),
        "duplicate": s.add(shares[0]),
        "mixed_parameters": s.add(mixed[1]),
    }
    s.add(shares[1])
    refused["group_full"] = s.add(shares[2])
    for code, out in refused.items():
        assert not out.accepted and out.code == code, (code, out.message)
        assert out.message.count(". ") <= 1  # one plain sentence (two at most, with the fix)
    assert "another set" in refused["other_set"].message
    assert refused["duplicate"].message == "Board share 1 has already been entered."
    assert refused["group_full"].message.startswith("Board already has the 2 shares it needs")
    assert s.state().shares == ((1, 1), (1, 2))
    s.add(shares[3])
    assert s.recover() == component
    late = s.add(shares[4])
    assert late.code == "not_needed"


def test_session_member_threshold_disagreement_within_group() -> None:
    policy_a = SharePolicy((BOARD, LEGAL), 2)
    policy_b = SharePolicy((Group("Board", ("Ann", "Ben", "Cat"), 3), LEGAL), 2)
    _, a = make(policy_a, seed=9)
    _, b = make(policy_b, seed=9)
    s = RecoverySession()
    s.add(a[0])
    out = s.add(b[1])
    assert out.code == "threshold_mismatch" and "its group say 2" in out.message


# -- every official vector through the session; a grouped rehearsal; re-share records ----


@pytest.mark.parametrize("description,mnemonics,secret_hex", slip39_vectors(), ids=lambda x: "")
def test_every_vector_through_the_session(
    description: str, mnemonics: list[str], secret_hex: str
) -> None:
    s = RecoverySession(passphrase=b"TREZOR")
    outcomes = [s.add(m) for m in mnemonics]
    if secret_hex:
        assert all(o.accepted for o in outcomes), description
        with s.recover() as secret:
            assert secret.reveal().hex() == secret_hex
        return
    refused = [o for o in outcomes if not o.accepted]
    if refused:  # a bad share is refused on entry, in one sentence, and the others stay
        assert all(o.message.endswith((".", "?")) for o in refused)
        assert len(s.state().shares) == len(mnemonics) - len(refused)
    else:
        with pytest.raises(ShareError):
            s.recover()


def test_grouped_rehearsal_prints_groups_and_rebuilds(tmp_path: Path) -> None:
    plan = RehearsalPlan(groups=THREE_GROUPS.groups, group_threshold=2, paper="letter")
    result = run_rehearsal(
        tmp_path / "r", plan, environment=(), random_bytes=random.Random(3).randbytes
    )
    assert len(result.checked_subsets) >= 4
    text = all_text(result.record.read_bytes())
    assert "Groups" in text and "any 2 of the 3 groups" in " ".join(text.split())
    assert "any 3 of 4" in text and "Ops 4 of 4" in text
    sheets = result.sheets.read_bytes()
    assert page_count(sheets) == 8
    assert "Legal share 1 of 1" in page_text(sheets, 3)


def test_reshare_record_lists_the_old_set_as_revoked() -> None:
    component, legacy = make_set(2, 3, seed=40, scheme="checktick")
    plan = GenesisPlan.with_policy(
        THREE_GROUPS, organisation="Acme", key_version="v2", witness="Wes"
    )
    new = reshare(plan, component, "CER-R", random_bytes=random.Random(4).randbytes)
    assert combine([new.shares[3], new.shares[0], new.shares[1]]) == component
    record = reshare_record(
        new,
        old=SharesUsed("checktick", None, 2, ((1, "Old Ann"), (3, "Old Cat"))),
        ended=datetime(2026, 1, 2, tzinfo=UTC),
    )
    assert record.revoked[0] == (
        "Every CheckTick legacy sheet of the old set (legacy shares carry no set id) of key "
        "version v2: revoked, destroy it."
    )
    assert "Old shares used today: 1, 3" in record.revoked[1]
    text = " ".join(all_text(render_record(record)).split())
    assert "Revoked shares" in text and "revoked, destroy it" in text
    assert "Board 2 of 3" in text and "any 2 of the 3 groups rebuild the key" in text
