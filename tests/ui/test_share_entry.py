"""The share entry: a grid like the paper, completion, privacy, legacy shares, QR, no copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPushButton

from ceremony import keys
from ceremony.shares import split
from tests.secret_formats import secret_texts
from tests.ui.driver import TIMEOUT_MS, focus_of, type_share
from ui.widgets.share_entry import SHARE_WORDS, ShareEntry


def _entry(qtbot: Any) -> ShareEntry:
    entry = ShareEntry(camera=False)
    qtbot.addWidget(entry)
    entry.show()
    return entry


def _share() -> str:
    with keys.new_component() as component:
        return split(component, 2, 3)[0]


def test_the_grid_reads_down_four_columns_like_the_sheet(qtbot: Any) -> None:
    entry = _entry(qtbot)
    assert SHARE_WORDS == 59 and len(entry.grid.cells) == 59
    layout = entry.grid.layout_grid
    place = {}
    for i in range(layout.count()):
        row, column, _rs, _cs = cast("tuple[int, int, int, int]", layout.getItemPosition(i))
        place[i] = (row, column)
    assert place[0] == (0, 0) and place[14] == (14, 0)  # word 15 ends the first column
    assert place[15] == (0, 1) and place[58] == (13, 3)
    assert max(c for _r, c in place.values()) == 3


def test_four_letters_complete_a_word_and_the_focus_moves_on(qtbot: Any) -> None:
    entry = _entry(qtbot)
    entry.grid.focus_cell(0)
    qtbot.keyClicks(focus_of(entry), "acad")
    assert entry.grid.cells[0].text() == "academic"
    assert focus_of(entry) is entry.grid.cells[1]  # no space needed
    qtbot.keyClicks(focus_of(entry), "zzzz")
    qtbot.keyClick(focus_of(entry), Qt.Key.Key_Space)  # a non-word moves on only by Space
    assert "Word 2 is not in the SLIP-39 word list" in entry.status.text()
    assert entry.grid.cells[1].property("suspect") is True
    assert not entry.grid.cells[0].property("suspect")


def test_a_typed_share_shows_its_checksum_and_info(qtbot: Any) -> None:
    entry = _entry(qtbot)
    share = _share()
    assert type_share(qtbot, entry, share) == 4 * SHARE_WORDS
    info = entry.info()
    assert info is not None and info.index == 1 and info.threshold == 2
    assert entry.status.text().startswith("Checksum correct")
    assert entry.text() == share


def test_any_word_can_be_clicked_and_retyped(qtbot: Any) -> None:
    entry = _entry(qtbot)
    share = _share()
    words = share.split()
    wrong = "academic" if words[30] != "academic" else "acid"
    entry.set_text(" ".join([*words[:30], wrong, *words[31:]]))
    assert entry.info() is None and "checksum" in entry.status.text().lower()
    cell = entry.grid.cells[30]
    qtbot.mouseClick(cell, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(cell, words[30][:4])  # the first letter replaces the old word
    assert entry.info() is not None and entry.text() == share


def test_backspace_in_an_empty_cell_goes_back_and_clear_empties_all(qtbot: Any) -> None:
    entry = _entry(qtbot)
    entry.grid.focus_cell(0)
    qtbot.keyClicks(focus_of(entry), "acad")
    qtbot.keyClicks(focus_of(entry), "acid")
    assert focus_of(entry) is entry.grid.cells[2]
    qtbot.keyClick(focus_of(entry), Qt.Key.Key_Backspace)
    assert focus_of(entry) is entry.grid.cells[1]
    qtbot.mouseClick(entry.clear_button, Qt.MouseButton.LeftButton)
    assert entry.text() == "" and focus_of(entry) is entry.grid.cells[0]


def test_privacy_mode_hides_the_words_and_shows_one_on_request(qtbot: Any) -> None:
    entry = _entry(qtbot)
    share = _share()
    assert entry.privacy.isChecked()  # hidden from the start
    entry.set_text(share)
    modes = {cell.echoMode() for cell in entry.grid.cells}
    assert modes == {QLineEdit.EchoMode.Password}
    assert entry.hint.text() == ""
    entry.peek_number.setValue(12)
    qtbot.mouseClick(entry.peek_button, Qt.MouseButton.LeftButton)
    shown = [n for n, c in enumerate(entry.grid.cells) if c.echoMode() == QLineEdit.EchoMode.Normal]
    assert shown == [11]


def test_nothing_can_be_copied_out(qtbot: Any) -> None:
    entry = _entry(qtbot)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("untouched")
    entry.set_text(_share())
    for cell in (entry.grid.cells[0], entry.grid.cells[40]):
        cell.selectAll()
        assert not cell.hasSelectedText()
        qtbot.keyClick(cell, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(cell, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
        assert cell.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert clipboard.text() == "untouched"


def test_no_share_is_ever_taken_from_the_clipboard(qtbot: Any) -> None:
    """Secrets never pass through the clipboard: nothing here reads it, by button or by key."""
    entry = _entry(qtbot)
    share = _share()
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(share)
    buttons = entry.findChildren(QPushButton)
    assert buttons and not any("paste" in b.text().lower() for b in buttons)
    assert not hasattr(entry, "paste")
    for cell in (entry.grid.cells[0], entry.grid.cells[30]):
        cell.setFocus()
        qtbot.keyClick(cell, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(cell, Qt.Key.Key_Insert, Qt.KeyboardModifier.ShiftModifier)
        qtbot.mouseClick(cell, Qt.MouseButton.MiddleButton)
    assert not any(entry.grid.tokens())
    entry.legacy.setChecked(True)
    legacy = secret_texts()["legacy share"]
    clipboard.setText(legacy)
    qtbot.keyClick(entry.field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(entry.field, Qt.Key.Key_Insert, Qt.KeyboardModifier.ShiftModifier)
    assert entry.field.text() == "" and entry.info() is None
    assert clipboard.text() == legacy  # untouched: read by nothing, cleared by nothing


def test_a_legacy_share_goes_in_one_line(qtbot: Any) -> None:
    entry = _entry(qtbot)
    with keys.new_component() as component:
        legacy = split(component, 2, 3, scheme="checktick")[1]
    entry.set_text(legacy)
    info = entry.info()
    assert info is not None and info.scheme == "checktick" and info.index == 2
    assert entry.is_legacy() and entry.field.isVisible() and not entry.grid.isVisible()


def test_a_share_from_a_qr_picture(qtbot: Any, tmp_path: Path) -> None:
    entry = _entry(qtbot)
    share = _share()
    picture = tmp_path / "share.png"
    qrcode.make(share, error_correction=qrcode.constants.ERROR_CORRECT_M).save(picture)
    entry.load_qr_image(picture)
    qtbot.waitUntil(lambda: entry.info() is not None, timeout=TIMEOUT_MS)
    assert entry.text() == share and entry.source() == "QR scanned"


def test_a_picture_without_a_qr_code_is_explained(qtbot: Any, tmp_path: Path) -> None:
    from PIL import Image

    entry = _entry(qtbot)
    picture = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(picture)
    entry.load_qr_image(picture)
    qtbot.waitUntil(lambda: not entry.reading(), timeout=TIMEOUT_MS)
    assert "No QR code was found" in entry.status.text()
