"""`ceremony split | combine | inspect-share | reshare` end to end, as processes."""

import json
import stat
from pathlib import Path

import pytest

from ceremony import keys
from tests.cli import run_ceremony, run_split
from tests.sharesets import make_set, replace_word


def swap_word(share: str, position: int) -> str:
    return "academic" if share.split()[position] != "academic" else "acid"


def lines(*shares: str) -> str:
    return "\n\n".join(shares) + "\n"


def test_split_from_stdin_then_combine(tmp_path: Path) -> None:
    component_hex = bytes(range(64)).hex()
    out = tmp_path / "shares.txt"
    r = run_split(3, "Ann,Ben,Cat,Dan", out, "--json", stdin=component_hex + "\n")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert component_hex not in r.stdout + r.stderr
    shares = out.read_text().splitlines()
    assert len(shares) == 4
    r = run_ceremony("combine", "--json", stdin=lines(shares[3], shares[0], shares[1]))
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["scheme"] == "slip39" and result["indices"] == [1, 2, 4]
    assert result["threshold"] == 3 and result["set_id"] == summary["set_id"]
    assert result["fingerprint"]["custodian"] == summary["fingerprint"]["custodian"]
    assert component_hex not in r.stdout


def test_split_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "s.txt"
    out.write_text("keep me")
    r = run_split(2, "A,B", out, "--generate")
    assert r.returncode == 2 and "already exists" in r.stderr
    assert out.read_text() == "keep me"


def test_split_legacy_format_and_passphrase_file(tmp_path: Path) -> None:
    pp = tmp_path / "pp"
    pp.write_text("orchard lantern\n")  # 15 characters: long enough
    out = tmp_path / "s.txt"
    r = run_split(2, "A,B,C", out, "--generate", "--passphrase-file", str(pp), "--json")
    assert r.returncode == 0, r.stderr
    fp = json.loads(r.stdout)["fingerprint"]["custodian"]
    shares = out.read_text().splitlines()
    ok = run_ceremony(
        "combine",
        "--passphrase-file",
        str(pp),
        "--expect-fingerprint",
        fp,
        stdin=lines(*shares[:2]),
    )
    assert ok.returncode == 0 and fp in ok.stdout
    wrong = run_ceremony("combine", "--expect-fingerprint", fp, stdin=lines(*shares[:2]))
    assert wrong.returncode == 2 and "wrong passphrase" in wrong.stderr
    legacy_out = tmp_path / "l.txt"
    r = run_split(2, "A,B,C", legacy_out, "--format", "checktick", "--generate")
    assert r.returncode == 0
    assert all(len(s) >= 262 and s.startswith("80") for s in legacy_out.read_text().split())


@pytest.mark.parametrize(
    "case,expected",
    [
        ("unknown_word", "not in the SLIP-39 word list"),
        ("checksum", "Word 31 looks wrong; did you mean"),
        ("length", "words"),
        ("other_set", "another set"),
        ("duplicate", "already been entered"),
        ("threshold", "any 2"),
        ("too_few", "more needed"),
        ("fingerprint", "not the expected"),
        ("empty", "No shares"),
    ],
)
def test_combine_bad_input(case: str, expected: str) -> None:
    component, shares = make_set(3, 4, seed=21)
    _, other = make_set(3, 4, seed=22)
    _, two = make_set(2, 4, seed=21)
    fp_other = keys.fingerprint(make_set(3, 4, seed=23)[0], "custodian")
    args: list[str] = ["combine"]
    good = shares[:3]
    stdin = {
        "unknown_word": lines(replace_word(good[0], 5, "qwzx"), *good[1:]),
        "checksum": lines(replace_word(good[0], 30, swap_word(good[0], 30)), *good[1:]),
        "length": lines(" ".join(good[0].split()[:40]), *good[1:]),
        "other_set": lines(good[0], other[1], good[2]),
        "duplicate": lines(good[0], good[0], good[1]),
        "threshold": lines(good[0], two[1], good[2]),
        "too_few": lines(*good[:2]),
        "fingerprint": lines(*good),
        "empty": "\n\n",
    }[case]
    if case == "fingerprint":
        args += ["--expect-fingerprint", fp_other]
    r = run_ceremony(*args, stdin=stdin)
    assert r.returncode == 2, r.stdout
    assert expected in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    for share in shares:
        w = share.split()
        for i in range(len(w) - 2):
            assert " ".join(w[i : i + 3]) not in r.stderr


def test_combine_legacy_with_odd_share_and_inspect() -> None:
    component, legacy = make_set(3, 5, seed=31, scheme="checktick")
    r = run_ceremony("combine", "--json", stdin=lines(*legacy))
    assert r.returncode == 0
    assert json.loads(r.stdout)["scheme"] == "checktick"
    bad = list(legacy)
    bad[1] = bad[1][:-4] + ("0000" if bad[1][-4:] != "0000" else "1111")
    r = run_ceremony("combine", stdin=lines(*bad))
    assert r.returncode == 0 and "Share 2 disagreed" in r.stderr
    assert json.loads(run_ceremony("combine", "--json", stdin=lines(*bad)).stdout)["indices"] == [
        1,
        3,
        4,
        5,
    ]
    r = run_ceremony("combine", stdin=lines(*bad[:4]))
    assert r.returncode == 2 and "not clear which" in r.stderr
    r = run_ceremony("inspect-share", "--json", stdin=legacy[3] + "\n")
    info = json.loads(r.stdout)
    assert info["scheme"] == "checktick" and info["index"] == 4 and info["threshold"] is None


def test_inspect_share_needs_no_quorum() -> None:
    _, shares = make_set(3, 4, seed=41)
    r = run_ceremony("inspect-share", "--json", stdin=shares[2] + "\n")
    info = json.loads(r.stdout)
    assert info["scheme"] == "slip39" and info["index"] == 3 and info["threshold"] == 3
    assert info["set_id"] and len(info["set_id"]) == 5
    r = run_ceremony("inspect-share", stdin=shares[2] + "\n")
    assert "SLIP-39, share 3" in r.stdout
    r = run_ceremony("inspect-share", stdin="\n")
    assert r.returncode == 2


def test_reshare_keeps_the_fingerprint(tmp_path: Path) -> None:
    component, legacy = make_set(3, 4, seed=51, scheme="checktick")
    fp = keys.fingerprint(component, "custodian")
    out = tmp_path / "new.txt"
    r = run_ceremony(
        "reshare",
        "--threshold",
        "2",
        "--custodians",
        "Eve,Fay,Gus",
        "--shares-out",
        str(out),
        "--json",
        stdin=lines(*legacy[:3]),
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["fingerprint"]["custodian"] == data["old_fingerprint"]["custodian"] == fp
    assert data["old"]["scheme"] == "checktick" and data["scheme"] == "slip39"
    new = out.read_text().splitlines()
    r = run_ceremony("combine", "--expect-fingerprint", fp, stdin=lines(new[0], new[2]))
    assert r.returncode == 0


def test_no_command_line_secret_options() -> None:
    r = run_ceremony("combine", "--help")
    assert "--share" not in r.stdout and "--component" not in r.stdout
