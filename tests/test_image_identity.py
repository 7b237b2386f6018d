"""The live image's word code: what a witness reads aloud against the published ISO hash."""

from __future__ import annotations

import hashlib
import importlib.util
import struct
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from shamir_mnemonic.wordlist import WORDLIST as SLIP39

from ceremony.errors import PaperError
from ceremony.paper import EnvironmentRow, render_record
from ceremony.room.image import read_image_identity
from ceremony.room.image_identity import CODE_WORDS, measured_text, packages_text, word_code
from ceremony.room.image_words import IMAGE_WORDS as WORDLIST
from ceremony.shares.secret_text import find_secret
from ceremony.shares.words import resolve
from tests.pdf_pages import all_text
from tests.test_record_no_secret import BASE

MEASURE_ISO = (
    Path(__file__).parent.parent / "image/rootfs/usr/local/lib/ceremony-image/measure_iso.py"
)


def test_the_code_reads_the_first_70_bits_as_seven_words() -> None:
    assert word_code("0" * 64) == " ".join([WORDLIST[0]] * 7)
    assert word_code("f" * 64) == " ".join([WORDLIST[1023]] * 7)
    # 70 bits: word i is bits 10*i .. 10*i+9 counted from the most significant bit.
    digest = "004" + "0" * 61  # bit 9 set: the first word's lowest bit
    assert word_code(digest).split() == [WORDLIST[1]] + [WORDLIST[0]] * 6
    # In the first 72 bits (18 hex digits), bit 70 (the seventh word's lowest) is 1 << 2.
    last = f"{1 << 2:018x}" + "0" * 46
    assert word_code(last).split() == [WORDLIST[0]] * 6 + [WORDLIST[1]]
    beyond = f"{0b11:018x}" + "f" * 46  # bits past the 70th do not count
    assert word_code(beyond) == word_code("0" * 64)


def test_the_code_of_a_real_hash_and_its_spelling() -> None:
    digest = hashlib.sha256(b"ceremony").hexdigest()
    words = word_code(digest).split()
    assert len(words) == CODE_WORDS == 7
    value = int(digest[:18], 16) >> 2  # the first 72 bits, less the last two
    assert [WORDLIST.index(w) for w in words] == [
        (value >> (10 * (6 - i))) & 1023 for i in range(7)
    ]
    assert measured_text(digest) == f"ISO SHA-256 {digest}, words {' '.join(words).upper()}"
    other = hashlib.sha256(b"ceremonz").hexdigest()
    assert word_code(other) != word_code(digest)


@pytest.mark.parametrize("bad", ["", "ab" * 31, "AB" * 32, "g" * 64, "ab" * 33])
def test_only_a_sha256_in_hex_has_a_code(bad: str) -> None:
    with pytest.raises(ValueError, match="not a SHA-256"):
        word_code(bad)


def test_the_packages_note_from_the_image_identity() -> None:
    assert packages_text({}) is None
    assert packages_text({"lock_date": "yesterday"}) is None
    assert packages_text({"lock_date": "2026-12-02", "security_fixes_missing_at_lock": "0"}) == (
        "Debian packages as of 2026-12-02, no security fix missing then"
    )
    one = {"lock_date": "2026-12-02", "security_fixes_missing_at_lock": "1 (zlib1g)"}
    assert packages_text(one) == (
        "Debian packages as of 2026-12-02, 1 security fix missing then (zlib1g)"
    )
    two = {"lock_date": "2026-12-02", "security_fixes_missing_at_lock": "2 (cups, zlib1g)"}
    assert packages_text(two) == (
        "Debian packages as of 2026-12-02, 2 security fixes missing then (cups, zlib1g)"
    )
    unknown = {"lock_date": "2026-12-02", "security_fixes_missing_at_lock": "not recorded"}
    assert packages_text(unknown) == "Debian packages as of 2026-12-02"


def test_the_code_words_share_nothing_with_the_share_words() -> None:
    assert len(WORDLIST) == len(set(WORDLIST)) == 1024
    assert all(w.isascii() and w.isalpha() and w.islower() and len(w) >= 4 for w in WORDLIST)
    assert len({w[:4] for w in WORDLIST}) == 1024  # four letters name a word, as on a share
    slip_prefixes = {w[:4] for w in SLIP39}
    assert not set(WORDLIST) & set(SLIP39)
    assert not {w[:4] for w in WORDLIST} & slip_prefixes
    assert all(resolve(w) is None for w in WORDLIST)
    assert all(set(w) - set("abcdef") for w in WORDLIST)  # no word is hex on its own
    # The whole list in a row, as the record prints a code (capitals) and in lower case.
    assert find_secret(" ".join(WORDLIST).upper()) is None
    assert find_secret(" ".join(WORDLIST)) is None


def _measure_iso() -> ModuleType:
    spec = importlib.util.spec_from_file_location("measure_iso", MEASURE_ISO)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_iso(path: Path) -> None:
    """A medium the boot measurement takes for the image: its volume id and a volume size."""
    pvd = bytearray(2048)
    pvd[0:6] = b"\x01CD001"
    pvd[40:72] = b"CEREMONY_LIVE".ljust(32)
    struct.pack_into("<I", pvd, 80, 20)  # 20 blocks of 2048 bytes
    body = bytes(range(256)) * 8 * 20
    path.write_bytes(body[: 16 * 2048] + bytes(pvd) + body[17 * 2048 :] + b"after the image")


def _live_tree(root: Path, measured: list[str]) -> Path:
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "ceremony-image").write_text(
        "commit=0123456789abcdef0123\nlock_date=2026-12-02\nsecurity_fixes_missing_at_lock=0\n"
    )
    (root / "run").mkdir()
    (root / "run" / "ceremony-image").write_text("\n".join(measured) + "\n")
    (root / "proc").mkdir()
    (root / "proc" / "mounts").write_text(
        "/dev/loop0 /run/live/rootfs/filesystem.squashfs squashfs ro,noatime 0 0\n"
    )
    return root


def test_the_boot_screen_and_the_record_show_the_same_code(tmp_path: Path) -> None:
    measure = _measure_iso()
    medium = tmp_path / "sr0"
    _fake_iso(medium)
    length = measure.image_bytes(medium)
    assert length == 20 * 2048
    digest = measure.sha256(medium, length)
    assert digest == hashlib.sha256(medium.read_bytes()[:length]).hexdigest()
    screen = measure.banner({"commit": "0123456789abcdef0123", "iso_sha256": digest})
    code = word_code(digest).upper()
    assert f"words {code}" in screen

    fields = [f"iso_device={medium}", f"iso_bytes={length}", f"iso_sha256={digest}"]
    check = read_image_identity(_live_tree(tmp_path / "root", fields))[1]
    assert (check.title, check.severity) == ("System image", "ok")
    record = replace(BASE, environment=(EnvironmentRow(check.title, check.status, "ok"),))
    printed = "".join(all_text(render_record(record)).split())  # the PDF wraps lines anywhere
    assert "".join(measured_text(digest).split()) in printed
    assert "".join(f"words {code}".split()) in printed


def test_a_code_of_share_words_would_stop_the_record() -> None:
    """The check the code passes is live: the same row with share words is not printed."""
    digest = hashlib.sha256(b"ceremony image").hexdigest()
    status = f"Ceremony live image, commit 0123456789ab, {measured_text(digest)}"
    row = EnvironmentRow("System image", status)
    render_record(replace(BASE, environment=(row,)))
    value = int(digest[:18], 16) >> 2
    slip_code = " ".join(SLIP39[(value >> (10 * (6 - i))) & 1023] for i in range(7)).upper()
    shares = replace(row, result=status.replace(word_code(digest).upper(), slip_code))
    with pytest.raises(PaperError, match="share words"):
        render_record(replace(BASE, environment=(shares,)))
