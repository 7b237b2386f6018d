"""The one place the app calls the core for environment, requests, bundles, paper and printing.

Pages never import those core modules directly: they call the functions here,
which import the core lazily and turn its results into small view objects the
pages render. Share logic (splitting, sessions, fingerprints) is called from
the core directly; it has no adapter because its API is settled.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Literal

from ceremony.errors import CeremonyError

if TYPE_CHECKING:  # types only: each is loaded when a page first needs it
    from PIL.Image import Image

    from ceremony.environment import EnvironmentReport
    from ceremony.gap import Bundle, Request
    from ui.context import CeremonyContext

__all__ = [
    "BundleView",
    "Check",
    "EnvironmentView",
    "RequestView",
    "check_environment",
    "decode_qr_image",
    "list_queues",
    "print_pdf",
    "read_request",
    "record_pdf",
    "require_air_gap",
    "seal_bundle",
    "share_sheet_pdf",
]

Status = Literal["ok", "warning", "problem"]


def _core(name: str) -> ModuleType | None:
    """``ceremony.<name>`` if this installation has it."""
    try:
        return importlib.import_module(f"ceremony.{name}")
    except ImportError:
        return None


# -- environment ---------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    text: str  # plain words for a custodian


@dataclass(frozen=True)
class EnvironmentView:
    checks: tuple[Check, ...]
    network_up: bool
    printers: tuple[str, ...] = ()
    camera: bool = False
    raw: EnvironmentReport | None = None  # the core report, passed on to the record
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def lines(self) -> list[str]:
        return [f"{c.name}: {c.text}" for c in self.checks]


def check_environment(rehearsal: bool, cameras: Sequence[str] = ()) -> EnvironmentView:
    """Runs the machine checks (may take a second: call from a worker)."""
    from ui import environment_adapter

    return environment_adapter.check(rehearsal, cameras)


def require_air_gap(env: EnvironmentView, rehearsal: bool) -> str | None:
    """Raises EnvironmentRefused when a real ceremony may not start on this machine."""
    from ui import environment_adapter

    return environment_adapter.require_air_gap(env, rehearsal)


# -- requests and bundles --------------------------------------------------------


@dataclass(frozen=True)
class RequestView:
    request_id: str
    operation: str
    params: dict[str, str]
    key_version: str
    expires_at: datetime | None
    check_words: tuple[str, ...]
    description: str = ""
    expected_fingerprint: str | None = None
    raw: Request | None = None

    def describe(self) -> str:
        return self.description

    def expired(self, now: datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        return (now or datetime.now(UTC)) >= self.expires_at


@dataclass(frozen=True)
class BundleView:
    text: str  # one line, safe to show: the payload is sealed
    qr_payload: str
    data: bytes
    digest: str
    filename: str
    raw: Bundle | None = None  # the core's Bundle, for the record
    export_key_check: str = ""  # install: what the record prints and apply needs


def read_request(text: str) -> RequestView:
    from ui import gap_adapter

    return gap_adapter.read_request(text)


def seal_bundle(context: CeremonyContext) -> BundleView:
    from ui import gap_adapter

    return gap_adapter.seal(context)


# -- paper and printing ----------------------------------------------------------


def share_sheet_pdf(context: CeremonyContext, index: int) -> bytes:
    from ui import paper_adapter

    return paper_adapter.share_sheet(context, index)


def record_pdf(context: CeremonyContext) -> bytes:
    from ui import paper_adapter

    return paper_adapter.record(context)


def list_queues() -> list[str]:
    from ui import paper_adapter

    return paper_adapter.queues()


def print_pdf(pdf: bytes, queue: str, title: str, progress: Callable[[str], None]) -> None:
    from ui import paper_adapter

    paper_adapter.print_pdf(pdf, queue, title, progress)


# -- QR codes from images --------------------------------------------------------------


def decode_qr_image(path: Path) -> str:
    """The text of the first QR code in an image file."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            return decode_qr_pil(img)
    except (OSError, UnidentifiedImageError) as err:
        raise CeremonyError(f"Could not open {path.name} as an image.") from err


def decode_qr_pil(img: Image) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(img.convert("L"))
    if not found:
        raise CeremonyError("No QR code was found in this picture. Try a sharper photo.")
    return str(found[0].text)
