"""Intent accuracy and macro F1 of a model on held-out examples, per language.

Held-out examples live in tests/heldout/<language>/*.yml (Rasa NLU YAML) and are never used
for training. A retrieval intent counts as right only when the FAQ answer is right too
(``faq/apec_fee``), so the figure is the share of questions that get the right answer. For our
model the answer is the one the assistant gives a first question (bot.nlu.understanding.resolve on
the parse, no context); a clarifying question or a decline counts as a miss.
"""
from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Tuple

from rasa.shared.nlu.training_data.loading import load_data

from bot.settings import REPO_ROOT

HELDOUT_FOLDER = REPO_ROOT / "tests" / "heldout"
Parse = Callable[[str], Awaitable[Dict[str, Any]]]


@dataclass
class LanguageReport:
    """Results of one language."""

    total: int = 0
    correct: int = 0
    macro_f1: float = 0.0
    misses: List[Tuple[str, str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def load_heldout_files(folder: Path = HELDOUT_FOLDER) -> Dict[str, Dict[str, List[Tuple[str, str]]]]:
    """Language → file name → [(text, full intent)], so each batch can be reported on its own."""
    files: Dict[str, Dict[str, List[Tuple[str, str]]]] = {}
    for language_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
        files[language_folder.name] = {
            path.name: [(m.get("text"), m.get_full_intent()) for m in load_data(str(path)).intent_examples]
            for path in sorted(language_folder.glob("*.yml"))
        }
    return files


def load_heldout(folder: Path = HELDOUT_FOLDER) -> Dict[str, List[Tuple[str, str]]]:
    """Language → [(text, full intent)] from every YAML file under ``folder/<language>/``."""
    return {
        language: [pair for pairs in by_file.values() for pair in pairs]
        for language, by_file in load_heldout_files(folder).items()
    }


def full_intent(parse_data: Dict[str, Any]) -> str:
    """``faq/<key>`` for retrieval intents, else the intent name."""
    intent = (parse_data.get("intent") or {}).get("name") or ""
    selectors = parse_data.get("response_selector") or {}
    # Stock ResponseSelector without `retrieval_intent` files its answer under "default" (the baseline of `make bench`).
    selector = selectors.get(intent) or selectors.get("default")
    key = ((selector or {}).get("response") or {}).get("intent_response_key") or ""
    return key if key.startswith(f"{intent}/") else intent


def answered_label(parse_data: Dict[str, Any]) -> str:
    """The label of what the assistant does with a first question: ``faq/<entry>``, another intent,
    ``clarify`` or ``no_answer``; a decline counts as ``out_of_scope``."""
    from bot.nlu.understanding import decide

    intent = (parse_data.get("intent") or {}).get("name") or ""
    if intent not in ("faq", "out_of_scope", "nlu_fallback"):
        return intent
    decision = decide(parse_data)
    if decision.kind == "answer":
        return f"faq/{decision.entry_id}"
    return "out_of_scope" if decision.kind == "decline" else decision.kind


def macro_f1(pairs: List[Tuple[str, str]]) -> float:
    """Macro-averaged F1 over the expected labels of (expected, predicted) pairs."""
    true_positive: Counter = Counter()
    predicted: Counter = Counter()
    expected: Counter = Counter()
    for gold, guess in pairs:
        expected[gold] += 1
        predicted[guess] += 1
        if gold == guess:
            true_positive[gold] += 1
    scores = []
    for label in expected:
        precision = true_positive[label] / predicted[label] if predicted[label] else 0.0
        recall = true_positive[label] / expected[label]
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


async def evaluate(
    parse: Parse, examples: Dict[str, List[Tuple[str, str]]], label: Callable[[Dict[str, Any]], str] = full_intent
) -> Dict[str, LanguageReport]:
    """Parse every example and score it per language; `label` names what the parse leads to."""
    reports: Dict[str, LanguageReport] = defaultdict(LanguageReport)
    for language, pairs in examples.items():
        report = reports[language]
        scored = []
        for text, gold in pairs:
            guess = label(await parse(text))
            scored.append((gold, guess))
            report.total += 1
            if guess == gold:
                report.correct += 1
            else:
                report.misses.append((text, gold, guess))
        report.macro_f1 = macro_f1(scored)
    return dict(reports)


def evaluate_model(model_path: Path, examples: Dict[str, List[Tuple[str, str]]]) -> Dict[str, LanguageReport]:
    """Load a trained model in this process and evaluate it."""
    return evaluate_model_on(model_path, [examples])[0]


def evaluate_model_on(
    model_path: Path, example_sets: List[Dict[str, List[Tuple[str, str]]]]
) -> List[Dict[str, LanguageReport]]:
    """Load a model once and evaluate it on each of several example sets."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    return [asyncio.run(evaluate(agent.parse_message, examples, answered_label)) for examples in example_sets]
