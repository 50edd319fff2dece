#!/usr/bin/env python
"""Hostile-input fuzz of the whole assistant (`make fuzz`): starts every service on free loopback ports,
sends hostile chat messages over REST and socket.io and malformed requests to every endpoint, and
prints counts per service and channel, memory growth and any crash. Exit status 1 on any finding.

    python scripts/fuzz.py --messages 2000
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from bot.fuzz.run import fuzz, memory_problems
from bot.launcher import Stack, StartupError
from bot.settings import REPO_ROOT, loopback_settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000, help="chat messages to send (default 2000)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=4, help="conversations at a time (default 4)")
    args = parser.parse_args()
    model = REPO_ROOT / "models" / "fao-assistant.tar.gz"
    if not model.exists():
        print(f"error: no trained model at {model}; run `make train` first")
        return 2
    with tempfile.TemporaryDirectory(prefix="fao-fuzz-") as state_dir:
        settings = loopback_settings(Path(state_dir), model)
        stack = Stack(settings)
        print(f"starting the assistant on free ports (logs in {settings.log_dir}) ...", flush=True)
        try:
            stack.start()
        except StartupError as error:
            print(f"error: {error}")
            return 2
        try:
            report = asyncio.run(fuzz(stack, args.messages, args.seed, args.concurrency))
        finally:
            stack.stop()
    print(report.summary())
    problems = report.tally.failures + memory_problems(report) + [f"{name} crashed" for name in report.dead]
    problems += [f"{name} logged {count} stack traces" for name, count in report.log_tracebacks.items() if count]
    bound = "flat within the bound (max(64 MiB, 10%) in the 2nd half)"
    print("memory: " + ("; ".join(memory_problems(report)) or bound))
    print("RESULT: " + ("FAIL" if problems else "PASS"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
