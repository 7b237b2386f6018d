"""Each ceremony is a list of pages over one CeremonyContext."""
