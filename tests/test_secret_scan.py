"""The secret search itself can find what it looks for, so a clean result means something."""

import base64
from pathlib import Path

from ceremony.paper import SheetData, render_share_sheet
from tests.secret_scan import AtRest, SecretNeedles
from tests.sharesets import make_set


def needles_for_a_set() -> tuple[SecretNeedles, bytes, list[str]]:
    component, shares = make_set(2, 3, seed=99)
    needles = SecretNeedles()
    needles.add_component("component", component.reveal())
    for i, share in enumerate(shares):
        needles.add_share(f"share {i + 1}", share)
    return needles, component.reveal(), shares


def test_planted_secrets_are_found_in_every_place(at_rest: AtRest) -> None:
    needles, raw, shares = needles_for_a_set()
    words = shares[1].split()
    plants: dict[Path, bytes | str] = {
        at_rest.home / ".config" / "app.ini": f"last={' '.join(words[10:13]).upper()}",
        at_rest.tmp / "dump.bin": b"\x00" + raw + b"\x00",
        at_rest.work / "notes.txt": base64.b64encode(raw).decode(),
        at_rest.tmp / "hex.txt": raw.hex().upper(),
    }
    for path, content in plants.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    found = at_rest.leftovers(needles)
    assert set(found) == {str(p) for p in plants}
    assert at_rest.leftovers(needles, allowed=list(plants)) == {}


def test_text_inside_compressed_pdf_streams_is_found(at_rest: AtRest) -> None:
    needles, _, shares = needles_for_a_set()
    sheet = SheetData(
        "Org", "Ann", 1, 3, 2, "00001", "v1", "C-1", "2026-11-28", "0000-0000-0000", shares[0]
    )
    pdf = render_share_sheet(sheet)
    assert needles.find_in(pdf) == []  # the raw bytes alone hide it
    (at_rest.tmp / "sheet.pdf").write_bytes(pdf)
    assert any(
        "share 1" in hit for hit in at_rest.leftovers(needles)[str(at_rest.tmp / "sheet.pdf")]
    )
