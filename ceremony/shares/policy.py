"""Who holds a share and how many of them rebuild the key: one group, or named groups.

A :class:`SharePolicy` is pure data with validation a front end can show live:
:meth:`SharePolicy.problems` lists blocking errors and questions to confirm,
each one plain sentence. The plain form "any t of these n custodians" is one
unnamed group with a group threshold of 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from ceremony.errors import CeremonyError

__all__ = [
    "MAX_GROUPS",
    "MAX_MEMBERS",
    "Group",
    "PolicyProblem",
    "SharePolicy",
    "parse_group",
]

MAX_GROUPS: Final = 16  # SLIP-39 has 4 bits for the group count
MAX_MEMBERS: Final = 16  # and 4 bits for the member count
MIN_PLAIN_THRESHOLD: Final = 2  # a plain set of one share each rebuilding alone is no split

_GROUP_SPEC = re.compile(r"^\s*([^=]+?)\s*=\s*(.+?)\s*:\s*(\d+)\s*$")


@dataclass(frozen=True)
class Group:
    """One named group: its members (sheet holders, in order) and how many of them count."""

    name: str
    members: tuple[str, ...]
    threshold: int

    def describe(self) -> str:
        """E.g. "Board: any 2 of Ann, Ben, Cat" or "Legal: Hal"."""
        if len(self.members) == 1:
            return f"{self.name}: {self.members[0]}"
        who = ", ".join(self.members)
        if self.threshold == len(self.members):
            return f"{self.name}: all {len(self.members)} of {who}"
        return f"{self.name}: any {self.threshold} of {who}"


@dataclass(frozen=True)
class PolicyProblem:
    """A blocking error, or a question the custodians should answer before going on."""

    severity: Literal["error", "confirm"]
    message: str


@dataclass(frozen=True)
class SharePolicy:
    """A whole share set: groups in order, and how many complete groups rebuild the key."""

    groups: tuple[Group, ...]
    group_threshold: int = 1

    @classmethod
    def plain(cls, custodians: Sequence[str], threshold: int) -> SharePolicy:
        """Any ``threshold`` of ``custodians``: the one-level form."""
        return cls((Group("", tuple(n.strip() for n in custodians), threshold),), 1)

    @property
    def grouped(self) -> bool:
        """True for a two-level (named groups) set; False for the plain form."""
        return not (len(self.groups) == 1 and self.group_threshold == 1 and not self.groups[0].name)

    @property
    def custodians(self) -> tuple[str, ...]:
        """Every sheet holder, group after group: the order of the sheets."""
        return tuple(m for g in self.groups for m in g.members)

    @property
    def threshold(self) -> int:
        """The plain form's threshold; for groups, the fewest sheets that can rebuild."""
        needs = sorted(g.threshold for g in self.groups)
        return sum(needs[: self.group_threshold])

    def slip39_groups(self) -> list[tuple[int, int]]:
        return [(g.threshold, len(g.members)) for g in self.groups]

    def locate(self, sheet: int) -> tuple[int, int]:
        """(group number, member number), both 1-based, of sheet ``sheet`` (1-based)."""
        n = sheet
        for gi, group in enumerate(self.groups, start=1):
            if n <= len(group.members):
                return gi, n
            n -= len(group.members)
        raise IndexError(sheet)

    def sheet_number(self, group: int, member: int) -> int:
        """The 1-based sheet number of ``member`` of ``group`` (both 1-based)."""
        return sum(len(g.members) for g in self.groups[: group - 1]) + member

    def group_name(self, group: int) -> str:
        """A group's name, or "Group n" when unnamed (1-based)."""
        if 1 <= group <= len(self.groups) and self.groups[group - 1].name:
            return self.groups[group - 1].name
        return f"Group {group}"

    # -- words ---------------------------------------------------------------

    def describe(self) -> str:
        """The policy in one sentence, for summaries and the record."""
        if not self.grouped:
            g = self.groups[0]
            return f"any {g.threshold} of the {len(g.members)} custodians rebuild the key"
        parts = "; ".join(g.describe() for g in self.groups)
        count = len(self.groups)
        if count == 1:
            return f"the group rebuilds the key ({parts})"
        if self.group_threshold == count:
            need = f"all {count} groups"
        else:
            need = f"any {self.group_threshold} of the {count} groups"
        return f"{need} rebuild the key ({parts})"

    def sheet_wording(self, sheet: int) -> str:
        """What one sheet says about its holder's group and both thresholds.

        E.g. "Board — any 2 of your 3 board sheets; any 2 of the 3 groups rebuild the key".
        """
        gi, _ = self.locate(sheet)
        group = self.groups[gi - 1]
        name = self.group_name(gi)
        count = len(group.members)
        if not self.grouped:
            return f"any {group.threshold} of the {count} sheets rebuild the key"
        if count == 1:
            mine = f"{name} — this sheet alone completes the {name} group"
        elif group.threshold == count:
            mine = f"{name} — all {count} of your {name} sheets"
        else:
            mine = f"{name} — any {group.threshold} of your {count} {name} sheets"
        groups = len(self.groups)
        if self.group_threshold == groups:
            rest = f"all {groups} groups rebuild the key" if groups > 1 else "that rebuilds the key"
        else:
            rest = f"any {self.group_threshold} of the {groups} groups rebuild the key"
        return f"{mine}; {rest}"

    # -- validation -----------------------------------------------------------

    def problems(self) -> list[PolicyProblem]:
        """Everything wrong or worth a second look, errors first. Empty: good to go."""
        errors: list[str] = []
        confirm: list[str] = []
        groups = self.groups
        if not groups:
            return [PolicyProblem("error", "Add at least one group of custodians.")]
        if len(groups) > MAX_GROUPS:
            errors.append(f"SLIP-39 allows at most {MAX_GROUPS} groups; there are {len(groups)}.")
        if not 1 <= self.group_threshold <= len(groups):
            errors.append(
                f"The number of groups needed must be between 1 and {len(groups)}; "
                f"it is {self.group_threshold}."
            )
        errors += self._name_errors()
        for gi, group in enumerate(groups, start=1):
            self._group_problems(gi, group, errors, confirm)
        if self.grouped and not errors and self.group_threshold == 1 and len(groups) > 1:
            confirm.append(
                "Any one group alone rebuilds the key (1 group needed): is that intended?"
            )
        if not self.grouped and len(self.custodians) < MIN_PLAIN_THRESHOLD and not errors:
            errors.append("A share set needs between 2 and 16 custodians.")
        return [PolicyProblem("error", m) for m in errors] + [
            PolicyProblem("confirm", m) for m in confirm
        ]

    def _name_errors(self) -> list[str]:
        """Empty or repeated custodian names, and (for groups) empty or repeated group names."""
        errors: list[str] = []
        names = [n.strip() for n in self.custodians]
        if any(not n for n in names):
            errors.append("A custodian name is empty; give every custodian a name.")
        seen: set[str] = set()
        for name in names:
            if name and name.casefold() in seen:
                errors.append(f"{name} appears twice; each custodian holds one sheet.")
            seen.add(name.casefold())
        if self.grouped:
            group_names = [g.name.strip() for g in self.groups]
            if any(not n for n in group_names):
                errors.append("A group has no name; name every group (e.g. Board, Legal).")
            if len({n.casefold() for n in group_names}) != len(group_names):
                errors.append("Two groups have the same name; group names must differ.")
        return errors

    def _group_problems(self, gi: int, group: Group, errors: list[str], confirm: list[str]) -> None:
        """What is wrong with one group's size and threshold, or worth confirming."""
        label = self.group_name(gi) if self.grouped else "The set"
        count = len(group.members)
        if count == 0:
            errors.append(f"{label} has no members.")
            return
        if count > MAX_MEMBERS:
            errors.append(f"{label} has {count} members; SLIP-39 allows at most {MAX_MEMBERS}.")
        if not 1 <= group.threshold <= count:
            errors.append(
                f"{label} needs between 1 and {count} of its sheets; it asks for {group.threshold}."
            )
        elif not self.grouped and group.threshold < MIN_PLAIN_THRESHOLD:
            errors.append(
                f"The threshold must be between {MIN_PLAIN_THRESHOLD} and the number of "
                f"custodians ({count})."
            )
        elif group.threshold == 1 and count > 1:
            errors.append(
                f"{label}: SLIP-39 does not allow 1 of {count}; make it a group of one, "
                "or ask for at least 2."
            )
        elif self.grouped and count == 1 and len(self.groups) > 1:
            confirm.append(
                f"{label} 1-of-1 means {group.members[0]} alone counts as a whole group: "
                "is that intended?"
            )

    def check(self) -> None:
        """Raise the first blocking error, if any; questions to confirm do not block."""
        for problem in self.problems():
            if problem.severity == "error":
                raise CeremonyError(problem.message)


def parse_group(text: str) -> Group:
    """``"Board=Ann,Ben,Cat:2"`` as a :class:`Group`; a plain sentence when malformed."""
    match = _GROUP_SPEC.match(text)
    if not match:
        raise CeremonyError(
            f'"{text}" is not a group; write it as Name=Member,Member,...:threshold, '
            'e.g. "Board=Ann,Ben,Cat:2".'
        )
    name, members, threshold = match.groups()
    people = tuple(m.strip() for m in members.split(",") if m.strip())
    return Group(name.strip(), people, int(threshold))
