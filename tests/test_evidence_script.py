"""`ceremony script`: the run sheet numbers steps as the app's step rail does (one list)."""

from __future__ import annotations

import json
from pathlib import Path

from ceremony.evidence.steps import OPERATIONS, steps_for
from tests.cli import run_ceremony
from tests.pdf_pages import all_text


def test_every_operation_prints_its_numbered_script() -> None:
    for operation in OPERATIONS:
        r = run_ceremony("script", "--operation", operation, "--json")
        assert r.returncode == 0, r.stderr
        rows = json.loads(r.stdout)["steps"]
        assert [row["number"] for row in rows] == list(range(1, len(rows) + 1))
        assert [row["step"] for row in rows] == [s.title for s in steps_for(operation)]
        assert all(row["who"] for row in rows)


def test_the_text_script_has_a_witness_box_per_step_and_the_pdf_is_written(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "drill.pdf"
    r = run_ceremony("script", "--operation", "drill", "--pdf", str(pdf))
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stdout.splitlines() if line.rstrip().endswith("[    ]")]
    assert len(lines) == len(steps_for("drill"))
    assert lines[4].split()[0] == "5" and "The bags the last record lists" in lines[4]
    bundle = [s.key for s in steps_for("drill")].index("bundle") + 1
    assert f"The signed transcript is signed at step {bundle}: it holds steps 1 to" in r.stdout
    text = all_text(pdf.read_bytes())
    assert "Run sheet: Recovery drill" in text and "Witness initials" in text
    assert "Each sheet into a new bag" in text
    again = run_ceremony("script", "--operation", "drill", "--pdf", str(pdf))
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = run_ceremony("script", "--operation", "party")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
