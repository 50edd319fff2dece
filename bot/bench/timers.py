"""Wall-clock timers wrapped around Rasa's own methods, to see where one turn's time goes.

A profiler alone cannot say how long an action-server round trip or a tracker-store write took: while a
coroutine awaits the network its frame is suspended and the time lands in the event loop. Wrapping
the awaited methods themselves measures them from start to finish, sync or async alike.
"""
from __future__ import annotations

import functools
import inspect
import time
from collections import defaultdict
from typing import Any, Callable, Dict, List, Optional, Tuple

Namer = Callable[[Any, Tuple[Any, ...]], str]


class Timers:
    """Per-turn totals of every wrapped stage; `turn()` closes one turn."""

    def __init__(self) -> None:
        self._current: Dict[str, float] = defaultdict(float)
        self.turns: List[Dict[str, float]] = []
        self._patched: List[Tuple[type, str, Any]] = []

    def add(self, stage: str, seconds: float) -> None:
        self._current[stage] += seconds * 1000

    def turn(self) -> None:
        self.turns.append(dict(self._current))
        self._current.clear()

    def reset(self) -> None:
        self.turns.clear()
        self._current.clear()

    def wrap(self, owner: type, method: str, name: Optional[Namer] = None, label: str = "") -> None:
        """Time `owner.method`; the stage is `label` or `name(instance, args)` of the call."""
        original = owner.__dict__.get(method)
        if original is None:
            raise AttributeError(f"{owner.__name__}.{method} not found (Rasa version?)")
        stage: Namer = name or (lambda _this, _args: label)

        if inspect.iscoroutinefunction(original):
            @functools.wraps(original)
            async def timed_async(this: Any, *args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await original(this, *args, **kwargs)
                finally:
                    self.add(stage(this, args), time.perf_counter() - started)
            replacement: Any = timed_async
        else:
            @functools.wraps(original)
            def timed(this: Any, *args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return original(this, *args, **kwargs)
                finally:
                    self.add(stage(this, args), time.perf_counter() - started)
            replacement = timed
        setattr(owner, method, replacement)
        self._patched.append((owner, method, original))

    def unwrap(self) -> None:
        for owner, method, original in reversed(self._patched):
            setattr(owner, method, original)
        self._patched.clear()

    def summary(self) -> List[Tuple[str, float, float]]:
        """(stage, mean ms per turn, median ms per turn) over the closed turns, slowest first."""
        stages = {stage for turn in self.turns for stage in turn}
        rows = []
        for stage in stages:
            values = sorted(turn.get(stage, 0.0) for turn in self.turns)
            rows.append((stage, sum(values) / len(values), values[len(values) // 2]))
        return sorted(rows, key=lambda row: -row[1])
