"""The knowledge base over the real REST channel: key facts, answer language, out-of-scope, follow-ups.

The questions and their key facts are a table in knowledge_facts.yml. Each question is asked in a
new conversation (follow-ups share one), and the reply must contain every expected fact, be in the
question's language and cite its source. When a reply lacks a fact, the failure message shows what
the NLU made of the question (via the stack's /model/parse), so a wrong FAQ choice can be told from a
wrong or missing fact in the domain.

The data checks at the end need no server: they prove each expected fact really is in the answer it
belongs to and singles that answer out (so every check can fail), that the questions are not copied
from the training or held-out data, and that the table is big enough.
"""
from __future__ import annotations

import functools
import json
import re
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Mapping, Sequence, Set, Tuple

import pytest
import yaml

from bot.knowledge import load_knowledge
from bot.knowledge.render import render_answer
from bot.launcher import Stack
from bot.nlu.language import detect_language
from bot.nlu.text import normalize_text
from bot.settings import REPO_ROOT
from tests.e2e.conftest import RestClient

DATA = yaml.safe_load(Path(__file__).with_name("knowledge_facts.yml").read_text(encoding="utf-8"))
LANGUAGES = ("zh", "en")
FAQ_PREFIX = "utter_faq/"
OUT_OF_SCOPE_RESPONSE = "utter_out_of_scope"
# Every FAQ answer ends with a source line; these words begin it in each language.
SOURCE_WORDS = {"zh": ("来源",), "en": ("Source",)}
MIN_FAQ_QUESTIONS, MIN_OUT_OF_SCOPE, MIN_FOLLOW_UPS = 40, 6, 3

_DASHES = re.compile(r"[\u2010-\u2015\u2212~～]")
_SPACES = re.compile(r"\s+")
# "[ABTC-2025-000412](reference)" or "[...]{...}" in training data: keep only the annotated text.
_ENTITY_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


@dataclass(frozen=True)
class FactCase:
    """One question, the FAQ answer meant for it and the facts its reply must contain."""

    language: str
    question: str
    answer: str
    facts: Tuple[str, ...]
    also: Tuple[str, ...] = ()


@dataclass(frozen=True)
class FollowUpCase:
    """A question that sets the topic, then a follow-up that names no topic of its own."""

    language: str
    context: FactCase
    follow_up: FactCase


def comparable(text: str) -> str:
    """Lower-cased text with every dash as '-' and runs of spaces as one, for substring checks."""
    return _SPACES.sub(" ", _DASHES.sub("-", text)).casefold()


def _fact_pattern(fact: str) -> re.Pattern:
    """A fact as a pattern; a number at its edge must not continue into more digits ("5年" ≠ "2025年")."""
    text = comparable(fact)
    before = r"(?<!\d)" if text[:1].isdigit() else ""
    after = r"(?!\d)" if text[-1:].isdigit() else ""
    return re.compile(before + re.escape(text) + after)


def missing_facts(reply: str, facts: Sequence[str]) -> List[str]:
    """The expected facts that the reply does not contain."""
    text = comparable(reply)
    return [fact for fact in facts if not _fact_pattern(fact).search(text)]


def _fact_case(language: str, row: Mapping) -> FactCase:
    return FactCase(language, row["q"], row["answer"], tuple(row["facts"]), tuple(row.get("also", ())))


def _context_case(language: str, row: Mapping) -> FactCase:
    return FactCase(language, row["context"], row["context_answer"], tuple(row["context_facts"]))


FAQ_CASES = [_fact_case(lang, row) for lang in LANGUAGES for row in DATA["faq"][lang]]
FOLLOW_UP_CASES = [
    FollowUpCase(lang, _context_case(lang, row), _fact_case(lang, row))
    for lang in LANGUAGES
    for row in DATA["follow_ups"][lang]
]
OUT_OF_SCOPE_CASES = [(lang, question) for lang in LANGUAGES for question in DATA["out_of_scope"][lang]]


def _case_id(case: FactCase) -> str:
    return f"{case.language}:{case.answer}:{case.question}"


def new_sender() -> str:
    return f"facts-{uuid.uuid4().hex[:12]}"


def nlu_reading(stack: Stack, text: str) -> str:
    """What the model makes of `text` on its own: intent and FAQ answer with confidences."""
    url = f"{stack.settings.url(stack.settings.rasa_port)}/model/parse?token={stack.rasa_token}"
    request = urllib.request.Request(
        url, data=json.dumps({"text": text}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        parsed = json.loads(response.read())
    intent = parsed.get("intent") or {}
    selected = ((parsed.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    return (
        f"intent {intent.get('name')} ({intent.get('confidence', 0):.2f}), "
        f"FAQ answer {selected.get('intent_response_key')} ({selected.get('confidence', 0):.2f})"
    )


def check_reply(stack: Stack, case: FactCase, reply: str) -> None:
    """The reply has every key fact, is in the question's language and cites its source and check date."""
    problems = []
    language = detect_language(reply)
    if language != case.language:
        problems.append(f"reply in {language}, not {case.language}")
    missing = missing_facts(reply, case.facts)
    if missing:
        problems.append(f"reply lacks {missing}")
    if not all(word in reply for word in SOURCE_WORDS[case.language]):
        problems.append("reply cites no source and check date")
    assert not problems, (
        f"{case.question!r} (expected {case.answer}): {'; '.join(problems)}; "
        f"NLU: {nlu_reading(stack, case.question)}; reply: {reply[:160]!r}"
    )


@pytest.mark.parametrize("case", FAQ_CASES, ids=_case_id)
def test_answer_has_the_key_fact_in_the_users_language(rest: RestClient, stack: Stack, case: FactCase):
    check_reply(stack, case, rest.text(new_sender(), case.question))


@pytest.mark.parametrize("language, question", OUT_OF_SCOPE_CASES, ids=lambda value: value)
def test_out_of_scope_question_gets_the_out_of_scope_answer(
    rest: RestClient, stack: Stack, language: str, question: str
):
    reply = rest.text(new_sender(), question)
    marker = DATA["out_of_scope_marker"][language]
    assert marker in reply, (
        f"{question!r}: not declined; NLU: {nlu_reading(stack, question)}; reply: {reply[:160]!r}"
    )
    assert detect_language(reply) == language
    leaked = [key for key, text in faq_answers(language).items() if first_line(text) in reply]
    assert not leaked, f"{question!r}: got FAQ answer(s) {leaked}"


def _follow_up_id(case: FollowUpCase) -> str:
    return f"{case.language}:{case.context.question} -> {case.follow_up.question}"


@pytest.mark.parametrize("case", FOLLOW_UP_CASES, ids=_follow_up_id)
def test_follow_up_is_answered_in_the_topic_of_the_previous_answer(
    rest: RestClient, stack: Stack, case: FollowUpCase
):
    sender = new_sender()
    check_reply(stack, case.context, rest.text(sender, case.context.question))
    check_reply(stack, case.follow_up, rest.text(sender, case.follow_up.question))


# --- data checks (no server) ---------------------------------------------------------------------


def _responses(path: Path) -> Dict[str, List[Dict]]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}


def response_texts(language: str, name_filter: Callable[[str], bool]) -> Dict[str, str]:
    """Text of the `language` variant of every domain.yml response whose name passes the filter."""
    texts = {}
    for path in [REPO_ROOT / "domain.yml"]:
        for name, variants in _responses(path).items():
            if not name_filter(name):
                continue
            for variant in variants:
                conditions = variant.get("condition") or []
                if any(c.get("name") == "language" and c.get("value") == language for c in conditions):
                    texts[name] = variant.get("text", "")
    return texts


@functools.lru_cache(maxsize=None)
def faq_answers(language: str) -> Dict[str, str]:
    """FAQ key → answer text in `language`, as the chat renders the knowledge base today."""
    return {entry.id: render_answer(entry, language) for entry in load_knowledge().entries}


def first_line(text: str) -> str:
    return text.strip().splitlines()[0]


def all_fact_cases() -> Iterator[FactCase]:
    yield from FAQ_CASES
    for case in FOLLOW_UP_CASES:
        yield case.context
        yield case.follow_up


@pytest.mark.parametrize("case", list(all_fact_cases()), ids=_case_id)
def test_expected_facts_are_in_their_answer_and_single_it_out(case: FactCase):
    answers = faq_answers(case.language)
    assert case.answer in answers, f"no FAQ answer {case.answer} in knowledge/"
    matching = {key for key, text in answers.items() if not missing_facts(text, case.facts)}
    assert case.answer in matching, (
        f"{case.answer} ({case.language}) lacks {missing_facts(answers[case.answer], case.facts)}"
    )
    assert matching == {case.answer, *case.also}, (
        f"facts {case.facts} also match {matching - {case.answer}}, not listed in `also`"
    )


def _known_examples() -> Set[str]:
    """Every training and held-out example, in the form `_same_wording` compares."""
    examples: Set[str] = set()
    paths = [*(REPO_ROOT / "data" / "nlu").glob("*.yml"), *(REPO_ROOT / "tests" / "heldout").rglob("*.yml")]
    for path in paths:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                examples.add(_same_wording(_ENTITY_ANNOTATION.sub(r"\1\2", line.strip().lstrip("- "))))
    return examples


def _same_wording(text: str) -> str:
    """Simplified, lower-cased text with only letters and digits: two questions with the same wording match."""
    return "".join(char for char in normalize_text(text).casefold() if char.isalnum())


def test_questions_are_not_copied_from_training_or_heldout_data():
    known = _known_examples()
    questions = [c.question for c in all_fact_cases()] + [q for _, q in OUT_OF_SCOPE_CASES]
    copied = [q for q in questions if _same_wording(q) in known]
    assert not copied, "questions copied from data/nlu or tests/heldout"


def test_out_of_scope_marker_is_the_domain_response():
    for language in LANGUAGES:
        text = response_texts(language, lambda name: name == OUT_OF_SCOPE_RESPONSE)[OUT_OF_SCOPE_RESPONSE]
        assert DATA["out_of_scope_marker"][language] in text, f"{language}: marker not in {OUT_OF_SCOPE_RESPONSE}"


def test_table_is_big_enough():
    for language in LANGUAGES:
        assert len(DATA["faq"][language]) >= MIN_FAQ_QUESTIONS
        assert len(DATA["out_of_scope"][language]) >= MIN_OUT_OF_SCOPE
        assert len(DATA["follow_ups"][language]) >= MIN_FOLLOW_UPS


def test_every_faq_answer_is_asked_in_both_languages():
    for language in LANGUAGES:
        asked = {case.answer for case in FAQ_CASES if case.language == language}
        assert not set(faq_answers(language)) - asked, f"{language}: no question for these answers"
