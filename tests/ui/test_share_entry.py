"""The share entry widget: completion, word marks, privacy, legacy shares, QR pictures, no copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from ceremony import keys
from ceremony.shares import split
from tests.ui.driver import TIMEOUT_MS, type_words
from ui.widgets.share_entry import ShareEntry


def _entry(qtbot: Any) -> ShareEntry:
    entry = ShareEntry(camera=False)
    qtbot.addWidget(entry)
    entry.show()
    return entry


def _share() -> str:
    with keys.new_component() as component:
        return split(component, 2, 3)[0]


def test_four_letters_complete_a_word_and_marks_follow(qtbot: Any) -> None:
    entry = _entry(qtbot)
    qtbot.keyClicks(entry.field, "acad ")
    assert entry.text() == "academic "
    qtbot.keyClicks(entry.field, "zzzz ")
    assert "Word 2 is not in the SLIP-39 word list" in entry.status.text()
    marks = [entry.grid.itemAt(i).widget().objectName() for i in range(entry.grid.count())]
    assert marks == ["wordGood", "wordBad"]


def test_a_typed_share_shows_its_checksum_and_info(qtbot: Any) -> None:
    entry = _entry(qtbot)
    share = _share()
    type_words(qtbot, entry.field, share)
    info = entry.info()
    assert info is not None and info.index == 1 and info.threshold == 2
    assert entry.status.text().startswith("Checksum correct")


def test_a_wrong_word_fails_the_checksum(qtbot: Any) -> None:
    entry = _entry(qtbot)
    words = _share().split()
    printed = words[10]
    words[10] = "academic" if words[10] != "academic" else "acid"
    entry.set_text(" ".join(words))
    assert entry.info() is None
    # the checksum locates the wrong word and proposes the printed one
    assert entry.status.text() == f"Word 11 looks wrong; did you mean {printed}?"


def test_privacy_mode_hides_the_words(qtbot: Any) -> None:
    entry = _entry(qtbot)
    share = _share()
    qtbot.mouseClick(entry.privacy, Qt.MouseButton.LeftButton)
    entry.set_text(share)
    assert entry.field.echoMode() == QLineEdit.EchoMode.Password
    shown = " ".join(entry.grid.itemAt(i).widget().text() for i in range(entry.grid.count()))
    assert share.split()[0] not in shown
    assert entry.hint.text() == ""


def test_nothing_can_be_copied_out(qtbot: Any) -> None:
    entry = _entry(qtbot)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("untouched")
    entry.set_text(_share())
    entry.field.selectAll()
    assert not entry.field.hasSelectedText()
    qtbot.keyClick(entry.field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(entry.field, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == "untouched"
    assert entry.field.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_paste_of_a_whole_share(qtbot: Any) -> None:
    entry = _entry(qtbot)
    share = _share()
    QGuiApplication.clipboard().setText("\n" + share.replace(" ", "\n") + "\n")
    qtbot.mouseClick(entry.paste_button, Qt.MouseButton.LeftButton)
    assert entry.info() is not None
    assert QGuiApplication.clipboard().text() == ""  # the pasted share does not linger there


def test_a_legacy_share_is_accepted(qtbot: Any) -> None:
    entry = _entry(qtbot)
    with keys.new_component() as component:
        legacy = split(component, 2, 3, scheme="checktick")[1]
    entry.set_text(legacy)
    info = entry.info()
    assert info is not None and info.scheme == "checktick" and info.index == 2
    assert entry.grid.count() == 0


def test_a_share_from_a_qr_picture(qtbot: Any, tmp_path: Path) -> None:
    entry = _entry(qtbot)
    share = _share()
    picture = tmp_path / "share.png"
    qrcode.make(share, error_correction=qrcode.constants.ERROR_CORRECT_M).save(picture)
    entry.load_qr_image(picture)
    qtbot.waitUntil(lambda: entry.info() is not None, timeout=TIMEOUT_MS)
    assert entry.text() == share


def test_a_picture_without_a_qr_code_is_explained(qtbot: Any, tmp_path: Path) -> None:
    from PIL import Image

    entry = _entry(qtbot)
    picture = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(picture)
    entry.load_qr_image(picture)
    qtbot.waitUntil(lambda: not entry.reading(), timeout=TIMEOUT_MS)
    assert "No QR code was found" in entry.status.text()
