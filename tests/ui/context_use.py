"""Which parts of the ceremony context each wizard page reads and writes, read from its source.

A page is a class in ``ui/pages`` that derives from ``Page``. Its uses are every
attribute taken from the context (``self.context.x``, or a name bound to it, or a
parameter called ``context``) in the class and in the module's functions; a write
is an assignment to one, an item assignment into one, an in-place change (``add``,
``append``, ...), a method that records or wipes (``note``, ``wipe``) or any call on
the journal (``log``). Writes through another name (``g = c.genesis; g.x = 1``) count
as reads.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path

from ui import context as ui_context

__all__ = ["PageUse", "part_of", "uses_in"]

MUTATORS = frozenset({"add", "append", "extend", "update", "clear", "pop", "remove",
                      "discard", "setdefault", "insert"})  # fmt: skip
WRITING_METHODS = frozenset({"note", "wipe"})
WRITING_OBJECTS = frozenset({"log"})  # the journal: every call on it adds to it
# What the whole context offers besides its parts' own names, and which part it touches.
COMPOSITE = {"plan": ui_context.Details, "holds_secrets": ui_context.Secrets,
             "wipe": ui_context.Secrets, "note": ui_context.Record,
             "log": ui_context.Record}  # fmt: skip


def part_of(name: str) -> type | None:
    if name in COMPOSITE:
        return COMPOSITE[name]
    for part in ui_context.PARTS:
        own = {f.name for f in dataclasses.fields(part)} | set(vars(part))
        if name in own:
            return part
    return None


@dataclasses.dataclass
class PageUse:
    name: str
    reads: set[str] = dataclasses.field(default_factory=set)  # attributes
    writes: set[str] = dataclasses.field(default_factory=set)
    declared_reads: tuple[str, ...] = ()
    declared_writes: tuple[str, ...] = ()


def _is_self_context(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "context"
            and isinstance(node.value, ast.Name) and node.value.id == "self")  # fmt: skip


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            yield node


def _accesses(function: ast.FunctionDef) -> tuple[set[str], set[str]]:
    names = {a.arg for a in function.args.args if a.arg == "context"}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _is_self_context(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}

    def is_context(node: ast.expr) -> bool:
        return _is_self_context(node) or (isinstance(node, ast.Name) and node.id in names)

    reads: set[str] = set()
    writes: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and is_context(node.value):
            reads.add(node.attr)
            if isinstance(node.ctx, ast.Store | ast.Del):
                writes.add(node.attr)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
            inner = node.value
            if isinstance(inner, ast.Attribute) and is_context(inner.value):
                writes.add(inner.attr)
        elif isinstance(node, ast.AugAssign):
            target = node.target
            if isinstance(target, ast.Attribute) and is_context(target.value):
                writes.add(target.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if is_context(owner) and node.func.attr in WRITING_METHODS:
                writes.add(node.func.attr)
            elif (isinstance(owner, ast.Attribute) and is_context(owner.value)
                  and (node.func.attr in MUTATORS or owner.attr in WRITING_OBJECTS)):  # fmt: skip
                writes.add(owner.attr)
    return reads, writes


def _declared(cls: ast.ClassDef, which: str) -> tuple[str, ...]:
    for node in cls.body:
        value: ast.expr | None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == which and isinstance(value, ast.Tuple):
            return tuple(e.id for e in value.elts if isinstance(e, ast.Name))
    return ()


def uses_in(path: Path) -> list[PageUse]:
    """Each page class in ``path`` with what it uses and what it declares."""
    tree = ast.parse(path.read_text())
    shared_reads: set[str] = set()
    shared_writes: set[str] = set()
    for node in tree.body:  # the module's own functions serve its pages
        if isinstance(node, ast.FunctionDef):
            for function in _functions(node):
                r, w = _accesses(function)
                shared_reads |= r
                shared_writes |= w
    found = []
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef) or cls.name == "Page":
            continue
        if not any(isinstance(b, ast.Name) and b.id.endswith("Page") for b in cls.bases):
            continue
        use = PageUse(cls.name, set(shared_reads), set(shared_writes),
                      _declared(cls, "reads"), _declared(cls, "writes"))  # fmt: skip
        for function in _functions(cls):
            r, w = _accesses(function)
            use.reads |= r
            use.writes |= w
        found.append(use)
    return found
