"""Ceremony evidence an auditor can check: roles, the run sheet, bags, check values, transcripts.

Nothing in this package holds a secret. A share's check value is derived from
the share but is safe to print (see docs/protocol.md, "Check values").
"""
