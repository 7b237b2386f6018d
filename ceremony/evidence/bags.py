"""Which bag each share should be in: typed from the last paper record, or read from its transcript.

Bag serials are not secret, but they are evidence: a serial that differs from
the record means the bag may have been swapped, so that share is not used.
"""

from __future__ import annotations

from ceremony.errors import CeremonyError
from ceremony.evidence.log import check_bag_serial
from ceremony.evidence.verify import verify_transcript

__all__ = ["bag_lines", "bags_from_transcript", "parse_bag_lines"]


def parse_bag_lines(text: str) -> dict[str, str]:
    """Lines ``2 TE-100202`` or ``group 1 member 2: TE-100202`` -> {share: serial}."""
    bags: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if ":" in line:
            share, _, serial = line.partition(":")
        else:
            share, _, serial = line.partition(" ")
        share = " ".join(share.split()).lower()
        if not share or not (share.isdigit() or share.startswith("group ")):
            raise CeremonyError(
                f"Line {number}: start with the share number, then the bag serial "
                "(for example: 2 TE-100202)."
            )
        if share in bags:
            raise CeremonyError(f"Line {number}: share {share} is listed twice.")
        try:
            bags[share] = check_bag_serial(serial)
        except CeremonyError as err:
            raise CeremonyError(f"Line {number}: {err.message}") from None
    return bags


def bag_lines(bags: dict[str, str]) -> str:
    return "\n".join(
        f"{share}: {serial}" if share.startswith("group") else f"{share} {serial}"
        for share, serial in bags.items()
    )


def bags_from_transcript(data: bytes, export_public_key: bytes | None) -> dict[str, str]:
    """The last bag each share went into, from a transcript that verifies in full.

    With the registered export public key (a request carries it) the transcript
    must be signed by it; without one, by the key the file names.
    """
    verdict = verify_transcript(data, public_key=export_public_key)
    failed = [
        f.text
        for f in verdict.findings
        if not f.ok and not (export_public_key is None and f.text.startswith("No trusted key"))
    ]
    if failed:
        raise CeremonyError(f"This transcript does not verify: {failed[0]}")
    evidence = verdict.evidence
    if evidence is None or not evidence.bags_sealed:
        raise CeremonyError("This transcript lists no bags.")
    return {seal.share: seal.serial for seal in evidence.bags_sealed}
