"""The code's shape: no import circles anywhere, layers that point one way, a light first screen.

Every import counts: module level, under ``TYPE_CHECKING`` and inside functions,
read from the source with ``ast`` (``from pkg import sub`` names the submodule).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UI = REPO / "ui"
PACKAGES = ("ceremony", "ui", "testkit")

HEAVY = (
    "reportlab",
    "ceremony.gap",
    "ceremony.operations.authorize",
    "PySide6.QtMultimedia",
    "qrcode",
)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            found[".".join(parts).removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _known(name: str) -> str | None:
    """Our module that ``name`` is or lies in: ``ui.pages.base.Page`` is in ``ui.pages.base``."""
    parts = name.split(".")
    while parts and ".".join(parts) not in MODULES:
        parts.pop()
    return ".".join(parts) if parts else None


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            found = _known(alias.name)
            if found:
                yield found
        return
    base = node.module or ""
    if node.level:  # relative: from the module's package, up level - 1
        package = module.split(".")
        if MODULES[module].name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in MODULES:
            yield submodule  # `from pkg import sub` imports sub (pkg's __init__ runs first)
        else:
            found = _known(base)
            if found:
                yield found


def imports_of(module: str) -> set[str]:
    """Every module of ours that ``module`` imports, wherever the import statement stands."""
    tree = ast.parse(MODULES[module].read_text())
    found = {
        target
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for target in _targets(module, node)
    }
    return found - {module}


GRAPH = {module: imports_of(module) for module in MODULES}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import one another, directly or round a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group: list[str] = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_sees_every_kind_of_import() -> None:
    """A circle hidden under TYPE_CHECKING or in a function body is still a circle."""
    sample = {
        "a": {"b"},  # a module-level import
        "b": {"c"},  # under TYPE_CHECKING
        "c": {"a"},  # inside a function
        "d": {"a"},
    }
    assert circles(sample) == [["a", "b", "c"]]
    assert "ceremony.room.environment" in GRAPH["ceremony.room.guard"]  # module level
    assert "ui.main_window" in GRAPH["testkit.tour"]
    assert "ui.help_window" in GRAPH["ui.main_window"]  # inside a method
    assert "ceremony.room.environment" in GRAPH["ui.context"]  # under TYPE_CHECKING


def test_no_import_circles_anywhere() -> None:
    assert circles(GRAPH) == []


def test_the_layers_point_one_way() -> None:
    """The core never imports the app, except to open it; the app never imports the test kit,
    except to start the screenshot tour; the core never imports Qt."""
    wrong = [
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if (module.startswith("ceremony.") and target.startswith(("ui", "testkit"))
            and (module, target) != ("ceremony.cli", "ui.app"))
        or (module.startswith("ui") and target.startswith("testkit")
            and (module, target) != ("ui.app", "testkit.tour"))
    ]  # fmt: skip
    assert wrong == []
    qt = [
        str(path.relative_to(REPO))
        for module, path in MODULES.items()
        if module.startswith("ceremony") and "PySide6" in path.read_text()
    ]
    assert qt == []


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
