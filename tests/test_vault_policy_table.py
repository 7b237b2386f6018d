"""docs/protocol.md's table of what the operator policy may do is the policy `vault setup` writes:
the same paths, each with the same capabilities, none left out and none added."""

from __future__ import annotations

import re
from pathlib import Path

from ceremony.vaultops import OPERATOR_POLICY

DOC = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"
_RULE = re.compile(r'path "([^"]+)" \{ capabilities = \[([^\]]*)\] \}')
_ROW = re.compile(r"^\| `([^`]+)`( \(not under `secret/`\))? \| ([a-z, ]+) \| .+ \|$")


def _policy() -> dict[str, set[str]]:
    return {
        path: set(re.findall(r'"([a-z]+)"', caps)) for path, caps in _RULE.findall(OPERATOR_POLICY)
    }


def _table() -> dict[str, set[str]]:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("Operator, **`checktick-ceremony`**")
    rows: dict[str, set[str]] = {}
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        found = _ROW.match(line)
        if found is None:
            continue  # the header and its rule
        path, outside, caps = found.groups()
        rows[path if outside else f"secret/{path}"] = {c.strip() for c in caps.split(",")}
    return rows


def test_the_operator_table_is_the_operator_policy() -> None:
    policy, table = _policy(), _table()
    assert len(policy) == OPERATOR_POLICY.count("path ")  # every rule was read
    assert "secret/data/users/+/surveys/+/recovery-kek" in table  # the table was read
    assert table == policy
