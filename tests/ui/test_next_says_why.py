"""A disabled Next always shows its reason next to it: every page of every wizard, in every
state that holds Next back (a worker running, nothing typed yet, each refusal), says what it
waits for in its own words, whole, beside Next and on screen, with the window sized to a
1024x700 screen and to a 1366x768 one at 150 %, on a real X server with no window manager."""

from __future__ import annotations

import pytest

from tests.ui.xserver import run, xvfb
from ui.pages.base import Page

SCREENS = {"1024x700": ("1024x700x24", "1"), "1366x768 at 150%": ("1366x768x24", "1.5")}
# Every state the walk must have seen Next held back in, with the words its reason says.
MUST_SEE = (
    "'Checking this computer… wait a moment.'",
    "because a network is up",
    "Type the custodians, one a line",
    "The threshold must be between 2",
    "cannot be a witness",
    "Type, scan or read the request",
    "does not check out",
    "same four check words",
    "Making the key and the shares…",
    "complete and legible?",
    "still to print",
    "every sheet is read back",
    "is typed twice",
    "Type the bag serials the last record lists",
    "No share is in yet",
    "Next opens after 1 more share.",
    "Rebuilding the key from the shares…",
    "The fingerprint does not match",
    "Type the 12-character custodian fingerprint",
    "Checking the rebuilt key against the request…",
    "Tick the box above",
    "Still to tick 'I agree'",
    "Type the witness's name.",
    "Sealing the answer…",
    "Get the answer out first",
    "Print the record, or save it",
    "Type your name first.",
    "Type your share, or read its QR code. 20 of 59 words entered.",
)


@pytest.mark.xvfb
@pytest.mark.parametrize("size", list(SCREENS))
def test_a_disabled_next_always_says_why_beside_it(size: str) -> None:
    geometry, scale = SCREENS[size]
    with xvfb(geometry) as display:
        done = run(display, "tests.ui.next_reason_check", [], scale=scale, timeout=900)
    lines = done.stdout.splitlines()
    bad = [line for line in lines if not line.startswith("OK ")]
    assert bad == [], "\n".join(bad) + done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
    reached = [line for line in lines if " reached " in line and line.endswith("Done")]
    assert len(reached) == 6, "\n".join(lines)  # genesis, recovery, adopt, drill, re-share, one
    held = [line for line in lines if "Next enabled" not in line and " reached " not in line]
    unseen = [words for words in MUST_SEE if not any(words in line for line in held)]
    assert unseen == [], f"states the walk never reached: {unseen}"


def test_every_page_that_can_hold_next_back_says_why_in_its_own_words() -> None:
    """A page that can be incomplete says what it waits for; one with a worker says what the
    worker does. (The walk above shows the words; this keeps a new page from forgetting.)"""
    import importlib
    import pkgutil

    import ui.pages

    for info in pkgutil.iter_modules(ui.pages.__path__):
        importlib.import_module(f"ui.pages.{info.name}")
    pages = [p for p in _subclasses(Page) if p.__module__.startswith("ui.pages.")]
    assert len(pages) >= 20
    for page in pages:
        if page.is_complete is not Page.is_complete:
            assert page.waiting_for is not Page.waiting_for, page.__name__
        if page.busy is not Page.busy:
            assert page.busy_text is not Page.busy_text, page.__name__


def _subclasses(cls: type[Page]) -> list[type[Page]]:
    found: list[type[Page]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
