"""The keyboard always knows where it is, on a real X server at 1366x768 and 150 %, with no
window manager (as the live image runs) and with one (openbox, as on rehearsal desktops): keys
go to whatever window has the input focus."""

from __future__ import annotations

import contextlib

import pytest

from tests.ui.xserver import run, values, window_manager, xvfb

FOCUS = [
    "tab_from_name_to_word_1",
    "glossary_fits",
    "glossary_has_keys",
    "typing_stays_in_glossary",
    "esc_closes_glossary",
    "keys_back_after_esc",
    "f1_closes_glossary",
    "close_button_closes_glossary",
    "save_dialog_had_keys",
    "save_dialog_fits",
    "save_dialog_answered",
    "keys_back_after_save_dialog",
    "typing_after_save_dialog",
    "picture_dialog_had_keys",
    "picture_dialog_fits",
    "keys_back_after_picture_dialog",
]
SHARES = [
    "recovery_tab_from_name_to_word_1",
    "recovery_share_accepted",
    "recovery_focus_on_next_name",
    "recovery_next_name_on_screen",
    *(
        f"readback_{n}_{what}"
        for n in (1, 2)
        for what in ("accepted", "focus_on_word_1", "next_name_on_screen", "word_1_on_screen")
    ),
]

FORGET = [
    "transcript_dialog_had_keys",
    "transcript_dialog_fits",
    "keys_back_after_transcript_dialog",
    "shift_tab_reaches_forget",
    "forget_asks",
    "esc_keeps_one",
    "keys_back_after_forget_question",
    "start_again_asks",
    "esc_keeps_all",
    "keys_back_after_start_again",
    "forgotten_alone",
    "keys_back_after_forgetting",
    "typing_after_forgetting",
]
MODES = {"focus": FOCUS, "shares": SHARES, "forget": FORGET}


@pytest.mark.xvfb
@pytest.mark.parametrize("managed", [False, True], ids=["no window manager", "openbox"])
@pytest.mark.parametrize("mode", list(MODES))
def test_the_keyboard_knows_where_it_is(mode: str, managed: bool) -> None:
    expected = MODES[mode]
    with xvfb("1366x768x24") as display:
        with window_manager(display) if managed else contextlib.nullcontext():
            done = run(display, "tests.ui.keys_check", [mode], scale="1.5")
    seen = values(done.stdout)
    assert seen.get("window_manager") == str(managed), done.stdout  # framed, or not
    assert "failed" not in seen, seen["failed"] + done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
    wrong = [name for name in expected if seen.get(name) != "True"]
    assert wrong == [], f"{wrong}\n{done.stdout}"
    if mode == "focus":  # 768 px at 150 %: 512 px of screen for the glossary and its frame
        assert int(seen["glossary_height"]) <= 512
