"""Reusable widgets: share entry, environment panel, banner, QR display."""
