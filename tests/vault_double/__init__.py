"""A Vault stand-in for tests and rehearsals: real HTTP on 127.0.0.1 (shared/vault-api.md)."""

from tests.vault_double.faults import Fault, FaultKind
from tests.vault_double.server import Logged, VaultDouble

__all__ = ["Fault", "FaultKind", "Logged", "VaultDouble"]
