"""Request codes and sealed, signed bundles that cross the air gap.

DESIGN.md, "Crossing the air gap". No network code: the online side
(``ceremony.vaultops``) makes requests and applies bundles; the offline side
reads requests and seals bundles. Both use this module.

Request
    A version-1 frame: ``version u8 | body length u16 | body | check 4``, where
    the check is the first 4 bytes of SHA-256 over everything before it. The body
    holds the id (16 random bytes), the operation, created time and lifetime,
    the recipient X25519 public key, the key version and the parameter values
    (names and order are fixed by the operation, see ``OPERATION_PARAMS``). The
    frame is shown three ways:

    - QR payload ``CTREQ1:`` + Crockford base32 of the frame (QR alphanumeric mode);
    - typed code: the same base32 in groups of five plus a check symbol per group
      (see ``ceremony.crockford``), which finds any single mistyped symbol and
      any swap of neighbours and says which group; the frame check covers
      missing, repeated or reordered groups;
    - four check words from the SLIP-39 word list, derived from a hash of the
      frame, shown by both sides so people can compare them aloud.

Bundle
    ``0x89 "CTB" | version u8 | header length u16 | header | ciphertext length u32 |
    ciphertext | Ed25519 signature (64)``. The header is the associated data of
    AES-256-GCM; the key is HKDF-SHA256 over X25519(sender ephemeral, request
    recipient), salt = request id, info binding both public keys. Each key
    seals exactly one message, so the nonce is fixed at zero. The export
    signing key signs a context string and every byte before the signature.
    Written as a file (the bytes), and as one text line that is also the QR
    payload: ``CTBUNDLE1:`` + Crockford base32.

Who is trusted to sign
    ``verify`` and ``recover-escrow`` bundles must be signed by the export key
    registered in Vault. ``install`` and ``adopt`` register that key, so when
    none is registered yet ``verify_bundle(..., trusted_signer=None)`` accepts
    the signer the bundle names: what was signed is then bound to a fresh,
    single-use request the online side created, and the custodian fingerprint
    it registers must be compared with the printed ceremony record. Whenever a
    key is already registered the online side must pass it, for every
    operation, so nobody can replace it with an ``adopt`` of their own.
"""

from ceremony.gap.bundle import (
    BUNDLE_MAGIC,
    BUNDLE_PREFIX,
    BUNDLE_VERSION,
    MAX_BUNDLE_BYTES,
    MAX_PAYLOAD_BYTES,
    Bundle,
    BundleHeader,
    bundle_digest,
    open_bundle,
    parse_bundle,
    seal_bundle,
    verify_bundle,
)
from ceremony.gap.operations import (
    OPERATION_PARAMS,
    OPERATIONS,
    REGISTERING_OPERATIONS,
    Operation,
    describe_operation,
)
from ceremony.gap.request import (
    MAX_LIFETIME,
    MAX_REQUEST_FRAME,
    MAX_REQUEST_TEXT,
    REQUEST_PREFIX,
    REQUEST_VERSION,
    Request,
    new_request,
    parse_request,
)

__all__ = [
    "BUNDLE_MAGIC",
    "BUNDLE_PREFIX",
    "BUNDLE_VERSION",
    "MAX_BUNDLE_BYTES",
    "MAX_LIFETIME",
    "MAX_PAYLOAD_BYTES",
    "MAX_REQUEST_FRAME",
    "MAX_REQUEST_TEXT",
    "OPERATIONS",
    "OPERATION_PARAMS",
    "REGISTERING_OPERATIONS",
    "REQUEST_PREFIX",
    "REQUEST_VERSION",
    "Bundle",
    "BundleHeader",
    "Operation",
    "Request",
    "bundle_digest",
    "describe_operation",
    "new_request",
    "open_bundle",
    "parse_bundle",
    "parse_request",
    "seal_bundle",
    "verify_bundle",
]
