"""Scores one half of the external yardstick (tests/external/) end to end over the REST channel.

    python scripts/evaluate_external.py --half dev [--show-misses] [--json out.json]
    python scripts/evaluate_external.py --half test --min-right 0.90 --max-oos-answered 0.05 --max-wrong 0.03
    python scripts/evaluate_external.py --half dev --url http://127.0.0.1:5005   # a running server

Without --url it starts the whole stack on free loopback ports with --model (like the e2e tests).
Exits 1 when a gate fails, 2 on bad usage (e.g. --show-misses with the test half, which is only scored).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, List

from bot.evaluation_external import (
    Gates,
    Send,
    format_summary,
    gate_failures,
    load_half,
    misses,
    run,
    summarize,
)
from bot.launcher import Stack
from bot.settings import REPO_ROOT, loopback_settings


def rest_sender(base_url: str) -> Send:
    """A function that posts one message to the REST channel and returns its reply messages."""
    url = f"{base_url.rstrip('/')}/webhooks/rest/webhook"

    def send(sender: str, text: str) -> List[Dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    return send


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=("dev", "test"), required=True)
    parser.add_argument("--url", help="base URL of a running Rasa server (default: start a stack)")
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "fao-assistant.tar.gz")
    parser.add_argument("--show-misses", action="store_true", help="list each miss (dev half only)")
    parser.add_argument("--json", type=Path, help="write the figures (and, for dev, every outcome) here")
    parser.add_argument("--min-right", type=float, default=0.0)
    parser.add_argument("--max-oos-answered", type=float, default=1.0)
    parser.add_argument("--max-wrong", type=float, default=1.0)
    args = parser.parse_args()
    if args.show_misses and args.half == "test":
        print("refusing --show-misses for the test half: it is only scored, never read case by case",
              file=sys.stderr)
        return 2
    questions = load_half(args.half)
    prefix = f"external-{args.half}-{uuid.uuid4().hex[:8]}"
    if args.url:
        outcomes = run(questions, rest_sender(args.url), prefix)
    else:
        if not args.model.exists():
            print(f"no trained model at {args.model}: run `make train` first", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory(prefix="external-eval-") as state_dir:
            stack = Stack(loopback_settings(Path(state_dir), args.model))
            stack.start()
            try:
                outcomes = run(questions, rest_sender(stack.settings.url(stack.settings.rasa_port)), prefix)
            finally:
                stack.stop()
    summary = summarize(outcomes)
    print(f"External yardstick, {args.half} half: {len(outcomes)} questions")
    print(format_summary(summary))
    if args.show_misses:
        print("Misses:")
        for o in misses(outcomes):
            facts = f" missing {o.missing}" if o.missing else ""
            reply = o.reply.replace("\n", " / ")[:160]
            print(f"  [{o.question.lang}/{o.question.topic}] {o.outcome} ({o.kind}){facts}: {o.question.q!r} -> {reply}")
    if args.json:
        payload: Dict[str, Any] = {"half": args.half, "summary": summary}
        if args.half == "dev":
            payload["outcomes"] = [
                {"q": o.question.q, "lang": o.question.lang, "topic": o.question.topic,
                 "outcome": o.outcome, "kind": o.kind, "missing": o.missing, "reply": o.reply}
                for o in outcomes
            ]
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    failures = gate_failures(summary, Gates(args.min_right, args.max_oos_answered, args.max_wrong))
    for line in failures:
        print(f"gate failed: {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
