"""Training data rules of issue 3: enough examples per label and language, held-out kept out of training."""
from collections import Counter, defaultdict

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.evaluation import load_heldout
from bot.nlu.language import detect_language
from bot.nlu.text import comparable
from bot.settings import REPO_ROOT

# Intents whose examples are bare values (codes, reference numbers) rather than sentences in a language.
VALUE_INTENTS = {"inform"}
MIN_EXAMPLES_PER_LANGUAGE = 15


@pytest.fixture(scope="module")
def training_examples():
    data = load_data(str(REPO_ROOT / "data" / "nlu"))
    return [(m.get("text"), m.get_full_intent()) for m in data.intent_examples]


def test_every_label_has_enough_examples_in_each_language(training_examples):
    counts = defaultdict(Counter)
    for text, label in training_examples:
        counts[label][detect_language(text) or "none"] += 1
    short = {
        label: dict(per_language)
        for label, per_language in counts.items()
        if label not in VALUE_INTENTS
        and min(per_language["zh"], per_language["en"]) < MIN_EXAMPLES_PER_LANGUAGE
    }
    assert not short, f"labels with fewer than {MIN_EXAMPLES_PER_LANGUAGE} examples in a language: {short}"


def test_no_training_example_is_repeated(training_examples):
    repeated = [text for text, n in Counter(comparable(t) for t, _ in training_examples).items() if n > 1]
    assert not repeated, f"repeated examples: {repeated[:20]}"


def test_no_heldout_question_is_in_the_training_data(training_examples):
    trained = {comparable(text) for text, _ in training_examples}
    leaked = [
        text
        for pairs in load_heldout().values()
        for text, _ in pairs
        if comparable(text) in trained
    ]
    assert not leaked, f"held-out questions found in training data: {leaked}"


def test_heldout_labels_all_exist_in_training(training_examples):
    labels = {label for _, label in training_examples}
    unknown = {label for pairs in load_heldout().values() for _, label in pairs if label not in labels}
    assert not unknown
