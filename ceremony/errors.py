"""One small exception hierarchy. Every message is written for a custodian to act on.

Messages never contain secret material: no component bytes, no share words.
"""

from __future__ import annotations

__all__ = [
    "BundleError",
    "CeremonyError",
    "EnvironmentRefused",
    "GapError",
    "PaperError",
    "PrintError",
    "RequestCodeError",
    "ShareError",
    "VaultError",
]


class CeremonyError(Exception):
    """Base class. ``str(err)`` is a complete sentence a custodian can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ShareError(CeremonyError):
    """A share could not be read or does not belong with the others."""

    def __init__(self, message: str, *, code: str = "invalid", suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.code = code
        self.suggestions = suggestions


class PaperError(CeremonyError):
    """A PDF could not be produced."""


class PrintError(CeremonyError):
    """The print service refused or lost a job."""


class GapError(CeremonyError):
    """Something that crosses the air gap is malformed or not acceptable.

    ``code`` names the reason for scripts and tests (for example ``expired``,
    ``signature``, ``typo``); the message is for people.
    """

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


class RequestCodeError(GapError):
    """A request code is malformed, mistyped, expired or for something else."""


class BundleError(GapError):
    """A sealed bundle is malformed, tampered with, expired or not ours."""


class VaultError(CeremonyError):
    """Vault refused, is unreachable, or holds something unexpected.

    ``code`` names the reason for scripts and tests (for example ``sealed``,
    ``timeout``, ``replay``); the message is for people.
    """

    def __init__(self, message: str, *, code: str = "vault") -> None:
        super().__init__(message)
        self.code = code


class EnvironmentRefused(CeremonyError):
    """The machine is not fit for a real ceremony (for example a network is up)."""
