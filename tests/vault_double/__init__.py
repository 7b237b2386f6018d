"""A Vault stand-in for tests and rehearsals: real HTTP on 127.0.0.1.

It answers the part of Vault's HTTP API the ceremony uses (docs/design.md, "The online record").
"""

from tests.vault_double.faults import Fault, FaultKind
from tests.vault_double.server import Logged, VaultDouble

__all__ = ["Fault", "FaultKind", "Logged", "VaultDouble"]
