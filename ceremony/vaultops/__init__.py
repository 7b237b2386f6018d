"""The online side: an hvac client and the one-shot, exactly-once apply (DESIGN.md).

``ceremony vault`` (``ceremony/cli/vault_commands.py``) is a thin layer over this.
"""

from ceremony.vaultops.admin import POLICY, POLICY_NAME, Status, audit_entries, setup, status
from ceremony.vaultops.apply import ApplyResult, apply_bundle
from ceremony.vaultops.client import VaultClient, connect
from ceremony.vaultops.config import VaultConfig
from ceremony.vaultops.escrow import CHECKTICK_PBKDF2_ITERATIONS
from ceremony.vaultops.requesting import create_request, load_request, registration

__all__ = [
    "CHECKTICK_PBKDF2_ITERATIONS",
    "POLICY",
    "POLICY_NAME",
    "ApplyResult",
    "Status",
    "VaultClient",
    "VaultConfig",
    "apply_bundle",
    "audit_entries",
    "connect",
    "create_request",
    "load_request",
    "registration",
    "setup",
    "status",
]
