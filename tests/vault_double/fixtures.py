"""Pytest fixtures: a fresh double on a free port, per test.

Import into a test module with ``from tests.vault_double.fixtures import vault_double``.
"""

from __future__ import annotations

from collections.abc import Iterator

import hvac
import pytest

from tests.vault_double.server import VaultDouble

ROOT_TOKEN = "root-token-for-tests"


@pytest.fixture
def vault_double() -> Iterator[VaultDouble]:
    double = VaultDouble(ROOT_TOKEN).start()
    try:
        yield double
    finally:
        double.stop()


def hvac_client(double: VaultDouble, token: str | None = None, timeout: float = 5) -> hvac.Client:
    return hvac.Client(url=double.url, token=token or double.root_token, timeout=timeout)
