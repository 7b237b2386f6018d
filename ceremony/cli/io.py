"""Reading secrets safely: from stdin or a hidden prompt, never from argv."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from ceremony.errors import CeremonyError, RequestCodeError, ShareError
from ceremony.gap import MAX_REQUEST_TEXT, Request, parse_request
from ceremony.secret import Secret
from ceremony.shares.session import RecoverySession, SessionState

__all__ = ["load_request_argument", "read_passphrase", "read_secret_lines", "recover_component"]


def read_secret_lines(prompt: str = "Enter shares, one per line; an empty line ends") -> list[str]:
    """Non-blank lines from stdin. On a terminal, a hidden prompt per line."""
    if sys.stdin.isatty():
        print(prompt, file=sys.stderr)
        lines: list[str] = []
        while True:
            line = getpass.getpass(f"share {len(lines) + 1}: ")
            if not line.strip():
                break
            lines.append(line.strip())
        return lines
    return [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]


def read_passphrase(prompt_flag: bool, file: str | None, *, confirm: bool = False) -> bytes:
    """The SLIP-39 passphrase: from a hidden prompt, a file, or empty."""
    if prompt_flag and file:
        raise CeremonyError("Give either --passphrase-prompt or --passphrase-file, not both.")
    if file:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except OSError as err:
            raise CeremonyError(
                f"Cannot read the passphrase file {file}: {err.strerror}."
            ) from None
        return text.rstrip("\r\n").encode("utf-8")
    if prompt_flag:
        first = getpass.getpass("SLIP-39 passphrase: ")
        if confirm and getpass.getpass("Repeat the passphrase: ") != first:
            raise CeremonyError("The two passphrases differ. Nothing was written.")
        return first.encode("utf-8")
    return b""


def recover_component(
    passphrase: bytes,
    expected_fingerprint: str | None = None,
    legacy_threshold: int | None = None,
    on_share: Callable[[str], None] | None = None,
) -> tuple[SessionState, Secret]:
    """Rebuild the custodian component from shares on stdin through a recovery session.

    A refused share stops the command with the session's message and its line
    number; a legacy share set aside for disagreeing is reported as a warning.
    ``on_share`` is told each share the session took (for its check value in the journal).
    """
    session = RecoverySession(
        passphrase=passphrase,
        expected_fingerprint=expected_fingerprint,
        legacy_threshold=legacy_threshold,
    )
    try:
        lines = read_secret_lines()
        if not lines:
            raise ShareError("No shares on standard input.", code="too_few")
        for number, line in enumerate(lines, start=1):
            outcome = session.add(line)
            if outcome.code in ("group_full", "not_needed"):  # a spare share: harmless
                print(f"ceremony: note: line {number}: {outcome.message}", file=sys.stderr)
                continue
            if not outcome.accepted:
                raise ShareError(f"Line {number}: {outcome.message}", code=outcome.code)
            if on_share is not None:
                on_share(line)
            if outcome.set_aside:
                print(f"ceremony: warning: {session.state().note}", file=sys.stderr)
        component = session.recover()
        return session.state(), component
    finally:
        session.wipe()


def load_request_argument(value: str) -> Request:
    """A request from a file, if ``value`` names one, else from the code itself."""
    path = Path(value)
    try:
        is_file = len(value) < 4096 and path.is_file()
    except OSError:  # a long typed code is not a file name
        is_file = False
    if is_file:
        try:
            if path.stat().st_size > MAX_REQUEST_TEXT:
                raise RequestCodeError(
                    f"{path} is far too large to be a request file.", code="oversized"
                )
            return parse_request(path.read_bytes())
        except OSError as err:
            raise CeremonyError(f"Cannot read {path}: {err.strerror}.") from None
    return parse_request(value)
