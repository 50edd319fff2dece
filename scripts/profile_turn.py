"""Where a FAQ turn's time goes: NLU components, policies, action-server calls, tracker store, responses.

    python scripts/profile_turn.py [--model PATH] [--turns 80] [--tracker-store sql|memory] [--cprofile 15]
                                   [--write-doc docs/benchmarks.md]

Starts the full stack on free ports (its action server and backend serve the turns; its Rasa server
gives the REST figure to compare with), loads the same model in this process with an SQLite tracker
store (as `make run`) or an in-memory one, and sends held-out FAQ questions, five per conversation,
through Agent.handle_message with timers around Rasa's own methods (bot/bench/timers.py). Stages nest:
graph nodes run inside "NLU total" or "policies total", and everything inside "turn total".
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import pstats
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bot.bench import load, scenarios
from bot.bench.stack import running_stack
from bot.bench.timers import Timers
from bot.settings import REPO_ROOT



def instrument(timers: Timers) -> None:
    """Wrap the Rasa methods a turn passes through."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
    from rasa.core.processor import MessageProcessor
    from rasa.engine.graph import GraphNode

    timers.wrap(Agent, "handle_message", label="turn total (Agent.handle_message, incl. lock)")
    timers.wrap(MessageProcessor, "parse_message", label="NLU total (parse_message)")
    timers.wrap(MessageProcessor, "_predict_next_with_tracker", label="policies total (graph run per prediction)")
    timers.wrap(GraphNode, "__call__", name=lambda node, _args: f"  graph node {node._node_name}")
    timers.wrap(RemoteAction, "run", name=lambda action, _args: f"action server call: {action.name()}")
    timers.wrap(MessageProcessor, "fetch_tracker_and_update_session", label="tracker store: fetch + session check")
    timers.wrap(MessageProcessor, "save_tracker", label="tracker store: save")
    timers.wrap(TemplatedNaturalLanguageGenerator, "generate", label="response generation (NLG)")


async def load_like_the_server(model: Path, action_url: str, tracker_kind: str, state_dir: Path) -> Any:
    """The agent `rasa run` would build from endpoints.yml (or with an in-memory tracker store instead)."""
    import os

    from rasa.core.agent import Agent, load_agent
    from rasa.core.lock_store import InMemoryLockStore
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from bot.action_server import TOKEN_ENV, TOKEN_HEADER

    if tracker_kind == "memory":
        return Agent.load(str(model), tracker_store=InMemoryTrackerStore(domain=None), lock_store=InMemoryLockStore(),
                          action_endpoint=EndpointConfig(url=action_url,
                                                         headers={TOKEN_HEADER: os.environ[TOKEN_ENV]}))
    os.environ.update(ACTION_ENDPOINT_URL=action_url, TRACKER_DB=str(state_dir / "profile_tracker.db"))
    endpoints = AvailableEndpoints.read_endpoints(str(REPO_ROOT / "endpoints.yml"))
    return await load_agent(model_path=str(model), endpoints=endpoints)


async def send_turns(agent: Any, questions: Sequence[str], timers: Optional[Timers]) -> List[float]:
    """FAQ turns, five per conversation; returns each turn's wall time in ms."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    times, sender = [], ""
    for index, text in enumerate(questions):
        if index % load.FAQ_TURNS_PER_CONVERSATION == 0:
            sender = f"profile-{uuid.uuid4().hex[:12]}"
        started = time.perf_counter()
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
        times.append((time.perf_counter() - started) * 1000)
        if timers:
            timers.turn()
    return times


async def cprofile_table(agent: Any, questions: Sequence[str], top: int) -> str:
    """The functions with the most own time over the same turns (cProfile)."""
    profiler = cProfile.Profile()
    profiler.enable()
    await send_turns(agent, questions, None)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]  # type: ignore[attr-defined]
    lines = ["| function | own ms per turn | cumulative ms per turn | calls per turn |", "|---|---:|---:|---:|"]
    for (path, line, function), (_cc, calls, own, cumulative, _callers) in rows:
        where = Path(path).name if path != "~" else "builtin"
        lines.append(f"| `{where}:{line} {function}` | {own * 1000 / len(questions):.2f} | "
                     f"{cumulative * 1000 / len(questions):.2f} | {calls / len(questions):.1f} |")
    return "\n".join(lines)


def stage_table(timers: Timers) -> str:
    lines = ["| stage | mean ms per turn | median ms per turn |", "|---|---:|---:|"]
    for stage, mean, median in timers.summary():
        lines.append(f"| {stage.replace('|', '/')} | {mean:.2f} | {median:.2f} |")
    return "\n".join(lines)


async def measure_in_process(
    model: Path, action_url: str, tracker_kind: str, state_dir: Path, questions: Sequence[str], top: int
) -> Dict[str, Any]:
    """Load the agent, warm it up, time the turns stage by stage, then profile the same turns."""
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.disable(logging.WARNING)
    agent = await load_like_the_server(model, action_url, tracker_kind, state_dir)
    await send_turns(agent, questions[:6], None)  # warm-up: first parses load lazily
    timers = Timers()
    instrument(timers)
    try:
        in_process = await send_turns(agent, questions, timers)
    finally:
        timers.unwrap()
    hot = await cprofile_table(agent, questions, top) if top else ""
    return {"in_process_p50_ms": statistics.median(in_process), "stages": stage_table(timers), "hot_functions": hot}


def profile(model: Path, turns: int, tracker_kind: str, top: int) -> Dict[str, Any]:
    questions = scenarios.faq_questions()
    chosen = [questions[i % len(questions)] for i in range(turns)]
    state_dir = Path(tempfile.mkdtemp(prefix="fao-profile-"))
    with running_stack(model, state_dir) as running:
        rest = load.faq_load(running.rest_url, questions, 1, turns)
        s = running.stack.settings
        os.environ["ACTION_SERVER_TOKEN"] = running.stack.env["ACTION_SERVER_TOKEN"]
        measured = asyncio.run(measure_in_process(
            model, f"{s.url(s.action_port)}/webhook", tracker_kind, state_dir, chosen, top))
    return {"model": str(model), "tracker_store": tracker_kind, "turns": turns,
            "rest_p50_ms": rest.percentile(50), **measured}


def markdown(result: Dict[str, Any]) -> str:
    text = [
        f"Model `{Path(result['model']).name}`, {result['turns']} FAQ turns (held-out questions, 5 per conversation), "
        f"tracker store: {result['tracker_store']}, experiment: {result['experiment']}. REST turn p50 (client side, full stack): "
        f"**{result['rest_p50_ms']:.1f} ms**; the same turns in-process (Agent.handle_message): "
        f"**{result['in_process_p50_ms']:.1f} ms** (experiments apply to this in-process agent only).",
        "",
        result["stages"],
    ]
    if result["hot_functions"]:
        text += ["", "Most own time (cProfile over the same turns; awaited network time is not in it):", "",
                 result["hot_functions"]]
    return "\n".join(text)


def write_doc(path: Path, name: str, block: str) -> None:
    """Replace the generated profile block `name` of docs/benchmarks.md (appended if new), keeping the rest."""
    start, end = f"<!-- bench:profile:{name}:start -->", f"<!-- bench:profile:{name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = f"{start}\n{block}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "fao-assistant.tar.gz")
    parser.add_argument("--turns", type=int, default=80)
    parser.add_argument("--tracker-store", choices=("sql", "memory"), default="sql")
    parser.add_argument("--cprofile", type=int, default=15, metavar="N", help="top N functions (0: skip)")
    parser.add_argument("--write-doc", type=Path, help="put the result into this Markdown file's profile block")
    parser.add_argument("--block", default="ours", help="name of that block (several runs can be kept side by side)")
    args = parser.parse_args()
    if not args.model.exists():
        print(f"error: no model at {args.model}")
        return 1
    # The in-process agent gets the same patches of Rasa internals as the Rasa server (unless FAO_RASA_PATCHES=0).
    import bot.channels  # noqa: F401

    result = profile(args.model, args.turns, args.tracker_store, args.cprofile)
    result["experiment"] = "stock Rasa (FAO_RASA_PATCHES=0)" if os.environ.get("FAO_RASA_PATCHES") == "0" else "none"
    block = markdown(result)
    print(block)
    if args.write_doc:
        write_doc(args.write_doc, args.block, block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
