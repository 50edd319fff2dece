"""NLU measured in-process: parse latency and held-out accuracy from one pass over the held-out set.

The held-out scoring is bot/evaluation.py's (the figure `make test` gates on); each parse it makes is
timed here, so latency and accuracy come from the same calls.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bot.evaluation import evaluate, load_heldout

Examples = Dict[str, List[Tuple[str, str]]]


@dataclass
class NluFigures:
    """Load time, parse latency and per-language held-out scores of one model."""

    load_seconds: float
    parse_ms: List[float] = field(default_factory=list)
    accuracy: Dict[str, float] = field(default_factory=dict)
    macro_f1: Dict[str, float] = field(default_factory=dict)
    examples: Dict[str, int] = field(default_factory=dict)

    @property
    def parse_ms_median(self) -> float:
        return statistics.median(self.parse_ms)


def heldout_examples(per_language: Optional[int] = None) -> Examples:
    """The held-out set; the smoke run takes the first `per_language` of each language."""
    examples = load_heldout()
    if per_language is None:
        return examples
    return {language: pairs[:per_language] for language, pairs in examples.items()}


async def _measure(agent: Any, examples: Examples, figures: NluFigures) -> None:
    async def timed_parse(text: str) -> Dict[str, Any]:
        started = time.perf_counter()
        parsed = await agent.parse_message(text)
        figures.parse_ms.append((time.perf_counter() - started) * 1000)
        return parsed

    for text in ("你好", "hello"):  # first parses load lazily (jieba, TF graphs): not counted
        await agent.parse_message(text)
    figures.parse_ms.clear()
    reports = await evaluate(timed_parse, examples)
    for language, report in sorted(reports.items()):
        figures.accuracy[language] = report.accuracy
        figures.macro_f1[language] = report.macro_f1
        figures.examples[language] = report.total


def measure_model(model_path: Path, examples: Examples) -> NluFigures:
    """Agent.load the model here, parse every held-out example, then let the model go."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # else every parse is logged at debug level
    logging.disable(logging.WARNING)
    try:
        started = time.perf_counter()
        agent = Agent.load(str(model_path))
        figures = NluFigures(load_seconds=time.perf_counter() - started)
        asyncio.run(_measure(agent, examples, figures))
    finally:
        logging.disable(logging.NOTSET)
    del agent
    gc.collect()
    return figures
