"""VAULT_CACERT and VAULT_TLS_VERIFY against the double serving https."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ceremony.errors import VaultError
from ceremony.vaultops import VaultConfig, connect, status
from tests.vault_double import VaultDouble


def certificate(folder: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_double(tmp_path: Path) -> Iterator[tuple[VaultDouble, Path]]:
    cert, key = certificate(tmp_path, "vault")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    double = VaultDouble("root-token", tls=context).start()
    try:
        yield double, cert
    finally:
        double.stop()


def env(double: VaultDouble, **extra: str) -> dict[str, str]:
    return {"VAULT_ADDR": double.url, "VAULT_TOKEN": "root-token", **extra}


def test_cacert_is_trusted(tls_double: tuple[VaultDouble, Path]) -> None:
    double, cert = tls_double
    assert double.url.startswith("https://")
    client = connect(VaultConfig.from_env(env(double, VAULT_CACERT=str(cert))))
    assert status(client).sealed is False


def test_unknown_certificate_is_one_line(
    tls_double: tuple[VaultDouble, Path], tmp_path: Path
) -> None:
    double, _ = tls_double
    other, _ = certificate(tmp_path, "other")
    client = connect(VaultConfig.from_env(env(double, VAULT_CACERT=str(other))))
    with pytest.raises(VaultError, match="certificate") as err:
        status(client)
    assert err.value.code == "tls" and "\n" not in err.value.message


def test_verification_can_be_turned_off_for_rehearsals(
    tls_double: tuple[VaultDouble, Path],
) -> None:
    double, _ = tls_double
    client = connect(VaultConfig.from_env(env(double, VAULT_TLS_VERIFY="false")))
    assert status(client).sealed is False
