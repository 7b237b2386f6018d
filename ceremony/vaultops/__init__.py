"""The online side: an hvac client and the one-shot, exactly-once apply (docs/protocol.md).

``ceremony vault`` (``ceremony/cli/vault_commands.py``) is a thin layer over this.
"""

from ceremony.operations.escrow import CHECKTICK_PBKDF2_ITERATIONS
from ceremony.vaultops.admin import (
    AUDITOR_POLICY_NAME,
    INSTALL_POLICY,
    INSTALL_POLICY_NAME,
    OPERATOR_POLICY,
    POLICY_NAME,
    Status,
    audit_entries,
    drill_warnings,
    setup,
    status,
)
from ceremony.vaultops.apply import (
    DEFAULT_WRAP_TTL,
    MAX_WRAP_TTL,
    ApplyResult,
    apply_bundle,
    check_export_key,
)
from ceremony.vaultops.client import VaultClient, connect
from ceremony.vaultops.config import VaultConfig
from ceremony.vaultops.evidence import DrillDue
from ceremony.vaultops.release import DEFAULT_WAIT
from ceremony.vaultops.requesting import (
    DEFAULT_REQUEST_TTL,
    create_request,
    load_request,
    registration,
)

__all__ = [
    "AUDITOR_POLICY_NAME",
    "CHECKTICK_PBKDF2_ITERATIONS",
    "DEFAULT_REQUEST_TTL",
    "DEFAULT_WAIT",
    "DEFAULT_WRAP_TTL",
    "INSTALL_POLICY",
    "INSTALL_POLICY_NAME",
    "MAX_WRAP_TTL",
    "OPERATOR_POLICY",
    "POLICY_NAME",
    "ApplyResult",
    "DrillDue",
    "Status",
    "VaultClient",
    "VaultConfig",
    "apply_bundle",
    "audit_entries",
    "check_export_key",
    "connect",
    "create_request",
    "drill_warnings",
    "load_request",
    "registration",
    "setup",
    "status",
]
