"""Is this laptop fit for a ceremony: network, radios, swap, temporary files, hardening."""
