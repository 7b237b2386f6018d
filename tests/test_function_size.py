"""Functions stay short enough to read in one screen: at most 60 lines each.

A function's length runs from its ``def`` line to its last line (decorators
aside; a nested function counts inside its parent and on its own). The few
functions still longer are listed below with the length they may not exceed,
so none of them grows while it waits to be split; an entry is removed once its
function is split.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("ceremony", "ui", "testkit")
LIMIT = 60

# Still over the limit, each with the most lines it may have until it is split (none now).
ALLOWED: dict[str, int] = {}


def function_lengths(source: str) -> dict[str, int]:
    """Every function and method in ``source`` by qualified name, with its length in lines."""
    found: dict[str, int] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                end = child.end_lineno or child.lineno
                found[name] = max(found.get(name, 0), end - child.lineno + 1)
                walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                walk(child, prefix + child.name + ".")
            else:
                walk(child, prefix)

    walk(ast.parse(source), "")
    return found


def _all_lengths() -> dict[str, int]:
    lengths: dict[str, int] = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            where = path.relative_to(REPO).as_posix()
            for name, length in function_lengths(path.read_text(encoding="utf-8")).items():
                lengths[f"{where}:{name}"] = length
    return lengths


def test_the_measure_counts_def_to_last_line_methods_and_nested_functions() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(LIMIT))  # 60 lines + the def: 61
    source = (
        f"@decorated\ndef long():\n{body}\n\n"
        "class Page:\n    async def short(self):\n        def inner():\n            pass\n"
    )
    assert function_lengths(source) == {"long": 61, "Page.short": 3, "Page.short.inner": 2}


def test_no_function_grows_past_the_limit() -> None:
    lengths = _all_lengths()
    assert len(lengths) > 1000  # the walk saw the whole tree, methods included
    too_long = {
        name: length for name, length in lengths.items() if length > ALLOWED.get(name, LIMIT)
    }
    assert not too_long, (
        f"over {LIMIT} lines (or longer than allowed below): {too_long}; split them into "
        "well-named parts"
    )


def test_the_allow_list_lists_only_functions_still_too_long() -> None:
    lengths = _all_lengths()
    stale = {name: lengths.get(name) for name in ALLOWED if lengths.get(name, 0) <= LIMIT}
    assert not stale, f"split or gone, so remove from ALLOWED: {stale}"
