"""Fixtures shared by the whole suite."""

from tests.cups_support import cups

__all__ = ["cups"]
