"""VAULT_CACERT and VAULT_TLS_VERIFY against a server serving https: the double with a
certificate made here, and OpenBao's own -dev-tls (its CA and certificate made by the server)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ceremony.errors import VaultError
from ceremony.vaultops import VaultConfig, connect, status
from tests.cli import run_ceremony
from tests.openbao_support import OpenBao
from tests.vault_double import VaultDouble
from tests.vault_support import BACKENDS


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


@dataclass(frozen=True)
class TlsServer:
    url: str
    ca: Path  # the CA that signed the server's certificate


@pytest.fixture(params=BACKENDS)
def tls_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TlsServer]:
    if request.param == "openbao":
        bao = OpenBao(tls_dir=tmp_path / "tls").start()
        assert bao.ca is not None
        try:
            yield TlsServer(bao.url, bao.ca)
        finally:
            bao.stop()
        return
    cert, key = certificate(tmp_path, "vault")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    double = VaultDouble("root-token", tls=context).start()
    try:
        yield TlsServer(double.url, cert)
    finally:
        double.stop()


def env(server: TlsServer, **extra: str) -> dict[str, str]:
    return {"VAULT_ADDR": server.url, "VAULT_TOKEN": "root-token", **extra}


def test_cacert_is_trusted(tls_server: TlsServer) -> None:
    assert tls_server.url.startswith("https://")
    client = connect(VaultConfig.from_env(env(tls_server, VAULT_CACERT=str(tls_server.ca))))
    assert status(client).sealed is False


def test_the_commands_work_over_tls(tls_server: TlsServer) -> None:
    """setup, then status with the operator's token, as processes trusting VAULT_CACERT."""
    trusted = env(tls_server, VAULT_CACERT=str(tls_server.ca))
    done = run_ceremony("vault", "setup", env=trusted)
    assert done.returncode == 0, done.stderr
    shown = run_ceremony("vault", "status", "--json", env=trusted)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["address"] == tls_server.url


def test_unknown_certificate_is_one_line(tls_server: TlsServer, tmp_path: Path) -> None:
    other, _ = certificate(tmp_path, "other")
    client = connect(VaultConfig.from_env(env(tls_server, VAULT_CACERT=str(other))))
    with pytest.raises(VaultError, match="certificate") as err:
        status(client)
    assert err.value.code == "tls" and "\n" not in err.value.message


def test_verification_can_be_turned_off_for_rehearsals(tls_server: TlsServer) -> None:
    client = connect(VaultConfig.from_env(env(tls_server, VAULT_TLS_VERIFY="false")))
    assert status(client).sealed is False
