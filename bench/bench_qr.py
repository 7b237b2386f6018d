"""Share QRs against a poor webcam: the lowest resolution at which every sheet still decodes.

Each sheet is rendered at a given dpi, then degraded as a fixed-focus laptop
webcam at arm's length sees it (1 px Gaussian blur, 5° tilt, JPEG quality 50),
and read by zxing-cpp and by zbar (``zbarimg``). The floor is the lowest dpi,
in steps of 5 down from 150, at which every sheet decodes with that decoder
(and every higher step did too). Also: the split and combine of a 3-group
policy, and the RS1024 wrong-word correction.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

from bench.timing import median_seconds
from ceremony import keys
from ceremony.paper import SheetData, render_share_sheets
from ceremony.secret import Secret
from ceremony.shares import Group, SharePolicy, canonical, combine, inspect, split, split_policy
from ceremony.shares.slip39 import locate_wrong_word
from tests.pdf_pages import webcam, zbar_texts

Decoder = Callable[[Image.Image], list[str]]


def _sheets(size: int, scheme: str = "slip39", paper: str = "a4") -> tuple[bytes, list[str]]:
    rng = random.Random(size)
    component = Secret(rng.randbytes(size))
    shares = split(component, 3, 4, scheme, random_bytes=rng.randbytes)  # type: ignore[arg-type]
    fp = keys.fingerprint(component, "custodian")
    data = [
        SheetData(
            "Bench Ltd",
            f"Custodian {i}",
            i,
            4,
            3,
            inspect(s).set_id,
            "v1",
            "BENCH-1",
            "2025-03-14",
            fp,
            s,
            scheme,  # type: ignore[arg-type]
        )
        for i, s in enumerate(shares, start=1)
    ]
    return render_share_sheets(data, paper), shares  # type: ignore[arg-type]


def _zxing(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def _decoded(pdf: bytes, shares: list[str], dpi: int, decoder: Decoder) -> int:
    doc = pdfium.PdfDocument(pdf)
    good = 0
    for page, share in enumerate(shares):
        frame = webcam(doc[page].render(scale=dpi / 72).to_pil().convert("L"))
        good += [canonical(t) for t in decoder(frame)] == [share]
    return good


def _floor(pdf: bytes, shares: list[str], decoder: Decoder) -> int | None:
    floor = None
    for dpi in range(150, 29, -5):
        if _decoded(pdf, shares, dpi, decoder) != len(shares):
            break
        floor = dpi
    return floor


def _policy_rows() -> list[dict[str, Any]]:
    policy = SharePolicy(
        (
            Group("Board", ("Ann", "Ben", "Cat"), 2),
            Group("Operations", ("Dan", "Eve", "Fay", "Gus"), 3),
            Group("Legal", ("Hal",), 1),
        ),
        2,
    )
    component = Secret(bytes(range(64)))
    shares = split_policy(component, policy)
    pick = [shares[0], shares[2], shares[7]]
    words = shares[0].split()
    wrong = " ".join([*words[:30], "zero" if words[30] != "zero" else "zone", *words[31:]])
    started = time.perf_counter()
    fix = locate_wrong_word(wrong)  # includes building the lookup tables once
    first = time.perf_counter() - started
    assert fix is not None and fix.position == 31
    return [
        {
            "name": "split, 3-group policy (8 sheets)",
            "value": median_seconds(lambda: split_policy(component, policy), repeat=5) * 1000,
            "unit": "ms",
        },
        {
            "name": "combine, 3-group policy (2 groups)",
            "value": median_seconds(lambda: combine(pick), repeat=5) * 1000,
            "unit": "ms",
        },
        {"name": "locate a wrong word, first call", "value": first * 1000, "unit": "ms"},
        {
            "name": "locate a wrong word (59 words)",
            "value": median_seconds(lambda: locate_wrong_word(wrong), repeat=20) * 1000,
            "unit": "ms",
            "note": "RS1024 syndrome lookup, one table per position",
        },
        {
            "name": "keystrokes per 33-word share (computed)",
            "value": 33 * 4,
            "unit": "keys",
            "kind": "computed",
            "note": "33 words x 4 letters; bench_keys counts real keys for a 59-word share",
        },
    ]


def run() -> list[dict[str, Any]]:
    rows = _policy_rows()
    decoders: list[tuple[str, Decoder]] = [("zxing-cpp", _zxing)]
    if shutil.which("zbarimg"):
        decoders.append(("zbar", zbar_texts))
    for label, size, scheme, paper in (
        ("SLIP-39 59 words", 64, "slip39", "a4"),
        ("SLIP-39 33 words", 32, "slip39", "a4"),
        # the legacy QR is drawn as large as the frame beside the hex lines allows: both papers
        ("legacy 64-byte, A4", 64, "checktick", "a4"),
        ("legacy 32-byte, A4", 32, "checktick", "a4"),
        ("legacy 64-byte, Letter", 64, "checktick", "letter"),
        ("legacy 32-byte, Letter", 32, "checktick", "letter"),
    ):
        pdf, shares = _sheets(size, scheme, paper)
        for name, decoder in decoders:
            at75 = _decoded(pdf, shares, 75, decoder)
            floor = _floor(pdf, shares, decoder)
            rows.append(
                {
                    "name": f"{label}: webcam dpi floor, {name}",
                    "value": float(floor) if floor is not None else float("nan"),
                    "unit": "dpi",
                    "note": f"{at75}/{len(shares)} sheets decode at 75 dpi "
                    "(blur 1 px, 5° tilt, JPEG q50)",
                }
            )
    return rows
