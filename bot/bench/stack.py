"""The full assistant started for a benchmark: free ports, time to ready, peak memory per service.

It is the launcher `make run` uses (bot.launcher.Stack), pointed at the model under test. The backend's
per-address request budget is lifted for the run: every lookup comes from the one action server, and
the benchmark measures turn time, not the limiters (the per-client lookup budget would otherwise answer
most lookups with "try again later", all of them coming from loopback).
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List

from bot.launcher import Stack
from bot.settings import REPO_ROOT, loopback_settings

BENCH_ENV = {
    "BACKEND_RATE_LIMIT": "100000000",
    "BACKEND_LOOKUPS_PER_CLIENT": "100000000",
    "BACKEND_LOOKUPS_PER_CONVERSATION": "100000000",
}


def _children(pid: int) -> List[int]:
    found: List[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid: int) -> List[int]:
    """`pid` and all its descendants that are still running."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending += _children(current)
    return tree


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a service's process and its children, summed, in MB.

    VmHWM is the kernel's own high-water mark of each process, so no spike between samples is
    missed; summing it over the tree is exact for one process and an upper bound for several.
    """
    return sum(_status_kib(member, "VmHWM") for member in process_tree(pid)) * 1024 / 1_000_000


@dataclass
class RunningStack:
    """A started stack with what starting it cost."""

    stack: Stack
    ready_seconds: float
    peak_rss: Dict[str, float] = field(default_factory=dict)

    @property
    def rest_url(self) -> str:
        s = self.stack.settings
        return f"{s.url(s.rasa_port)}/webhooks/rest/webhook"

    def record_memory(self) -> Dict[str, float]:
        """Peak RSS of every service so far (call it after the load, before stopping)."""
        self.peak_rss = {
            service.name: peak_rss_mb(service.process.pid)
            for service in self.stack.services
            if service.process and service.process.poll() is None
        }
        return self.peak_rss


@contextmanager
def running_stack(
    model_path: Path, state_dir: Path, stock_runtime: bool = False
) -> Iterator[RunningStack]:
    """Start every service on free ports with `model_path`; ready = all answer and the model is warm.

    `stock_runtime`: the Rasa server runs without our patches of Rasa internals (bot/rasa_patches.py).

    """
    settings = loopback_settings(state_dir, model_path)
    env = dict(BENCH_ENV)
    if stock_runtime:
        env["FAO_RASA_PATCHES"] = "0"
    stack = Stack(settings, extra_env=env)
    started = time.monotonic()
    stack.start()
    try:
        yield RunningStack(stack, time.monotonic() - started)
    finally:
        stack.stop()
