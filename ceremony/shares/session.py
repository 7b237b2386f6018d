"""A pure recovery session: shares arrive one at a time; the session always knows its state.

No I/O and no Qt: the desktop app and the CLI both drive it and only render
what it says. A bad share never ends a session; it is refused with a message a
custodian can act on, and the shares already in are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ceremony import keys
from ceremony.errors import ShareError
from ceremony.secret import Secret
from ceremony.shares import (
    SCHEME_NAMES,
    Scheme,
    ShareInfo,
    SharePolicy,
    canonical,
    checktick,
    detect_scheme,
    legacy_info,
    slip39,
    slip39_info,
)
from ceremony.shares.correction import Correction

__all__ = ["AddOutcome", "GroupProgress", "RecoverySession", "SessionState"]


@dataclass(frozen=True)
class AddOutcome:
    """The answer to one share: accepted or refused, and what to tell the custodian."""

    accepted: bool
    message: str
    code: str = "ok"
    index: int | None = None
    suggestions: tuple[str, ...] = ()
    set_aside: tuple[int, ...] = ()  # legacy shares removed because they disagree
    # a refused SLIP-39 share with one wrong word: which word, and what it should be
    correction: Correction | None = None


@dataclass(frozen=True)
class GroupProgress:
    """One group of a SLIP-39 set as the shares entered so far describe it."""

    number: int  # 1-based
    name: str  # from the policy, else "Group n"
    entered: tuple[int, ...]  # member numbers (1-based) entered
    threshold: int | None  # None until a share of the group (or the policy) says
    missing: tuple[str, ...] = ()  # names of members not yet entered, when the policy is known

    @property
    def complete(self) -> bool:
        return self.threshold is not None and len(self.entered) >= self.threshold

    def text(self) -> str:
        if self.threshold is None:
            return f"{self.name}: {len(self.entered)} entered"
        tick = " ✓" if self.complete else ""
        return f"{self.name}: {min(len(self.entered), self.threshold)} of {self.threshold}{tick}"


@dataclass(frozen=True)
class SessionState:
    scheme: Scheme | None
    set_id: str | None
    threshold: int | None  # the member threshold (of the plain set, or of the first group)
    indices: tuple[int, ...]  # shares entered: sheet numbers (member numbers without a policy)
    needed: int | None  # None: unknown (legacy shares do not record their threshold)
    complete: bool
    note: str = ""
    group_threshold: int = 1
    groups: tuple[GroupProgress, ...] = ()  # filled for two-level (grouped) sets only
    shares: tuple[tuple[int, int], ...] = ()  # (group, member) of each share, both 1-based

    @property
    def grouped(self) -> bool:
        return bool(self.groups)


@dataclass(repr=False)
class _Entry:
    info: ShareInfo
    text: Secret
    identity: tuple[int, ...] = field(default=())


class RecoverySession:
    """Collects shares of one set until they can rebuild the custodian component.

    ``policy``, when known (from the ceremony record or the sheets), only names
    groups and members in progress messages; the shares themselves decide.
    """

    def __init__(
        self,
        *,
        passphrase: bytes = b"",
        expected_fingerprint: str | None = None,
        legacy_threshold: int | None = None,
        policy: SharePolicy | None = None,
    ) -> None:
        self._passphrase = Secret(passphrase, "passphrase")
        self.expected_fingerprint = expected_fingerprint
        self.legacy_threshold = legacy_threshold
        self.policy = policy
        self._entries: list[_Entry] = []
        self._note = ""
        self.result_note = ""  # set by recover(): something to tell about the result

    def __repr__(self) -> str:
        return f"<RecoverySession {self.state()}>"

    # -- state -------------------------------------------------------------

    @property
    def scheme(self) -> Scheme | None:
        return self._entries[0].info.scheme if self._entries else None

    def _grouped(self) -> bool:
        return bool(self._entries) and self._entries[0].info.grouped

    def _policy_fits(self) -> SharePolicy | None:
        if self.policy is None or not self._entries:
            return None
        first = self._entries[0].info
        fits = (
            len(self.policy.groups) == first.group_count
            and self.policy.group_threshold == first.group_threshold
        )
        return self.policy if fits else None

    def _sheet_number(self, info: ShareInfo) -> int:
        return self.sheet_number(info.group, info.index)

    def sheet_number(self, group: int, member: int) -> int:
        """The sheet number of a share (as in :attr:`SessionState.indices`)."""
        policy = self._policy_fits()
        if policy is not None and group <= len(policy.groups):
            return policy.sheet_number(group, member)
        return member

    def state(self) -> SessionState:
        indices = tuple(sorted(self._sheet_number(e.info) for e in self._entries))
        pairs = tuple(sorted((e.info.group, e.info.index) for e in self._entries))
        set_id = self._entries[0].info.set_id if self._entries else None
        if self._grouped():
            first = self._entries[0].info
            groups = self._group_progress()
            done = sum(1 for g in groups if g.complete)
            complete = done >= first.group_threshold
            needed = 0 if complete else None
            return SessionState(
                self.scheme,
                set_id,
                first.threshold,
                indices,
                needed,
                complete,
                self._note,
                first.group_threshold,
                groups,
                pairs,
            )
        threshold = self._threshold()
        if threshold is None:
            complete = self.scheme == "checktick" and self._legacy_plausible()
            needed = 0 if complete else None
        else:
            needed = max(0, threshold - len(indices))
            complete = needed == 0
        return SessionState(
            self.scheme, set_id, threshold, indices, needed, complete, self._note, shares=pairs
        )

    def _group_progress(self) -> tuple[GroupProgress, ...]:
        first = self._entries[0].info
        policy = self._policy_fits()
        out = []
        for number in range(1, first.group_count + 1):
            mine = [e.info for e in self._entries if e.info.group == number]
            threshold = mine[0].threshold if mine else None
            name = f"Group {number}"
            missing: tuple[str, ...] = ()
            if policy is not None:
                group = policy.groups[number - 1]
                name = policy.group_name(number)
                threshold = threshold or group.threshold
                entered = {i.index for i in mine}
                missing = tuple(m for k, m in enumerate(group.members, start=1) if k not in entered)
            out.append(
                GroupProgress(
                    number, name, tuple(sorted(i.index for i in mine)), threshold, missing
                )
            )
        return tuple(out)

    def _threshold(self) -> int | None:
        if not self._entries:
            return None
        if self.scheme == "slip39":
            return self._entries[0].info.threshold
        return self.legacy_threshold

    def progress_text(self) -> str:
        """E.g. "2 of 3 shares entered." or, for groups,
        "Board: 2 of 2 ✓ · Legal: 0 of 1 · 1 more group needed"."""
        st = self.state()
        if not st.indices:
            return "No shares entered yet."
        if st.grouped:
            done = sum(1 for g in st.groups if g.complete)
            more = st.group_threshold - done
            tail = (
                "enough groups to rebuild the key"
                if more <= 0
                else f"{more} more group{'s' if more > 1 else ''} needed"
            )
            return " · ".join([*(g.text() for g in st.groups), tail])
        if st.threshold:
            return f"{len(st.indices)} of {st.threshold} shares entered."
        if st.complete:
            return f"{len(st.indices)} shares entered; they rebuild a component."
        return (
            f"{len(st.indices)} shares entered; more are needed "
            "(CheckTick shares do not say how many)."
        )

    def missing_text(self) -> str:
        """Which shares are still needed, in one sentence; "" when the set is complete."""
        st = self.state()
        if st.complete or not st.indices:
            return ""
        if not st.grouped:
            if st.needed is None:
                return "Enter another share; CheckTick shares do not say how many are needed."
            return f"Enter {st.needed} more share{'s' if st.needed > 1 else ''} of this set."
        done = sum(1 for g in st.groups if g.complete)
        more = st.group_threshold - done
        options = [_group_need(g) for g in st.groups if not g.complete]
        started = [o for g, o in zip(st.groups, options, strict=False) if g.entered]
        ordered = started + [o for o in options if o not in started]
        return (
            f"Still needed: {more} more complete group{'s' if more > 1 else ''}, "
            f"from {'; or '.join(ordered)}."
        )

    # -- adding and removing -------------------------------------------------

    def add(self, text: str) -> AddOutcome:
        """Offer one share. Never raises for a bad share: the outcome says what was wrong."""
        try:
            info, identity = self._read(text)
            self._check_fits(info, identity, text)
        except ShareError as err:
            fix = (
                slip39.locate_wrong_word(text) if err.code in ("checksum", "unknown_word") else None
            )
            return AddOutcome(False, err.message, err.code, None, err.suggestions, correction=fix)
        self._entries.append(_Entry(info, Secret(canonical(text).encode(), "share"), identity))
        self._note = ""
        set_aside = self._set_aside_disagreeing() if info.scheme == "checktick" else ()
        if info.index in set_aside:
            return AddOutcome(False, self._note, "odd_one_out", info.index, set_aside=set_aside)
        msg = f"{self._label(info)} accepted. {self.progress_text()}"
        if set_aside:
            msg += " " + self._note
        return AddOutcome(True, msg, "ok", self._sheet_number(info), set_aside=set_aside)

    def _label(self, info: ShareInfo) -> str:
        if not info.grouped:
            return f"Share {info.index}"
        policy = self._policy_fits()
        name = policy.group_name(info.group) if policy else f"Group {info.group}"
        return f"{name} share {info.index}"

    def remove(self, index: int) -> None:
        """Remove the share with sheet number ``index`` (see :attr:`SessionState.indices`)."""
        for entry in [e for e in self._entries if self._sheet_number(e.info) == index]:
            entry.text.wipe()
            self._entries.remove(entry)

    def remove_share(self, group: int, member: int) -> None:
        """Remove one share by its group and member numbers (both 1-based); the others stay."""
        for entry in [e for e in self._entries if (e.info.group, e.info.index) == (group, member)]:
            entry.text.wipe()
            self._entries.remove(entry)
        self._note = ""

    def _read(self, text: str) -> tuple[ShareInfo, tuple[int, ...]]:
        scheme = detect_scheme(text)
        if scheme == "checktick":
            return legacy_info(checktick.parse(text)), ()
        share = slip39.decode(text)
        identity = (share.identifier, int(share.extendable), share.iteration_exponent)
        return slip39_info(share), identity

    def _check_fits(self, info: ShareInfo, identity: tuple[int, ...], text: str) -> None:
        if not self._entries:
            return
        first = self._entries[0]
        if info.scheme != first.info.scheme:
            raise ShareError(
                f"This is a {SCHEME_NAMES[info.scheme]} share, but the shares entered so far "
                f"are {SCHEME_NAMES[first.info.scheme]}. One session takes one set.",
                code="mixed",
            )
        if info.scheme == "slip39":
            self._check_slip39_fits(info, identity, first)
        same = [
            e for e in self._entries if (e.info.group, e.info.index) == (info.group, info.index)
        ]
        if same:
            what = self._label(info)
            if same[0].text == Secret(canonical(text).encode()):
                raise ShareError(f"{what} has already been entered.", code="duplicate")
            raise ShareError(
                f"A different {what[0].lower()}{what[1:]} was already entered. One of the two "
                "is wrong; check both sheets.",
                code="duplicate_conflict",
            )
        if info.scheme == "checktick":  # bounded: beyond a few, every share must agree
            checktick.check_addition(self._legacy_shares(), checktick.parse(text))
        if info.grouped:
            self._check_room(info)

    def _check_slip39_fits(self, info: ShareInfo, identity: tuple[int, ...], first: _Entry) -> None:
        if identity[0] != first.identity[0]:
            raise ShareError(
                f"This share is from another set (set {info.set_id}; the shares entered so "
                f"far are from set {first.info.set_id}). Check the set id on the sheet.",
                code="other_set",
            )
        if identity != first.identity or (info.group_threshold, info.group_count) != (
            first.info.group_threshold,
            first.info.group_count,
        ):
            raise ShareError(
                f"This share has the set id {info.set_id} but other settings than the shares "
                "entered so far (groups or format); it was not made with them.",
                code="mixed_parameters",
            )
        peer = next((e for e in self._entries if e.info.group == info.group), None)
        if peer is not None and info.threshold != peer.info.threshold:
            where = "its group" if info.grouped else "the shares entered so far"
            raise ShareError(
                f"This share says any {info.threshold} rebuild the key, but {where} "
                f"say {peer.info.threshold}. It does not belong with them.",
                code="threshold_mismatch",
            )
        if info.word_count != first.info.word_count:
            raise ShareError("This share has a different length from the others.", code="length")

    def _check_room(self, info: ShareInfo) -> None:
        """A complete group needs no more shares, nor does a set with enough complete groups."""
        groups = self._group_progress()
        mine = groups[info.group - 1]
        if mine.complete:
            raise ShareError(
                f"{mine.name} already has the {mine.threshold} shares it needs; "
                "this one is not needed. Keep it for another time.",
                code="group_full",
            )
        done = sum(1 for g in groups if g.complete)
        if done >= info.group_threshold:
            raise ShareError(
                "Enough groups are complete to rebuild the key; this share is not needed.",
                code="not_needed",
            )

    # -- legacy cross-checks ---------------------------------------------------

    def _legacy_shares(self) -> list[checktick.LegacyShare]:
        return [checktick.parse(e.text.reveal().decode()) for e in self._entries]

    def _legacy_plausible(self) -> bool:
        shares = self._legacy_shares()
        return len(shares) >= 2 and bool(checktick.candidates(shares))

    def _set_aside_disagreeing(self) -> tuple[int, ...]:
        shares = self._legacy_shares()
        threshold = self.legacy_threshold
        if len(shares) < 3 or (threshold is not None and len(shares) <= threshold):
            return ()
        found = checktick.candidates(shares)
        if not found or len(found[0].agreeing) == len(shares):
            return ()
        ties = [c for c in found if len(c.agreeing) == len(found[0].agreeing)]
        if len(ties) > 1:
            self._note = checktick.disagreement_message(found, [s.index for s in shares])
            return ()
        odd = tuple(sorted({s.index for s in shares} - found[0].agreeing))
        for index in odd:
            self.remove(index)
        self._note = (
            f"Share {', '.join(map(str, odd))} disagreed with the others and was set aside; "
            "check it for a typo."
        )
        return odd

    # -- recovery ------------------------------------------------------------

    def recover(self) -> Secret:
        """The custodian component. Raises ShareError if the shares cannot give the right one."""
        st = self.state()
        if not st.indices:
            raise ShareError("No shares have been entered.", code="too_few")
        if not st.complete:
            if st.grouped:
                raise ShareError(
                    f"Not enough complete groups yet. {self.missing_text()}", code="too_few"
                )
            more = f"{st.needed} more" if st.needed else "more"
            raise ShareError(f"Not enough shares yet: {more} needed.", code="too_few")
        texts = [e.text.reveal().decode() for e in self._entries]
        if self.scheme == "slip39":
            component = slip39.combine(texts, self._passphrase.reveal())
            self.result_note = ""
        else:
            component = self._recover_legacy()
            self.result_note = checktick.length_note(component)
        self._check_fingerprint(component)
        return component

    def _recover_legacy(self) -> Secret:
        shares = self._legacy_shares()
        found = checktick.candidates(shares)
        if not found:
            raise ShareError(
                "These shares do not rebuild a component: too few of them, or one is wrong.",
                code="no_result",
            )
        if self.expected_fingerprint:
            for cand in found:
                secret = cand.secret()
                if keys.fingerprint(secret, "custodian") == self.expected_fingerprint:
                    return secret
                secret.wipe()
        if len(found[0].agreeing) != len(shares):
            raise ShareError(
                checktick.disagreement_message(found, [s.index for s in shares]),
                code="odd_one_out",
            )
        return found[0].secret()

    def _check_fingerprint(self, component: Secret) -> None:
        if not self.expected_fingerprint:
            return
        got = keys.fingerprint(component, "custodian")
        if got != self.expected_fingerprint.strip().upper():
            component.wipe()
            hint = (
                "a wrong passphrase, or shares of another set"
                if self.scheme == "slip39"
                else "shares of another set, or a typo that the legacy format cannot detect"
            )
            raise ShareError(
                f"These shares rebuild a component with fingerprint {got}, not the expected "
                f"{self.expected_fingerprint}. Likely cause: {hint}.",
                code="fingerprint",
            )

    def wipe(self) -> None:
        for entry in self._entries:
            entry.text.wipe()
        self._entries.clear()
        self._passphrase.wipe()


def _group_need(group: GroupProgress) -> str:
    """What one incomplete group still needs, e.g. "Board: 1 more of Ben or Cat"."""
    if group.threshold is None:
        return f"{group.name} (no share of it yet)"
    more = group.threshold - len(group.entered)
    if group.missing:
        who = (
            group.missing[0]
            if len(group.missing) == 1
            else (", ".join(group.missing[:-1]) + " or " + group.missing[-1])
        )
        return f"{group.name}: {more} more of {who}"
    return f"{group.name}: {more} more share{'s' if more > 1 else ''}"
