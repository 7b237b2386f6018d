"""The UI's shape: no import cycles in ui/, and a first screen that loads nothing heavy."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UI = REPO / "ui"

HEAVY = (
    "reportlab",
    "ceremony.gap",
    "ceremony.operations.authorize",
    "PySide6.QtMultimedia",
    "qrcode",
)


def _module_imports(path: Path) -> set[str]:
    """ui.* modules imported at module level (not under TYPE_CHECKING, not inside functions)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ui"):
            found.add(node.module)
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if (UI / Path(*candidate.split(".")[1:])).with_suffix(".py").exists():
                    found.add(candidate)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("ui")}
    return found


def test_no_import_cycles_in_ui() -> None:
    graph: dict[str, set[str]] = {}
    for path in UI.rglob("*.py"):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = _module_imports(path)
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            assert state.get(nxt) != 1, " -> ".join([*trail, node, nxt])
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_no_any_typed_view_objects() -> None:
    text = (UI / "context.py").read_text()
    assert ": Any" not in text and "import Any" not in text


def test_the_ui_calls_the_core_without_pass_through_modules() -> None:
    """No services module or adapters between the pages and the typed core."""
    names = {p.name for p in UI.rglob("*.py")}
    assert "services.py" not in names
    assert not [n for n in names if n.endswith("_adapter.py")]
    for path in UI.rglob("*.py"):
        assert "ui.services" not in path.read_text() and "_adapter" not in path.read_text(), path


def test_the_first_screen_loads_nothing_heavy() -> None:
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(sys.argv[:1])\n"
        "from ui.main_window import MainWindow\n"
        "window = MainWindow(rehearsal=True)\n"
        "window.show(); app.processEvents()\n"
        f"print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
        cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
