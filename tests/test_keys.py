import hashlib
import hmac
import re

import pytest

from ceremony import keys
from ceremony.secret import Secret, wipe


def counter_bytes(n: int) -> bytes:
    return bytes(range(n))


def test_component_without_entropy_is_the_csprng_output() -> None:
    with keys.new_component(random_bytes=counter_bytes) as c:
        assert c.reveal() == bytes(range(64))


def test_custodian_entropy_changes_the_component_and_is_deterministic() -> None:
    a = keys.new_component(["dice 3 1 4 1 5"], random_bytes=counter_bytes)
    b = keys.new_component(["dice 3 1 4 1 5"], random_bytes=counter_bytes)
    c = keys.new_component(["dice 3 1 4 1 6"], random_bytes=counter_bytes)
    d = keys.new_component([], random_bytes=counter_bytes)
    assert a == b and a != c and a != d
    assert len(a) == 64


def test_entropy_cannot_remove_os_randomness() -> None:
    # Same contributions, different OS randomness: different components.
    first = keys.new_component(["same"], random_bytes=lambda n: b"\x01" * n)
    second = keys.new_component(["same"], random_bytes=lambda n: b"\x02" * n)
    assert first != second


def test_contributions_are_length_prefixed() -> None:
    ab_c = keys.new_component(["ab", "c"], random_bytes=counter_bytes)
    a_bc = keys.new_component(["a", "bc"], random_bytes=counter_bytes)
    assert ab_c != a_bc


def test_fingerprint_format_and_labels() -> None:
    comp = Secret(bytes(64))
    fps = {label: keys.fingerprint(comp, label) for label in ("custodian", "vault", "platform")}
    for fp in fps.values():
        assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", fp)
    assert len(set(fps.values())) == 3


def test_fingerprint_follows_the_design_formula() -> None:
    raw = bytes.fromhex("11" * 64)
    mac = hmac.new(raw, b"checktick-ceremony fingerprint v1 vault", hashlib.sha256).hexdigest()
    expected = "-".join(mac[i : i + 4].upper() for i in (0, 4, 8))
    assert keys.fingerprint(Secret(raw), "vault") == expected


def test_xor_and_platform_fingerprint() -> None:
    custodian = Secret(bytes([1] * 64))
    vault = Secret(bytes([3] * 64))
    with keys.xor(custodian, vault) as platform:
        assert platform.reveal() == bytes([2] * 64)
    fps = keys.fingerprints(custodian, vault)
    assert fps["platform"] == keys.fingerprint(Secret(bytes([2] * 64)), "platform")


def test_export_signing_key_is_derived_and_stable() -> None:
    comp = Secret(bytes(range(64)))
    assert keys.export_signing_public_key(comp) == keys.export_signing_public_key(comp)
    assert keys.export_signing_public_key(comp) != keys.export_signing_public_key(Secret(bytes(64)))


def test_secret_hides_itself_and_wipes() -> None:
    buf = bytearray(b"top secret value")
    s = Secret.take(buf, "demo")
    assert buf == bytearray(len(buf))  # the caller's copy is zeroed
    assert "top" not in repr(s) and "top" not in str(s)
    s.wipe()
    assert s.wiped and "wiped" in repr(s)
    with pytest.raises(ValueError):
        s.reveal()


def test_wipe_zeroes_in_place() -> None:
    buf = bytearray(b"\xff" * 32)
    view = memoryview(buf)
    wipe(buf)
    assert bytes(view) == bytes(32)
