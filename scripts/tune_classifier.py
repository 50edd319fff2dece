"""Fits the linear classifier with other settings on the training data and scores each on the held-out set.

    python scripts/tune_classifier.py --set min_char_ngram_count=5 C=10 --set min_char_ngram_count=1 C=30 class_weight=balanced

Each --set is one variant: LinearIntentClassifier's defaults with those values changed. For each it prints
the number of features, the fit time, the process's peak memory so far and the top-1 label accuracy on
tests/heldout (the classifier alone, before bot.nlu.understanding decides). The figures in the
classifier's docstring and the issue 11 note come from this script; run variants one per process when
peak memory matters (it only grows).
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_classifier import LinearIntentClassifier, LinearModel
from bot.nlu.tokenizer import BilingualTokenizer
from bot.settings import REPO_ROOT


def labelled_messages(paths: List[Path]) -> Tuple[List[Message], List[str]]:
    """Tokenized intent examples of the NLU files at `paths`, with their full labels (faq/<key>)."""
    data = TrainingData().merge(*(load_data(str(path)) for path in paths))
    BilingualTokenizer.create(BilingualTokenizer.get_default_config(), None, None, None).process_training_data(data)
    examples = [m for m in data.intent_examples if m.get(TEXT)]
    return examples, [m.get_full_intent() for m in examples]


def parse_value(text: str) -> Any:
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return None if text == "None" else text


def variant(assignments: List[str]) -> Dict[str, Any]:
    config = dict(LinearIntentClassifier.get_default_config())
    for assignment in assignments:
        key, _, value = assignment.partition("=")
        if key not in config:
            raise SystemExit(f"unknown setting {key!r}: one of {', '.join(sorted(config))}")
        config[key] = parse_value(value)
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs="*", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    train_x, train_y = labelled_messages([REPO_ROOT / "data" / "nlu"])
    held_x, held_y = labelled_messages(sorted((REPO_ROOT / "tests" / "heldout").glob("*/*.yml")))
    print(f"training examples {len(train_x)}, labels {len(set(train_y))}, held-out {len(held_x)}")
    for assignments in args.set or [[]]:
        config = variant(assignments)
        model = LinearModel(config)
        start = time.perf_counter()
        model.fit(train_x, train_y)
        seconds = time.perf_counter() - start
        right = sum(max(probabilities := model.probabilities(m), key=probabilities.get) == gold
                    for m, gold in zip(held_x, held_y))
        features = len(model.words.vocabulary_) + len(model.characters.vocabulary_)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"{' '.join(assignments) or 'defaults'}: features {features}, fit {seconds:.1f} s, "
              f"peak memory {peak_mb} MB, held-out top-1 {right / len(held_x):.1%} ({right}/{len(held_x)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
