"""The words of the room: one glossary for the screen, the paper and docs/glossary.md.

``docs/glossary.md`` is this list rendered by :func:`markdown` (a test keeps
the two equal), and the app shows the same text under "Words used" (F1).
"""

from __future__ import annotations

__all__ = ["TERMS", "markdown", "meanings_in"]

TERMS: tuple[tuple[str, str], ...] = (
    ("Platform key", "The key that protects the platform's data. It exists only as two "
     "halves: the custodians' half, kept as shares on paper, and Vault's half."),
    ("Custodian component", "The custodians' half of the platform key. It is split into "
     "shares; it never exists whole except in this app's memory during a ceremony."),
    ("Vault component", "The other half of the platform key, kept by Vault. At the new "
     "platform key ceremony it leaves the room only inside the sealed answer."),
    ("Custodian", "A person who keeps one share sheet in a sealed envelope and comes to "
     "ceremonies with it."),
    ("Share", "One custodian's part of the custodian component: 59 words (SLIP-39; 33 for a "
     "32-byte key) or one line of digits (legacy). One share alone reveals nothing."),
    ("Share sheet", "The paper a custodian keeps: their name, the share's words in a "
     "numbered grid read down the columns, its QR code, the set id and the custodian "
     "fingerprint."),
    ("Set id", "Five digits printed on every sheet of one set of shares. Shares of different "
     "sets never combine."),
    ("Threshold", "How many shares of a set rebuild the key, e.g. any 3 of 5."),
    ("Custodian fingerprint", "Twelve characters (e.g. 3F9A-0C1B-77D2) that identify the "
     "custodian component without revealing it. The same on every sheet, on screen and in "
     "the record; custodians type it from their sheet to check a rebuilt key. It is the "
     "first 6 bytes of HMAC-SHA256 keyed with the component, over the text "
     "'checktick-ceremony fingerprint v1 custodian'; the record's appendix prints the "
     "formula."),
    ("Passphrase", "An optional extra word or phrase a set was made with. Every sheet says "
     "whether its set has one. The wrong passphrase rebuilds a different key without error, "
     "which the fingerprint check catches."),
    ("Legacy share", "A CheckTick share of the older format (80<n>-<n>-<hex>). It has no "
     "checksum, so the fingerprint check is the only protection against a typo."),
    ("Request", "What the Vault side asks the custodians to do, brought across the air gap "
     "as a typed code or a QR code."),
    ("Check words", "Four words shown by both sides for the same request. Read aloud, they "
     "prove both sides hold the same request."),
    ("Answer (sealed bundle)", "What the ceremony sends back to Vault: sealed so that only "
     "the requesting Vault side can open it, signed by the rebuilt key. It holds no share."),
    ("Bundle digest", "A SHA-256 value naming one answer exactly. The record lists it, and "
     "the Vault side shows it after reading the answer."),
    ("Export sheet", "The answer printed on paper (QR code and text): a second copy in case "
     "the drive is lost."),
    ("Ceremony record", "The signed paper account of a ceremony: who was there, the checks, "
     "the fingerprints, each sheet printed or saved and how many reprints, revoked sheets. "
     "It holds no secret: a name or note that reads as share words or a key stops it from "
     "printing. Its appendix, 'Recover without this program', says how to rebuild the key "
     "with public tools."),
    ("Recover without this program", "The record's last page: platform key = vault "
     "component XOR custodian component, where Vault keeps its half, the fingerprint "
     "formula, and the commands of the reference SLIP-39 library ('shamir recover' and a "
     "few lines of Python)."),
    ("Rehearsal", "A practice run with a throwaway key. Everything printed is watermarked. "
     "Start it with the Rehearsal switch or `ceremony --rehearsal`."),
    ("Air gap", "The ceremony computer has no network at all. A real ceremony refuses to "
     "start while any network is up."),
    ("Re-share", "Rebuilding the key from old shares and splitting the same key for new "
     "custodians. The old sheets are revoked: they must be destroyed, because they still "
     "rebuild the key."),
    ("Recovery drill", "Proving that the shares still rebuild the key, with Vault's "
     "knowledge, without changing anything."),
    ("Recovery copy", "The copy of one survey's key that CheckTick keeps for an individual "
     "recovery, locked with the platform key. An individual recovery opens it in the room "
     "and releases only that survey's key."),
    ("Saves to disk: not a printer", "A print queue (such as cups-pdf) that writes a file "
     "instead of paper. A real ceremony refuses it: a share on a disk is a copy nobody "
     "agreed to."),
)  # fmt: skip


def meanings_in(text: str) -> str:
    """The glossary's meaning of each term ``text`` uses (e.g. the core's request words),
    one line each, so a page that shows such text also says what it means."""
    lower = text.lower()
    return "\n".join(f"{term}: {meaning}" for term, meaning in TERMS if term.lower() in lower)


def markdown() -> str:
    lines = [
        "# Glossary",
        "",
        "The words the app, the paper and this documentation use, and only these. The app "
        'shows the same list under "Words used" (F1).',
        "",
    ]
    for term, meaning in TERMS:
        lines += [f"**{term}**: {meaning}", ""]
    return "\n".join(lines)
