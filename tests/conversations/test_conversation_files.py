"""The conversation suite without servers: its files (schema, size, coverage, no user turn taken from
training) and how the runner checks a reply and plays a conversation."""
from collections import Counter

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.backend.reference import extract_reference
from bot.evaluation_conversations import (
    LANGUAGES,
    PERSONAS,
    ConversationFileError,
    check_turn,
    load_conversations,
    load_file,
    parse_turn,
    pass_rate,
    play_all,
)
from bot.settings import REPO_ROOT
from tests.nlu.test_training_data import comparable

MIN_CONVERSATIONS = 120
MAX_SINGLE_TURN_SHARE = 0.10
# Acknowledgements, codes and one-word answers ("好的", "yes", "4821") and bare references are shared by
# any two dialogues and say nothing of copying; a question this long or longer must not be in the training data.
MIN_COMPARABLE_LENGTH = 8


def is_bare_reference(text: str) -> bool:
    reference = extract_reference(text)
    return reference is not None and comparable(reference) == comparable(text)


@pytest.fixture(scope="module")
def conversations():
    return load_conversations()


def test_at_least_120_conversations(conversations):
    assert len(conversations) >= MIN_CONVERSATIONS


def test_conversations_are_multi_turn_except_a_few(conversations):
    single = [c.id for c in conversations if len(c.turns) < 2]
    assert len(single) <= MAX_SINGLE_TURN_SHARE * len(conversations), single


def test_every_persona_is_checked_in_both_languages(conversations):
    covered = Counter((c.persona, language) for c in conversations for language in c.languages)
    missing = [(p, lang) for p in PERSONAS for lang in LANGUAGES if not covered[(p, lang)]]
    assert not missing


def test_every_conversation_checks_a_fact_not_only_the_language(conversations):
    weak = [c.id for c in conversations if not any(t.says or t.first_sentence_says or t.not_says for t in c.turns)]
    assert not weak


def test_no_user_turn_is_copied_from_the_training_data(conversations):
    trained = {comparable(m.get("text")) for m in load_data(str(REPO_ROOT / "data" / "nlu")).intent_examples}
    copied = sorted(
        {t.user for c in conversations for t in c.turns
         if len(comparable(t.user)) >= MIN_COMPARABLE_LENGTH and not is_bare_reference(t.user)
         and comparable(t.user) in trained}
    )
    assert not copied, f"user turns found in data/nlu: {copied}"


def test_a_typo_in_a_check_key_is_refused(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text(
        "conversations:\n  - id: x\n    persona: resident\n    description: d\n"
        "    turns:\n      - user: hi\n        say: [[hello]]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConversationFileError, match="unknown keys"):
        load_file(path)


def test_an_unknown_persona_is_refused(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text(
        "conversations:\n  - id: x\n    persona: tourist\n    description: d\n"
        "    turns:\n      - user: hi\n        lang: en\n",
        encoding="utf-8",
    )
    with pytest.raises(ConversationFileError, match="persona"):
        load_file(path)


def _turn(**checks):
    return parse_turn({"user": "q", **checks}, "test")


def test_facts_match_across_spacing_width_script_and_thousands_separators():
    reply = [{"text": "可處罰款 ２,０００元；境外請撥 +86 10 12308。\n来源：国家移民管理局"}]
    turn = _turn(says=[["2000"], ["+86-10-12308"], ["处罚"]], kind="answer", lang="zh")
    assert check_turn(turn, reply).problems == []


def test_a_number_never_matches_inside_a_longer_one():
    assert check_turn(_turn(says=[["5年"], ["24"]]), [{"text": "有效期15年，2024年起"}]).problems == [
        "does not say '5年'", "does not say '24'"]
    assert check_turn(_turn(says=[["60"], ["180"]]), [{"text": "60–180 days"}]).problems == []


def test_a_short_word_matches_whole_or_plural_and_a_long_one_as_a_stem():
    reply = [{"text": "Fees are usual; interpretation is offered."}]
    assert check_turn(_turn(says=[["fee"], ["interpret"]], not_says=["the US", "pret"]), reply).problems == []
    assert check_turn(_turn(not_says=["use"]), [{"text": "the usual"}]).problems == []
    assert check_turn(_turn(says=[["stop"]], not_says=["no"]), [{"text": "I've stopped; nothing else."}]).problems == []


def test_each_failed_check_is_reported():
    reply = [{"text": "Call 110 now. Chinese citizens abroad: 12308.", "buttons": [{"title": "More"}]}]
    turn = _turn(says=[["120"]], not_says=["12308"], first_sentence_says=[["12308"]], lang="zh", kind="answer")
    problems = check_turn(turn, reply).problems
    assert len(problems) == 5, problems


def test_placeholders_of_the_office_contacts_always_fail():
    reply = [{"text": "电话 【待外办填写：咨询电话】，或拨打12345。"}]
    assert check_turn(_turn(says=[["12345"]]), reply).problems == ["says '待外办填写'"]


def test_a_conversation_is_played_with_one_fresh_sender_and_fails_on_any_turn():
    conversation = load_file_from_text(
        "conversations:\n  - id: c\n    persona: resident\n    description: d\n    turns:\n"
        "      - user: one\n        says: [[\"720\"]]\n      - user: two\n        lang: en\n"
    )[0]
    senders = []

    def send(sender, text):
        senders.append(sender)
        if text == "two":
            raise OSError("connection refused")
        return [{"text": "CNY 720 per card.\nSource: MFA"}]

    first, second = play_all([conversation, conversation], send)
    assert len(set(senders)) == 2 and senders[0] == senders[1]
    assert not first.passed and first.turns[0].problems == [] and first.turns[0].kind == "answer"
    assert "request failed: OSError" in first.turns[1].problems[0]
    assert pass_rate([first, second]) == 0.0


def load_file_from_text(text, tmp=None):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yml"
        path.write_text(text, encoding="utf-8")
        return load_file(path)
