"""Times in Vault's format."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ttl(text: str | int | None, default: int) -> int:
    """Vault durations: plain seconds or a number with s/m/h/d."""
    if text is None or text == "":
        return default
    if isinstance(text, int):
        return text
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip()
    if value[-1:] in units:
        return int(float(value[:-1]) * units[value[-1]])
    return int(value)
