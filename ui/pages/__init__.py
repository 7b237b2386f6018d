"""Wizard pages, one per module. Each reads and writes the wizard's CeremonyContext."""
