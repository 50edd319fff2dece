"""The conversation suite over REST: scripted multi-turn conversations checked turn by turn.

    python scripts/evaluate_conversations.py [--model PATH | --url http://127.0.0.1:5005] [--only TEXT]
                                             [--min-pass-rate 0.95] [--quiet]

Without --url it starts the whole assistant on free loopback ports (as the end-to-end tests do) and
stops it afterwards. Prints the pass rate per persona and file and every failing turn; exits non-zero
when the share of passing conversations is below --min-pass-rate (the issue's gate is 0.95).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

from bot.evaluation_conversations import (
    Conversation,
    ConversationResult,
    failures,
    load_conversations,
    pass_rate,
    play_all,
    rest_sender,
    summary,
)
from bot.launcher import Stack, StartupError
from bot.settings import REPO_ROOT, loopback_settings


def run(conversations: List[Conversation], url: Optional[str], model: Path) -> List[ConversationResult]:
    """Plays the conversations against `url`, or against a stack started for the run."""
    if url:
        return play_all(conversations, rest_sender(url))
    with tempfile.TemporaryDirectory(prefix="fao-conversations-") as state_dir:
        stack = Stack(loopback_settings(Path(state_dir), model))
        print(f"starting the assistant on free ports (logs in {stack.settings.log_dir}) ...", flush=True)
        stack.start()
        try:
            return play_all(conversations, rest_sender(stack.settings.url(stack.settings.rasa_port)))
        finally:
            stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "fao-assistant.tar.gz")
    parser.add_argument("--url", help="a running Rasa server (REST channel) instead of starting one")
    parser.add_argument("--only", help="play only conversations whose id or file contains this text")
    parser.add_argument("--min-pass-rate", type=float, default=0.0)
    parser.add_argument("--quiet", action="store_true", help="print only the summary, not the failing turns")
    args = parser.parse_args()
    conversations = [
        c for c in load_conversations() if not args.only or args.only in c.id or args.only in c.file
    ]
    if not conversations:
        print(f"error: no conversation matches {args.only!r}")
        return 2
    if not args.url and not args.model.exists():
        print(f"error: no trained model at {args.model}; run `make train` first")
        return 2
    try:
        results = run(conversations, args.url, args.model)
    except StartupError as error:
        print(f"error: {error}")
        return 2
    if not args.quiet:
        print(failures(results))
    print(summary(results))
    rate = pass_rate(results)
    if rate < args.min_pass_rate:
        print(f"below the gate of {args.min_pass_rate:.0%}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
