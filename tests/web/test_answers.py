"""The answer book reads the knowledge base and domain.yml and names the answer a widget text came from."""
from pathlib import Path

from bot.knowledge import load_knowledge
from bot.knowledge.render import render_answer
from bot.settings import REPO_ROOT
from bot.web.answers import AnswerBook, load_responses, ranked_faq_keys, split_source

DOMAIN = REPO_ROOT / "domain.yml"


def test_the_source_line_is_split_from_the_answer_in_both_languages() -> None:
    zh = split_source("有效期5年。\n来源：APEC商务流动小组官网")
    en = split_source("Valid for 5 years.\nSource: APEC Business Mobility Group")
    assert (zh.body, zh.source) == ("有效期5年。", "来源：APEC商务流动小组官网")
    assert (en.body, en.source) == ("Valid for 5 years.", "Source: APEC Business Mobility Group")


def test_every_faq_answer_has_chinese_and_english_text_with_a_source() -> None:
    book = AnswerBook.from_repository(DOMAIN)
    faq_keys = [entry.id for entry in load_knowledge().entries]
    assert faq_keys
    for key in faq_keys:
        answer = book.faq(key)
        for language in ("zh", "en"):
            assert answer.text[language].body, (key, language)
            assert answer.text[language].source, (key, language)


def test_a_text_shown_by_the_widget_is_named_by_its_response_in_either_language() -> None:
    book = AnswerBook.from_repository(DOMAIN)
    entry = load_knowledge().get("apec_what")
    assert book.answer_id(render_answer(entry, "zh")) == "utter_faq/apec_what"
    assert book.answer_id("  " + render_answer(entry, "en") + "\n") == "utter_faq/apec_what"
    greeting = load_responses(DOMAIN)["utter_greet"]["en"]
    assert book.answer_id(greeting) == "utter_greet"


def test_a_text_from_no_template_gets_a_stable_hash_id() -> None:
    book = AnswerBook({}, {})
    first = book.answer_id("电话：010-12345678")
    assert first.startswith("text:") and first == book.answer_id("电话：010-12345678")
    assert first != book.answer_id("电话：010-87654321")


def test_unknown_faq_keys_have_no_answer(tmp_path: Path) -> None:
    assert AnswerBook({}, {}).faq("nothing_here") is None


def test_the_response_selector_ranking_is_read_likeliest_first() -> None:
    parse = {"response_selector": {"faq": {"ranking": [
        {"intent_response_key": "faq/apec_time", "confidence": 0.2},
        {"intent_response_key": "faq/apec_fee", "confidence": 0.7},
        {"intent_response_key": "chitchat/hi", "confidence": 0.1},
    ]}}}
    assert ranked_faq_keys(parse) == [("apec_fee", 0.7), ("apec_time", 0.2)]
    assert ranked_faq_keys({}) == []
