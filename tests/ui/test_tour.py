"""`ceremony --screenshot-tour DIR` saves one picture per page of every wizard."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ui.app import main

PAGES = 2 + 14 + 13 + 13 + 12 + 4 + 2  # home twice, five wizards, two extra states


def test_the_tour_saves_every_page(tmp_path: Path) -> None:
    out = tmp_path / "tour"
    assert main(["--screenshot-tour", str(out)]) == 0
    pictures = sorted(out.glob("*.png"))
    assert len(pictures) == PAGES
    titles = [p.stem for p in pictures]
    assert "03-genesis-step-1-of-14-who-is-here-and-what-we-make" in titles
    assert any("step-10-of-14-read-every-sheet-back" in t for t in titles)
    for picture in pictures:
        with Image.open(picture) as image:
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
            assert len(colours) > 10, f"{picture.name} is blank"
