"""Request codes and sealed, signed bundles that cross the air gap.

See docs/design.md, "Crossing the air gap", and docs/protocol.md. No network
code: the online side (``ceremony.vaultops``) makes requests and applies bundles; the offline side
reads requests and seals bundles. Both use this module.

Request (version 2, ``ceremony.gap.request``)
    A frame with a checksum holding the id, operation, times, the recipient
    X25519 key (private half kept in Vault), the key version, parameters, a
    rehearsal flag, what Vault has registered (export key, fingerprints) and,
    for recover-escrow and adopt, contents sealed to the room's session key
    (``ceremony.gap.session``). Shown as a QR payload ``CTREQ2:``, a typed code
    in checked groups and four check words.

Bundle (version 2, ``ceremony.gap.bundle``)
    The answer: sealed to the request's key (X25519 + HKDF-SHA256 + AES-256-GCM,
    header as associated data, a HKDF label distinct from the request's), and
    signed with the export key derived from the custodian component. The signed
    header carries the registration data and the rehearsal mark.

The rule (docs/design.md, "Crossing the air gap"): a request carries, sealed to a
key that exists only for this ceremony, whatever the room needs; an answer
carries only the result the operation exists to release. The custodian
component, the platform key and keys derived from them that open more than
the approved item never leave the room.

Who is trusted to sign
    ``verify`` and ``recover-escrow`` bundles must be signed by the export key
    registered in Vault. ``install`` and ``adopt`` register that key: the online
    side accepts them only with the export key check typed from the printed
    ceremony record (``ceremony vault apply --expect-export-key``), so whoever
    answers a public install request first gains nothing.
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
from ceremony.gap.contents import RequestContents
from ceremony.gap.operations import (
    OPERATION_PARAMS,
    OPERATIONS,
    REGISTERING_OPERATIONS,
    SESSION_OPERATIONS,
    Operation,
    describe_operation,
)
from ceremony.gap.request import (
    MAX_LIFETIME,
    MAX_REQUEST_FRAME,
    MAX_REQUEST_TEXT,
    MAX_SEALED_LIFETIME,
    REQUEST_PREFIX,
    REQUEST_VERSION,
    Registration,
    Request,
    SealedPart,
    new_request,
    open_request,
    parse_request,
)
from ceremony.gap.session import SessionCode, new_session, parse_session_code

__all__ = [
    "BUNDLE_MAGIC",
    "BUNDLE_PREFIX",
    "BUNDLE_VERSION",
    "MAX_BUNDLE_BYTES",
    "MAX_LIFETIME",
    "MAX_PAYLOAD_BYTES",
    "MAX_REQUEST_FRAME",
    "MAX_REQUEST_TEXT",
    "MAX_SEALED_LIFETIME",
    "OPERATIONS",
    "OPERATION_PARAMS",
    "REGISTERING_OPERATIONS",
    "REQUEST_PREFIX",
    "REQUEST_VERSION",
    "SESSION_OPERATIONS",
    "Bundle",
    "BundleHeader",
    "Operation",
    "Registration",
    "Request",
    "RequestContents",
    "SealedPart",
    "SessionCode",
    "bundle_digest",
    "describe_operation",
    "new_request",
    "new_session",
    "open_bundle",
    "open_request",
    "parse_bundle",
    "parse_request",
    "parse_session_code",
    "seal_bundle",
    "verify_bundle",
]
