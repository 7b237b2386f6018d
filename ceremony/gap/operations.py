"""The operations a request can ask for, their parameters, and their plain-words names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, Literal, get_args

from ceremony.errors import GapError

if TYPE_CHECKING:
    from ceremony.gap.wire import Reader

__all__ = [
    "OPERATIONS",
    "OPERATION_PARAMS",
    "OPTIONAL_PARAMS",
    "OP_CODE",
    "PARAM_KEY",
    "PARAM_VALUE",
    "REGISTERING_OPERATIONS",
    "SESSION_OPERATIONS",
    "Operation",
    "check_params",
    "describe_operation",
    "read_operation",
]

Operation = Literal["install", "adopt", "verify", "recover-escrow"]
OPERATIONS: Final[tuple[Operation, ...]] = get_args(Operation)
OP_CODE: Final = {op: i + 1 for i, op in enumerate(OPERATIONS)}
# Parameters each operation needs, and those it may carry besides.
OPERATION_PARAMS: Final[dict[Operation, tuple[str, ...]]] = {
    "install": (),
    "adopt": (),
    "verify": (),
    "recover-escrow": ("survey", "user"),
}
OPTIONAL_PARAMS: Final[dict[Operation, tuple[str, ...]]] = {
    "install": (),
    "adopt": (),
    "verify": (),
    "recover-escrow": ("ticket",),  # CheckTick's recovery ticket, shown to the quorum
}
# The operations that register the export signing key (see verify_bundle).
REGISTERING_OPERATIONS: Final[frozenset[Operation]] = frozenset({"install", "adopt"})
# The operations whose request brings the vault component into the room, sealed to a
# session key that exists only for that ceremony (three crossings).
SESSION_OPERATIONS: Final[frozenset[Operation]] = frozenset({"recover-escrow", "adopt"})

# Parameter values become Vault path segments (users/<u>/surveys/<s>): no slashes, no dots alone.
PARAM_KEY = re.compile(r"[a-z][a-z0-9_]{0,15}")
PARAM_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}")

DESCRIPTIONS: Final[dict[Operation, str]] = {
    "install": "Install a new platform key: Vault keeps its half and registers the export key",
    "adopt": "Adopt an existing key: register its fingerprints and the export key",
    "verify": "Recovery drill: prove the shares still rebuild the key",
    "recover-escrow": "Individual recovery: release the key of survey {survey} for user {user}",
}


def read_operation(reader: Reader) -> Operation:
    """The operation a frame names in its next byte (``OP_CODE``), or the reader's refusal."""
    code = reader.uint(1)
    if not 1 <= code <= len(OPERATIONS):
        raise reader.malformed("its operation is unknown")
    return OPERATIONS[code - 1]


def describe_operation(operation: Operation, params: Mapping[str, str]) -> str:
    """The operation in plain words, as shown on both sides."""
    text = DESCRIPTIONS[operation].format(**params)
    return f"{text} (ticket {params['ticket']})" if params.get("ticket") else text


def check_params(operation: Operation, params: Mapping[str, str], error: type[GapError]) -> None:
    wanted = OPERATION_PARAMS[operation]
    allowed = set(wanted) | set(OPTIONAL_PARAMS[operation])
    if not set(wanted) <= set(params) <= allowed:
        need = ", ".join(wanted) if wanted else "no parameters"
        raise error(f"The {operation} operation takes {need}; got {sorted(params)}.", code="params")
    for key, value in params.items():
        if not PARAM_VALUE.fullmatch(value) or ".." in value:
            raise error(
                f"The {key} {value!r} is not usable: use letters, digits and _ . @ + -.",
                code="params",
            )
