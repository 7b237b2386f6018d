"""Faults a test can inject, each aimed at a path, a method or a request number.

- ``sealed``: from the matching request on, the double is sealed (503 "Vault is
  sealed" on every routed path) until the faults are cleared.
- ``unavailable``: the matching request gets 503 and is not carried out.
- ``drop``: the request is carried out, then the connection is closed halfway
  through the response (``process=False`` closes it before carrying it out).
- ``delay``: the answer waits ``seconds`` (longer than the client's timeout),
  then the request is carried out. Clearing the faults ends the wait at once.
- ``expire_token``: the token of the matching request expires there; it and
  every later request with that token get 403 until the faults are cleared.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["sealed", "unavailable", "drop", "delay", "expire_token"]


@dataclass
class Fault:
    kind: FaultKind
    path: str | None = None  # regex, matched in full against the API path without /v1/
    method: str | None = None
    at_request: int | None = None  # the double's request number (1-based, since the last reset)
    nth: int = 1  # the nth request that matches path/method
    times: int = 1  # how many matching requests it hits, from the nth on
    seconds: float = 30.0  # for delay
    process: bool = True  # for drop: carry the request out before dropping it
    seen: int = field(default=0, init=False)
    fired: int = field(default=0, init=False)

    def hits(self, number: int, method: str, path: str) -> bool:
        if self.at_request is not None and number != self.at_request:
            return False
        if self.method is not None and self.method.upper() != method:
            return False
        if self.path is not None and re.fullmatch(self.path, path) is None:
            return False
        self.seen += 1
        if self.seen < self.nth or self.fired >= self.times:
            return False
        self.fired += 1
        return True


class FaultPlan:
    """The active faults, and an event that ends every pending delay when cleared."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.release = threading.Event()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.release.clear()
            self._faults.append(fault)
        return fault

    def match(self, number: int, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.hits(number, method, path):
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.release.set()

    def fired(self) -> int:
        with self._lock:
            return sum(f.fired for f in self._faults)
