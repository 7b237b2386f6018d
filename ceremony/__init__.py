"""Custodian Ceremony: the offline half of a platform master key, handled on paper."""

__all__ = ["__version__"]

__version__ = "0.1.0"
