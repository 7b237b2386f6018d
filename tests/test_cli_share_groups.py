"""Every SLIP-39 backup, named groups and 32-byte components through the CLI, as processes."""

import json
from pathlib import Path

import pytest

from ceremony import keys
from tests.cli import run_ceremony
from tests.sharesets import replace_word
from tests.test_share_vectors import legacy_vectors_32, slip39_vectors


def lines(*shares: str) -> str:
    return "\n".join(shares) + "\n"


@pytest.fixture(scope="module")
def trezor_passphrase(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pass") / "passphrase"
    path.write_text("TREZOR\n")
    return path


@pytest.mark.parametrize("description,mnemonics,secret_hex", slip39_vectors(), ids=lambda x: "")
def test_every_official_vector_through_combine(
    description: str, mnemonics: list[str], secret_hex: str, trezor_passphrase: Path
) -> None:
    r = run_ceremony(
        "combine", "--json", "--passphrase-file", str(trezor_passphrase), stdin=lines(*mnemonics)
    )
    assert "Traceback" not in r.stderr
    if secret_hex:
        assert r.returncode == 0, (description, r.stderr)
        out = json.loads(r.stdout)
        secret = bytes.fromhex(secret_hex)
        assert out["component_bytes"] == len(secret)
        assert out["fingerprint"]["custodian"] == keys.fingerprint(secret, "custodian")
        assert secret_hex not in r.stdout
    else:
        assert r.returncode == 2, (description, r.stdout)
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("ceremony: ")
        for m in mnemonics:
            w = m.split()
            assert not any(" ".join(w[i : i + 3]) in r.stderr for i in range(len(w) - 2))


def test_split_groups_then_combine_inspect_and_refusals(tmp_path: Path) -> None:
    out = tmp_path / "groups.txt"
    r = run_ceremony(
        "split",
        "--group-threshold",
        "2",
        "--group",
        "Board=Ann,Ben,Cat:2",
        "--group",
        "Legal=Hal:1",
        "--generate",
        "--component-bytes",
        "32",
        "--shares-out",
        str(out),
        "--json",
    )
    assert r.returncode == 0, r.stderr
    made = json.loads(r.stdout)
    assert made["custodians"] == ["Ann", "Ben", "Cat", "Hal"] and made["group_threshold"] == 2
    assert made["groups"][1] == {"name": "Legal", "members": ["Hal"], "threshold": 1}
    assert made["component_bytes"] == 32
    shares = out.read_text().splitlines()
    assert [len(s.split()) for s in shares] == [33] * 4
    r = run_ceremony("combine", "--json", stdin=lines(shares[3], shares[2], shares[0]))
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["fingerprint"] == made["fingerprint"] and got["component_bytes"] == 32
    assert got["groups"] == [
        {"group": 1, "threshold": 2, "shares": [1, 3]},
        {"group": 2, "threshold": 1, "shares": [1]},
    ]
    # a spare share of a complete group is noted, not fatal
    r = run_ceremony("combine", stdin=lines(*shares))
    assert r.returncode == 0 and "not needed" in r.stderr
    r = run_ceremony("combine", stdin=lines(shares[0], shares[1]))
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "ceremony: Not enough complete groups yet. Still needed: 1 more complete group, "
        "from Group 2 (no share of it yet)."
    )
    r = run_ceremony("inspect-share", "--json", stdin=shares[1] + "\n")
    info = json.loads(r.stdout)
    assert (info["group"], info["index"], info["group_count"], info["words"]) == (1, 2, 2, 33)
    r = run_ceremony("inspect-share", stdin=shares[1] + "\n")
    assert "group 1 of 2, share 2" in r.stdout and "any 2 complete groups" in r.stdout


@pytest.mark.parametrize(
    "flags,message",
    [
        (["--group", "Board=Ann,Ben:2"], "--group-threshold G"),
        (["--group-threshold", "1", "--threshold", "2", "--custodians", "A,B"], "needs at least"),
        (["--group", "Board=Ann,Ben:1", "--group-threshold", "1"], "does not allow 1 of 2"),
        (["--group", "Board Ann", "--group-threshold", "1"], "Name=Member"),
        ([], "Give --threshold and --custodians"),
        (["--group", "B=A,C:2", "--group-threshold", "1", "--format", "checktick"], "no groups"),
    ],
)
def test_group_flags_refused_in_one_sentence(
    flags: list[str], message: str, tmp_path: Path
) -> None:
    r = run_ceremony("split", *flags, "--generate", "--shares-out", str(tmp_path / "s.txt"))
    assert r.returncode == 2 and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "s.txt").exists()


def test_wrong_word_named_with_its_correction_only() -> None:
    vector = next(v for v in slip39_vectors() if v[0].startswith("23."))
    good = vector[1][0]
    w = good.split()
    bad = replace_word(good, 12, "academic" if w[12] != "academic" else "acid")
    r = run_ceremony("combine", stdin=lines(bad, vector[1][1]))
    assert r.returncode == 2
    assert r.stderr.strip() == f"ceremony: Line 1: Word 13 looks wrong; did you mean {w[12]}?"


def test_legacy_32_migrates_to_groups_and_old_sheets_are_listed(tmp_path: Path) -> None:
    vector = legacy_vectors_32()["vectors"][0]
    fp = keys.fingerprint(bytes.fromhex(vector["secret_hex"]), "custodian")
    r = run_ceremony("combine", "--json", stdin=lines(*vector["shares"][: vector["threshold"]]))
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["component_bytes"] == 32 and got["fingerprint"]["custodian"] == fp
    assert "gets them wrong" in got["note"] and "gets them wrong" in r.stderr
    out = tmp_path / "new.txt"
    r = run_ceremony(
        "reshare",
        "--group-threshold",
        "1",
        "--group",
        "Board=Ann,Ben,Cat:2",
        "--group",
        "Legal=Hal:1",
        "--expect-fingerprint",
        fp,
        "--shares-out",
        str(out),
        stdin=lines(*vector["shares"]),
    )
    assert r.returncode == 0, r.stderr
    assert "Destroy the old sheets now: every CheckTick legacy sheet of the old set" in r.stdout
    assert "line 4: Hal (Legal share 1)" in r.stdout
    new = out.read_text().splitlines()
    assert [len(s.split()) for s in new] == [33] * 4
    r = run_ceremony("combine", "--json", "--expect-fingerprint", fp, stdin=lines(new[3]))
    assert r.returncode == 0, r.stderr  # Hal alone: one group of the one needed
    r = run_ceremony(
        "reshare",
        "--threshold",
        "2",
        "--custodians",
        "Eve,Fay",
        "--shares-out",
        str(tmp_path / "again.txt"),
        "--json",
        stdin=lines(new[0], new[2]),
    )
    data = json.loads(r.stdout)
    assert data["revoked"]["set_id"] == data["old"]["set_id"] != data["set_id"]
    assert data["old"]["groups"][0] == {"group": 1, "threshold": 2, "shares": [1, 3]}
