"""Every attempt and request budget of the backend, counted by the `limits` library (moving windows).

`make run` keeps the counts in this process's memory; the production profile keeps them in Redis, so
every backend replica counts against the same budgets (see `BackendSettings.limits_storage_url`).
Why these budgets and what they cost an attacker: README.md in this folder, "Threat model".

A budget is one or more windows ("3 per 10 minutes; 6 per day") for one kind of key (a reference, a
client key ...). Failure budgets are *checked* before a code is verified and *spent* only when it does
not match, so a right code never costs anything and never resets anything; request budgets are
*reserved* (spent atomically up front), which is also what caps concurrent guesses at one reference.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class Budget:
    """Named windows; the name keeps each budget's counters apart in the shared storage."""

    name: str
    windows: tuple[RateLimitItem, ...]

    @classmethod
    def parse(cls, name: str, spec: str, namespace: str) -> "Budget":
        """A budget from a `limits` string such as "3 per 10 minutes; 6 per day"."""
        windows = tuple(
            type(item)(item.amount, item.multiples, namespace=namespace) for item in parse_many(spec)
        )
        return cls(name, windows)

    def describe(self) -> str:
        return "; ".join(f"{w.amount} per {w.multiples} {w.GRANULARITY.name}" for w in self.windows)


class Budgets:
    """Checks and spends budgets in one storage; blocking calls (Redis), run them in a worker thread."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)

    @classmethod
    def from_url(cls, url: str) -> "Budgets":
        """`memory://` or `redis://host:port/db` (any storage URL `limits` knows)."""
        return cls(storage_from_string(url))

    def wait(self, budget: Budget, key: Optional[str]) -> Optional[float]:
        """Seconds until `budget` has room for `key` again, or None if it has room now (spends nothing)."""
        if not key:
            return None
        waits = []
        for window in budget.windows:
            if not self._limiter.test(window, budget.name, key):
                reset_at, _ = self._limiter.get_window_stats(window, budget.name, key)
                waits.append(max(1.0, reset_at - time.time()))
        return max(waits) if waits else None

    def first_wait(self, checks: Iterable[tuple[Budget, Optional[str]]]) -> Optional[float]:
        """The longest wait among `checks`, or None when every one has room."""
        waits = [wait for budget, key in checks if (wait := self.wait(budget, key)) is not None]
        return max(waits) if waits else None

    def spend(self, spends: Sequence[tuple[Budget, Optional[str]]]) -> None:
        """Counts one event against each budget (keys that are None are skipped)."""
        for budget, key in spends:
            if key:
                for window in budget.windows:
                    self._limiter.hit(window, budget.name, key)

    def reserve(self, budget: Budget, key: Optional[str]) -> Optional[float]:
        """Spends one unit now, atomically per window; None if there was room, else the wait.

        For budgets that count every request rather than misses: concurrent requests cannot all pass.
        """
        if not key:
            return None
        for window in budget.windows:
            if not self._limiter.hit(window, budget.name, key):
                return self.wait(budget, key) or 1.0
        return None
