"""The record's appendix "Recover without this program": the paper alone rebuilds the key.

Years later this program may be gone. The appendix says, with public tools only,
how the two halves combine, where Vault keeps its half, how the sheets rebuild
the custodian half with the reference SLIP-39 library, and how to compute the
fingerprints this record shows. A test follows it literally, from the text of
the printed PDF.
"""

from __future__ import annotations

from typing import Final
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Preformatted, Spacer

from ceremony.keys import FINGERPRINT_PREFIX
from ceremony.paper.fonts import MONO, SANS, SANS_BOLD
from ceremony.paper.layout import mm
from ceremony.paper.model import RecordData
from ceremony.paper.no_secret import checked

__all__ = [
    "APPENDIX_TITLE",
    "SCRIPT_END",
    "SCRIPT_NAME",
    "VAULT_FIELD",
    "VAULT_MOUNT",
    "VAULT_PATH",
    "appendix_flowables",
    "recovery_script",
]

APPENDIX_TITLE: Final = "Appendix: Recover without this program"
SCRIPT_NAME: Final = "recover.py"
SCRIPT_END: Final = "# end of recover.py"
VAULT_MOUNT: Final = "secret"
VAULT_PATH: Final = "platform/master-key"
VAULT_FIELD: Final = "vault_component"

_BODY = ParagraphStyle("appendix", fontName=SANS, fontSize=8.8, leading=11.6, spaceAfter=3)
_H1 = ParagraphStyle("appendix-h1", fontName=SANS_BOLD, fontSize=15, leading=19, spaceAfter=4)
_H2 = ParagraphStyle(
    "appendix-h2", fontName=SANS_BOLD, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2
)
_CODE = ParagraphStyle(
    "appendix-code", fontName=MONO, fontSize=8, leading=10, leftIndent=4 * mm, spaceAfter=4
)

_PREFIX_TEXT: Final = FINGERPRINT_PREFIX.decode("ascii")

# Kept short (a printed line must not wrap) and one level deep: a reader who copies the
# indentation as one space still has a working program.
_SLIP39_LINES: Final = (
    "from shamir_mnemonic import combine_mnemonics",
    "shares = []",
    'while line := input("Share words (Enter when done): "):',
    "    shares.append(line)",
    'passphrase = input("Passphrase (Enter if none): ").encode()',
    "custodian = combine_mnemonics(shares, passphrase)",
)
# CheckTick's legacy shares: Lagrange interpolation at 0 modulo the RFC 3526 group 14 prime.
_LEGACY_LINES: Final = (
    "import math",
    'p = int(input("RFC 3526 group 14 prime, hex: "), 16)',
    "points = []",
    'while line := input("Share (Enter when done): "):',
    '    _, x, y = "".join(line.split()).split("-")',
    "    points.append((int(x), int(y, 16)))",
    "s = 0",
    "for xi, yi in points:",
    "    others = [xj for xj, _ in points if xj != xi]",
    "    num = math.prod(-xj for xj in others) % p",
    "    den = math.prod(xi - xj for xj in others) % p",
    "    s = (s + yi * num * pow(den, -1, p)) % p",
    'size = int(input("Component bytes (64 or 32): "))',
    'custodian = s.to_bytes(size, "big")',
)
_COMMON_HEAD: Final = (
    "import hashlib",
    "import hmac",
    "",
    "def fingerprint(key, label):",
    f'    message = b"{_PREFIX_TEXT}" + label',
    "    mac = hmac.new(key, message, hashlib.sha256).hexdigest()",
    "    h = mac[:12].upper()",
    '    return h[0:4] + "-" + h[4:8] + "-" + h[8:12]',
    "",
)
_COMMON_TAIL: Final = (
    'print("custodian", fingerprint(custodian, b"custodian"))',
    'vault = bytes.fromhex(input("Vault component, hex: "))',
    "platform = bytes(v ^ c for v, c in zip(vault, custodian))",
    'print("vault", fingerprint(vault, b"vault"))',
    'print("platform", fingerprint(platform, b"platform"))',
    "# platform now holds the 64-byte platform key",
    SCRIPT_END,
)


def recovery_script(scheme: str) -> str:
    """The Python lines the appendix prints, for SLIP-39 or legacy shares."""
    body = _SLIP39_LINES if scheme == "slip39" else _LEGACY_LINES
    return "\n".join((*_COMMON_HEAD, *body, *_COMMON_TAIL))


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(checked(text)), style)


def _code(text: str) -> Preformatted:
    return Preformatted(checked(text), _CODE)


def _fingerprint_words(data: RecordData) -> str:
    shown = [
        f"{label} {value}" for label, value in data.fingerprints if label != "export key check"
    ]
    if not shown:
        return "This record shows no fingerprint."
    return "This record shows: " + "; ".join(shown) + ". The rebuilt halves must show the same."


def _halves(data: RecordData) -> list[Flowable]:
    return [
        _p("1. The two halves", _H2),
        _p(
            "The platform key is 64 bytes: the vault component XOR the custodian component, "
            "byte by byte. Each half alone tells nothing about the key."
        ),
        _p(
            "The custodian component is what the share sheets hold; they keep it as "
            + (
                "SLIP-39 shares (SatoshiLabs SLIP-0039)."
                if data.scheme == "slip39"
                else "CheckTick legacy shares (not SLIP-39)."
            )
            + " The vault component is in HashiCorp Vault: KV version 2 mount "
            f"'{VAULT_MOUNT}', path '{VAULT_PATH}', field '{VAULT_FIELD}', written as 128 hex "
            "digits. An operator reads it with:"
        ),
        _code(f"vault kv get -mount={VAULT_MOUNT} -field={VAULT_FIELD} {VAULT_PATH}"),
    ]


def _fingerprint_formula(data: RecordData) -> list[Flowable]:
    return [
        _p("2. Fingerprints", _H2),
        _p(
            "A fingerprint names a key without revealing it. It is HMAC-SHA256 with the "
            "component's bytes as the key and, as the message, the ASCII text "
            f"'{_PREFIX_TEXT}' followed by the label: custodian, vault or platform. Its "
            "first 6 bytes, in upper-case hex, in three groups of four joined by '-'."
        ),
        _p(_fingerprint_words(data)),
    ]


def _slip39_tool(data: RecordData) -> list[Flowable]:
    how_many = (
        f"any {data.threshold} of the {data.count} sheets"
        if not data.groups
        else f"enough sheets for {data.policy_text}"
    )
    return [
        _p("3. The custodian half from the sheets", _H2),
        _p(
            f"Bring {how_many} to a computer that is not and will not be online, with a "
            "witness. Nobody else may see its screen, and nothing is saved to a disk. Install "
            "the reference SLIP-39 library (python-shamir-mnemonic, on PyPI as "
            "shamir-mnemonic) and its command:"
        ),
        _code('pip install "shamir-mnemonic[cli]"\nshamir recover'),
        _p(
            "At 'Enter a recovery share', type one sheet's words on one line, a sheet at a time. "
            "If the sheets say the set HAS a passphrase, run 'shamir recover -p' and type it "
            "when asked. The line 'Your master secret is:' then shows the custodian component "
            "as 128 hex digits."
        ),
    ]


def _legacy_tool() -> list[Flowable]:
    return [
        _p("3. The custodian half from the sheets", _H2),
        _p(
            "Each legacy share reads 80<i>-<x>-<y>, y in hex (leave out the red check letters "
            "of the sheet). The custodian component is the value at 0 of the polynomial through "
            "the points (x, y), by Lagrange interpolation modulo the 2048-bit prime of RFC 3526, "
            "group 14, written big-endian in 64 bytes (32 for key versions after v1). "
            "CheckTick's own share commands rebuild it too; the lines below do the same."
        ),
    ]


def _script(data: RecordData) -> list[Flowable]:
    return [
        _p("4. The same in a few lines of Python", _H2),
        _p(
            f"Type these lines into a file named {SCRIPT_NAME} (on a memory-only folder) and run "
            f"'python3 {SCRIPT_NAME}'. Indent as shown. It asks for the shares"
            + (" and the passphrase" if data.scheme == "slip39" else "")
            + ", then for the vault component, and prints the fingerprints to compare with "
            "this record."
        ),
        _code(recovery_script(data.scheme)),
    ]


def appendix_flowables(data: RecordData) -> list[Flowable]:
    """The appendix, from a new page: nothing secret, and enough to recover with public tools."""
    tool = _slip39_tool(data) if data.scheme == "slip39" else _legacy_tool()
    return [
        PageBreak(),
        _p(APPENDIX_TITLE, _H1),
        _p(
            "If this program is ever lost, these steps rebuild the platform key with public "
            "tools. They print secrets on the screen of the computer that runs them."
        ),
        Spacer(1, 1 * mm),
        *_halves(data),
        *_fingerprint_formula(data),
        *tool,
        KeepTogether(_script(data)),
    ]
