"""Does a turn cost more the longer the conversation is? One REST conversation of many turns, timed per turn.

Issue 13 (finding 7) measured 59 ms per turn at turns 1–10 and 648 ms at 391–400 when the tracker store
redacted every event on every turn. ``measure`` sends `turns` FAQ questions in one conversation, one after
the other, and compares the median of the last ten turns with the median of turns 1–10; `make bench`
reports the ratio (target: at most TARGET_RATIO).

    python -m bot.bench.long_conversation [--turns 400]   # starts its own stack on free loopback ports
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence

import aiohttp

from bot.bench import scenarios

TURNS = 400
WINDOW = 10
TARGET_RATIO = 1.5


@dataclass(frozen=True)
class LongConversation:
    """Per-turn latencies (ms) of one conversation, in order."""

    latencies_ms: List[float]

    def median(self, first_turn: int, last_turn: int) -> float:
        """Median latency of turns `first_turn`..`last_turn` (1-based, inclusive)."""
        return statistics.median(self.latencies_ms[first_turn - 1:last_turn])

    @property
    def early_ms(self) -> float:
        return self.median(1, WINDOW)

    @property
    def late_ms(self) -> float:
        turns = len(self.latencies_ms)
        return self.median(turns - WINDOW + 1, turns)

    @property
    def ratio(self) -> float:
        return self.late_ms / self.early_ms

    def summary(self) -> Dict[str, float]:
        turns = len(self.latencies_ms)
        figures = {"turns": turns, "first_10_ms": self.early_ms, "last_10_ms": self.late_ms,
                   "ratio": self.ratio, "target_ratio": TARGET_RATIO}
        if turns >= 110:
            figures["turns_101_110_ms"] = self.median(101, 110)
        return figures


def measure_sync(rest_url: str, questions: Sequence[str], turns: int = TURNS) -> LongConversation:
    return asyncio.run(measure(rest_url, questions, turns))


async def measure(rest_url: str, questions: Sequence[str], turns: int = TURNS) -> LongConversation:
    """One conversation of `turns` questions sent one after the other (each waits for its reply)."""
    sender = f"bench-long-{uuid.uuid4().hex[:12]}"
    latencies: List[float] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
        for turn in range(turns):
            started = time.perf_counter()
            async with http.post(rest_url, json={"sender": sender, "message": questions[turn % len(questions)]}) as r:
                await r.read()
                if r.status != 200:
                    raise RuntimeError(f"turn {turn + 1}: HTTP {r.status}")
            latencies.append((time.perf_counter() - started) * 1000)
    return LongConversation(latencies)


def main() -> int:
    from bot.launcher import Stack
    from bot.settings import REPO_ROOT, loopback_settings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=TURNS)
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "fao-assistant.tar.gz")
    args = parser.parse_args()
    stack = Stack(loopback_settings(Path(tempfile.mkdtemp(prefix="fao-long-")), args.model))
    stack.start()
    try:
        s = stack.settings
        result = asyncio.run(measure(f"{s.url(s.rasa_port)}/webhooks/rest/webhook", scenarios.faq_questions(),
                                     args.turns))
    finally:
        stack.stop()
    print(json.dumps(result.summary(), indent=2))
    return 0 if result.ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
