"""The environment panel: every row says whether it blocks a real ceremony; no '✓ OK' beside
'Not the ceremony live image'; the memory-only folders script is named by its full path."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from ceremony.room.image import read_image_identity
from ceremony.room.network import network_check
from ceremony.room.radios import Radio, radio_check
from ceremony.room.tmpfs import TempLocation, temp_check
from tests.ui.conftest import ETH0_UP, report
from ui.widgets.environment_panel import EnvironmentPanel, blocks_text


@pytest.mark.parametrize("rehearsal", [False, True], ids=["real", "rehearsal"])
def test_every_row_says_whether_it_blocks_a_real_ceremony(
    qtbot: Any, tmp_path: Path, rehearsal: bool
) -> None:
    wifi = Radio("phy0", "wlan", soft_blocked=False, hard_blocked=False, switch="rfkill0")
    disk = TempLocation("print spool", "/var/spool/cups", "ext4")
    _, image = read_image_identity(tmp_path)  # no /etc/ceremony-image: not the live image
    checks = (
        network_check((ETH0_UP,), rehearsal),
        radio_check((wifi,), rehearsal),
        temp_check((disk,), rehearsal),
        image,
        *report(rehearsal, network_up=False).checks[1:],  # the printer row
    )
    panel = EnvironmentPanel()
    qtbot.addWidget(panel)
    panel.show_report(replace(report(rehearsal, network_up=True), checks=checks))
    said = {c.key: panel.findChild(QLabel, f"envBlocks_{c.key}") for c in checks}
    assert all(label is not None for label in said.values())
    blocking = {k for k, label in said.items() if label and label.text() == blocks_text(True)}
    assert blocking == {"network", "radios", "temp_files"}
    assert all(label.text() == blocks_text(False) for k, label in said.items()
               if label and k not in blocking)  # fmt: skip
    assert "Not the ceremony live image" in image.status and image.severity == "warning"
    marks = [label.text() for label in panel.findChildren(QLabel, "envMark_ok")]
    assert len(marks) == 1  # the printer; not the System image row
    script = temp_check((disk,), False).status.split("'sudo sh ")[1].split("'")[0]
    assert Path(script).is_absolute() and Path(script).is_file()
