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
    canonical,
    checktick,
    detect_scheme,
    legacy_info,
    slip39,
    slip39_info,
)

__all__ = ["AddOutcome", "RecoverySession", "SessionState"]


@dataclass(frozen=True)
class AddOutcome:
    """The answer to one share: accepted or refused, and what to tell the custodian."""

    accepted: bool
    message: str
    code: str = "ok"
    index: int | None = None
    suggestions: tuple[str, ...] = ()
    set_aside: tuple[int, ...] = ()  # legacy shares removed because they disagree


@dataclass(frozen=True)
class SessionState:
    scheme: Scheme | None
    set_id: str | None
    threshold: int | None
    indices: tuple[int, ...]
    needed: int | None  # None: unknown (legacy shares do not record their threshold)
    complete: bool
    note: str = ""


@dataclass(repr=False)
class _Entry:
    info: ShareInfo
    text: Secret
    identity: tuple[int, ...] = field(default=())


class RecoverySession:
    """Collects shares of one set until they can rebuild the custodian component."""

    def __init__(
        self,
        *,
        passphrase: bytes = b"",
        expected_fingerprint: str | None = None,
        legacy_threshold: int | None = None,
    ) -> None:
        self._passphrase = Secret(passphrase, "passphrase")
        self.expected_fingerprint = expected_fingerprint
        self.legacy_threshold = legacy_threshold
        self._entries: list[_Entry] = []
        self._note = ""

    def __repr__(self) -> str:
        return f"<RecoverySession {self.state()}>"

    # -- state -------------------------------------------------------------

    @property
    def scheme(self) -> Scheme | None:
        return self._entries[0].info.scheme if self._entries else None

    def state(self) -> SessionState:
        indices = tuple(sorted(e.info.index for e in self._entries))
        threshold = self._threshold()
        if threshold is None:
            complete = self.scheme == "checktick" and self._legacy_plausible()
            needed = 0 if complete else None
        else:
            needed = max(0, threshold - len(indices))
            complete = needed == 0
        set_id = self._entries[0].info.set_id if self._entries else None
        return SessionState(self.scheme, set_id, threshold, indices, needed, complete, self._note)

    def _threshold(self) -> int | None:
        if not self._entries:
            return None
        if self.scheme == "slip39":
            return self._entries[0].info.threshold
        return self.legacy_threshold

    def progress_text(self) -> str:
        st = self.state()
        if not st.indices:
            return "No shares entered yet."
        if st.threshold:
            return f"{len(st.indices)} of {st.threshold} shares entered."
        if st.complete:
            return f"{len(st.indices)} shares entered; they rebuild a component."
        return (
            f"{len(st.indices)} shares entered; more are needed "
            "(CheckTick shares do not say how many)."
        )

    # -- adding and removing -------------------------------------------------

    def add(self, text: str) -> AddOutcome:
        """Offer one share. Never raises for a bad share: the outcome says what was wrong."""
        try:
            info, identity = self._read(text)
            self._check_fits(info, identity, text)
        except ShareError as err:
            return AddOutcome(False, err.message, err.code, None, err.suggestions)
        self._entries.append(_Entry(info, Secret(canonical(text).encode(), "share"), identity))
        self._note = ""
        set_aside = self._set_aside_disagreeing() if info.scheme == "checktick" else ()
        if info.index in set_aside:
            return AddOutcome(False, self._note, "odd_one_out", info.index, set_aside=set_aside)
        msg = f"Share {info.index} accepted. {self.progress_text()}"
        if set_aside:
            msg += " " + self._note
        return AddOutcome(True, msg, "ok", info.index, set_aside=set_aside)

    def remove(self, index: int) -> None:
        for entry in [e for e in self._entries if e.info.index == index]:
            entry.text.wipe()
            self._entries.remove(entry)

    def _read(self, text: str) -> tuple[ShareInfo, tuple[int, ...]]:
        scheme = detect_scheme(text)
        if scheme == "checktick":
            return legacy_info(checktick.parse(text)), ()
        share = slip39.decode(text)
        if share.group_count != 1 or share.group_threshold != 1:
            raise ShareError(
                "This share belongs to a multi-group SLIP-39 backup; this tool recovers "
                "single-group sets only. Use another SLIP-39 tool for it.",
                code="multi_group",
            )
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
            if identity != first.identity:
                raise ShareError(
                    f"This share is from another set (set {info.set_id}; the shares entered so "
                    f"far are from set {first.info.set_id}). Check the set id on the sheet.",
                    code="other_set",
                )
            if info.threshold != first.info.threshold:
                raise ShareError(
                    f"This share says any {info.threshold} rebuild the key, but the shares "
                    f"entered so far say {first.info.threshold}. It does not belong with them.",
                    code="threshold_mismatch",
                )
            if info.word_count != first.info.word_count:
                raise ShareError(
                    "This share has a different length from the others.", code="length"
                )
        same = [e for e in self._entries if e.info.index == info.index]
        if same:
            if same[0].text == Secret(canonical(text).encode()):
                raise ShareError(f"Share {info.index} has already been entered.", code="duplicate")
            raise ShareError(
                f"A different share numbered {info.index} was already entered. One of the two "
                "is wrong; check both sheets.",
                code="duplicate_conflict",
            )
        if info.scheme == "checktick":  # bounded: beyond a few, every share must agree
            checktick.check_addition(self._legacy_shares(), checktick.parse(text))

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
            more = f"{st.needed} more" if st.needed else "more"
            raise ShareError(f"Not enough shares yet: {more} needed.", code="too_few")
        texts = [e.text.reveal().decode() for e in self._entries]
        if self.scheme == "slip39":
            component = slip39.combine(texts, self._passphrase.reveal())
        else:
            component = self._recover_legacy()
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
