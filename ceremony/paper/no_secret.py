"""The last check before text reaches paper that holds no secret (the record, envelope labels).

Names and notes were checked where they were typed; this is the second line:
a string that reads as share words or a key in any encoding stops the document.
Fingerprints and digests have exact shapes and are checked against them.
"""

from __future__ import annotations

import re
from typing import Final

from ceremony.errors import PaperError
from ceremony.shares.secret_text import SecretTextError, check_not_secret

__all__ = ["checked", "checked_digest", "checked_fingerprint"]

WHERE: Final = "the ceremony record"
_FINGERPRINT: Final = re.compile(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}")
_KEY_CHECK: Final = re.compile(r"[0-9A-Z]{1,6}(?:-[0-9A-Z]{1,6}){1,7}")  # Crockford groups
_SHA256: Final = re.compile(r"[0-9a-f]{64}")


def checked(text: str, *, digests: bool = False, where: str = WHERE) -> str:
    """``text`` itself, or PaperError when it reads as a secret (quoting none of it)."""
    try:
        check_not_secret(text, where, digests=digests)
    except SecretTextError as err:
        raise PaperError(err.message) from None
    return text


def checked_fingerprint(value: str) -> str:
    """A fingerprint (3F9A-0C1B-77D2) or an export key check; nothing longer or other."""
    if _FINGERPRINT.fullmatch(value) or _KEY_CHECK.fullmatch(value):
        return value
    raise PaperError(f"A fingerprint on {WHERE} is not in the form XXXX-XXXX-XXXX; not printed.")


def checked_digest(value: str) -> str:
    """A SHA-256 digest: 64 lower-case hex digits."""
    if _SHA256.fullmatch(value):
        return value
    raise PaperError(f"A bundle digest on {WHERE} is not 64 hex digits; not printed.")
