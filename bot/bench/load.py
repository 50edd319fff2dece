"""REST conversations at a given concurrency, timed per turn from the client's side.

Each of `concurrency` workers holds its own conversations and sends one turn after the other (a
person waits for the answer before typing again), so 16 workers are 16 conversations in parallel.
Latency is the time from sending the POST to having read the whole reply.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import aiohttp
import numpy as np

from bot.bench.scenarios import StatusLookup

FAQ_TURNS_PER_CONVERSATION = 5
TIMEOUT = aiohttp.ClientTimeout(total=120)


@dataclass
class LoadResult:
    """Turn latencies of one phase, its wall time and what went wrong."""

    concurrency: int
    latencies_ms: List[float] = field(default_factory=list)
    wall_seconds: float = 0.0
    errors: int = 0
    lookups: int = 0
    lookups_completed: int = 0

    @property
    def turns(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.latencies_ms, q)) if self.latencies_ms else float("nan")

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.wall_seconds if self.wall_seconds else 0.0

    def summary(self) -> Dict[str, Any]:
        figures: Dict[str, Any] = {
            "concurrency": self.concurrency,
            "turns": self.turns,
            "errors": self.errors,
            "p50_ms": self.percentile(50),
            "p95_ms": self.percentile(95),
            "p99_ms": self.percentile(99),
            "turns_per_second": self.turns_per_second,
            "wall_seconds": self.wall_seconds,
        }
        if self.lookups:
            figures["lookups"] = self.lookups
            figures["lookups_completed"] = self.lookups_completed
            figures["lookups_completed_pct"] = 100 * self.lookups_completed / self.lookups
        return figures


def new_sender(kind: str) -> str:
    return f"bench-{kind}-{uuid.uuid4().hex[:12]}"


async def _turn(session: aiohttp.ClientSession, url: str, sender: str, text: str, result: LoadResult) -> Optional[str]:
    """Send one message; the reply text, or None (counted as an error, not as a latency)."""
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None)
            ok = response.status == 200 and isinstance(body, list)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        ok, body = False, None
    if not ok:
        result.errors += 1
        return None
    result.latencies_ms.append((time.perf_counter() - started) * 1000)
    return "\n".join(str(message.get("text", "")) for message in body if isinstance(message, dict))


async def _faq_worker(session: aiohttp.ClientSession, url: str, questions: Sequence[str], result: LoadResult) -> None:
    sender = new_sender("faq")
    for index, question in enumerate(questions):
        if index and index % FAQ_TURNS_PER_CONVERSATION == 0:
            sender = new_sender("faq")
        await _turn(session, url, sender, question, result)


async def _status_worker(
    session: aiohttp.ClientSession, url: str, lookups: Sequence[StatusLookup], result: LoadResult
) -> None:
    for lookup in lookups:
        sender = new_sender("status")
        await _turn(session, url, sender, lookup.opening, result)
        reply = await _turn(session, url, sender, lookup.code, result)
        result.lookups += 1
        if reply is not None and lookup.completed(reply):
            result.lookups_completed += 1


async def _run(url: str, concurrency: int, work: List[Sequence[Any]], worker: Any) -> LoadResult:
    result = LoadResult(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency * 2)
    async with aiohttp.ClientSession(connector=connector, timeout=TIMEOUT) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session, url, items, result) for items in work))
        result.wall_seconds = time.perf_counter() - started
    return result


def _split(items: Sequence[Any], concurrency: int, per_worker: int) -> List[List[Any]]:
    """Worker i gets items i, i+c, i+2c, ... (cycling), `per_worker` of them."""
    return [[items[(w + k * concurrency) % len(items)] for k in range(per_worker)] for w in range(concurrency)]


def faq_load(url: str, questions: Sequence[str], concurrency: int, turns_per_worker: int) -> LoadResult:
    """FAQ turns, five to a conversation."""
    return asyncio.run(_run(url, concurrency, _split(questions, concurrency, turns_per_worker), _faq_worker))


def status_load(url: str, lookups: Sequence[StatusLookup], concurrency: int, lookups_per_worker: int) -> LoadResult:
    """Two-turn status lookups, each in a new conversation."""
    return asyncio.run(_run(url, concurrency, _split(lookups, concurrency, lookups_per_worker), _status_worker))
