"""The external yardstick (tests/external/) stays outside the training data and keeps its shape.

The questions were copied from public pages so that they measure how the assistant does on questions
nobody wrote for it; a question that also sits in the training data measures nothing. The schema
checks keep the set big and broad enough for the gates of issue 11 to mean something.
"""
from __future__ import annotations

from collections import Counter
from typing import Dict, List

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bot.evaluation_external import (
    EXTERNAL_FOLDER, HALVES, LANGUAGES, OUT_OF_SCOPE, TOPICS, Question, load_half, missing_facts,
)
from bot.nlu.text import comparable
from bot.settings import REPO_ROOT

MIN_PER_LANGUAGE, MIN_IN_SCOPE, MIN_OUT_OF_SCOPE = 120, 300, 80
# Topics the issue wants covered by at least about 15 questions each.
WELL_COVERED = {"official": 15, "consular": 15}


@pytest.fixture(scope="module")
def halves() -> Dict[str, List[Question]]:
    return {half: load_half(half) for half in HALVES}


@pytest.fixture(scope="module")
def questions(halves) -> List[Question]:
    return [q for half in HALVES for q in halves[half]]


def nlu_files() -> List[str]:
    """Every YAML file under data/ that holds NLU training examples."""
    files = []
    for path in sorted((REPO_ROOT / "data").rglob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(content, dict) and content.get("nlu"):
            files.append(str(path))
    return files


@pytest.fixture(scope="module")
def trained_texts() -> set:
    texts = set()
    for path in nlu_files():
        texts.update(comparable(m.get("text")) for m in load_data(path).intent_examples)
    return texts


def test_training_data_is_found(trained_texts):
    assert nlu_files(), "no NLU training files under data/"
    assert len(trained_texts) > 100


def test_no_external_question_is_in_the_training_data(questions, trained_texts):
    leaked = [q.q for q in questions if comparable(q.q) in trained_texts]
    assert not leaked, f"external questions found in the training data (remove them from data/): {leaked}"


def test_no_question_is_repeated_within_or_across_halves(questions):
    repeated = [text for text, n in Counter(comparable(q.q) for q in questions).items() if n > 1]
    assert not repeated, f"repeated external questions: {repeated}"


def test_enough_questions_per_language_and_scope(questions):
    per_language = Counter(q.lang for q in questions)
    assert set(per_language) == set(LANGUAGES), per_language
    for language in LANGUAGES:
        assert per_language[language] >= MIN_PER_LANGUAGE, (language, per_language[language])
    assert sum(q.in_scope for q in questions) >= MIN_IN_SCOPE
    assert sum(not q.in_scope for q in questions) >= MIN_OUT_OF_SCOPE


def test_every_topic_is_covered(questions):
    per_topic = Counter(q.topic for q in questions if q.in_scope)
    assert set(per_topic) == set(TOPICS), f"missing {set(TOPICS) - set(per_topic)}, unknown {set(per_topic) - set(TOPICS)}"
    for topic, minimum in WELL_COVERED.items():
        assert per_topic[topic] >= minimum, (topic, per_topic[topic])


def test_every_question_is_well_formed(questions):
    bad = []
    for q in questions:
        problems = []
        if q.lang not in LANGUAGES:
            problems.append("lang")
        if q.topic not in TOPICS and q.topic != OUT_OF_SCOPE:
            problems.append("topic")
        if not q.source.startswith("https://") or " " in q.source:
            problems.append("source")
        if not q.q.strip():
            problems.append("q")
        if q.in_scope and (not q.facts or any(not fact or not all(t.strip() for t in fact) for fact in q.facts)):
            problems.append("facts")
        if not q.in_scope and (q.facts or q.lookup_ok):
            problems.append("facts on an out-of-scope question")
        if problems:
            bad.append((q.q, problems))
    assert not bad, bad


def test_no_question_gives_away_its_own_facts(questions):
    """A fact already in the question would be met by any answer that repeats the question."""
    echoed = [
        (q.q, list(fact))
        for q in questions
        if q.in_scope
        for fact in q.facts
        if not missing_facts(q.q, [fact])
    ]
    assert len(echoed) <= len(questions) // 10, f"too many facts echo their question: {echoed}"


def test_halves_are_split_evenly_per_language_and_topic(halves):
    counts = {half: Counter((q.lang, q.topic) for q in halves[half]) for half in HALVES}
    strata = set(counts["dev"]) | set(counts["test"])
    uneven = {s: (counts["dev"][s], counts["test"][s]) for s in strata if abs(counts["dev"][s] - counts["test"][s]) > 1}
    assert not uneven, f"strata split unevenly between dev and test: {uneven}"


def test_each_file_names_its_half():
    for half in HALVES:
        data = yaml.safe_load((EXTERNAL_FOLDER / f"{half}.yml").read_text(encoding="utf-8"))
        assert data["half"] == half
