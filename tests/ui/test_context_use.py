"""Each wizard page declares the parts of the ceremony context it reads and writes, truly."""

from __future__ import annotations

from pathlib import Path

from tests.ui.context_use import part_of, uses_in
from ui import context

PAGES = sorted((Path(__file__).resolve().parents[2] / "ui" / "pages").glob("*_page.py"))
ORDER = [part.__name__ for part in context.PARTS]


def _names(parts: set[str]) -> tuple[str, ...]:
    return tuple(name for name in ORDER if name in parts)


def test_every_context_attribute_a_page_uses_belongs_to_a_part() -> None:
    loose = {
        f"{path.name}: {use.name}.{attribute}"
        for path in PAGES
        for use in uses_in(path)
        for attribute in use.reads | use.writes
        if part_of(attribute) is None
    }
    assert loose == set()


def test_each_page_declares_what_it_reads_and_writes() -> None:
    wrong = []
    for path in PAGES:
        for use in uses_in(path):
            written = {part.__name__ for a in use.writes if (part := part_of(a))}
            read = {part.__name__ for a in use.reads if (part := part_of(a))} - written
            declared = (use.declared_reads, use.declared_writes)
            if declared != (_names(read), _names(written)):
                wrong.append(f"{use.name}: declares {declared}, uses {_names(read)}, "
                             f"{_names(written)}")  # fmt: skip
    assert wrong == []
    assert len(PAGES) >= 15


def test_the_reader_sees_reads_writes_and_aliases(tmp_path: Path) -> None:
    page = tmp_path / "sample_page.py"
    page.write_text(
        "class SamplePage(Page):\n"
        "    reads = (Run,)\n"
        "    writes = (Record,)\n"
        "    def enter(self) -> None:\n"
        "        c = self.context\n"
        "        c.printed.add(1)\n"
        "        if self.context.rehearsal:\n"
        "            c.note('x')\n"
        "        self.context.share_holders[1] = 'Ann'\n"
    )
    [use] = uses_in(page)
    assert use.reads >= {"printed", "rehearsal", "note", "share_holders"}
    assert use.writes == {"printed", "note", "share_holders"}
    assert (use.declared_reads, use.declared_writes) == (("Run",), ("Record",))
    assert part_of("printed") is context.Record and part_of("plan") is context.Details
