"""Dialogue-act rules that correct the classifier's intent."""
import pytest

from bot.knowledge import load_knowledge
from bot.nlu.acts import corrected_intent
from bot.nlu.understanding import Lexicons

REFERENCE = [{"entity": "reference", "value": "ABTC-2025-000233"}]


@pytest.fixture(scope="module")
def lexicons() -> Lexicons:
    return Lexicons(load_knowledge())


def test_a_message_with_a_reference_starts_the_status_lookup_whatever_its_intent(lexicons) -> None:
    assert corrected_intent("sorry, wrong number, it's INV-2025-000051", "deny", REFERENCE, lexicons) == "check_status"
    assert corrected_intent("查询 ABTC-2025-000233", "faq", REFERENCE, lexicons) == "check_status"


@pytest.mark.parametrize("text", ["能用英语吗", "我看不懂中文", "please answer in Chinese"])
def test_a_language_request_is_a_switch_whatever_the_classifier_said(lexicons, text) -> None:
    assert corrected_intent(text, "faq", [], lexicons) == "switch_language"


def test_the_classifier_alone_cannot_switch_the_language(lexicons) -> None:
    assert corrected_intent("can the ambulance staff speak English", "switch_language", [], lexicons) == "faq"


def test_a_topic_word_makes_small_talk_a_question(lexicons) -> None:
    assert corrected_intent("谢谢，那邀请函呢？", "thank", [], lexicons) == "faq"
    assert corrected_intent("谢谢", "thank", [], lexicons) is None


def test_button_payloads_are_left_alone(lexicons) -> None:
    assert corrected_intent('/choose_topic{"faq_key":"apec_fee"}', "choose_topic", [], lexicons) is None


def test_an_unsure_check_status_with_a_reference_is_made_sure() -> None:
    """The classifier's own low-confidence check_status must not be left for FallbackClassifier to override."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.acts import DialogueActRules

    message = Message(data={"text": "ABTC-2025-000233 7302", "intent": {"name": "check_status", "confidence": 0.3},
                            "intent_ranking": [{"name": "check_status", "confidence": 0.3}],
                            "entities": [{"entity": "reference", "value": "ABTC-2025-000233"}]})
    DialogueActRules({}).process([message])
    assert message.get("intent") == {"name": "check_status", "confidence": 1.0}


def test_a_confident_other_intent_is_no_close_second_after_the_correction() -> None:
    """FallbackClassifier calls top two within 0.08 ambiguous: the overruled intent must fall well behind."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.acts import DialogueActRules

    message = Message(data={"text": "ABTC-2025-000233 7302", "intent": {"name": "inform", "confidence": 0.95},
                            "intent_ranking": [{"name": "inform", "confidence": 0.95}],
                            "entities": [{"entity": "reference", "value": "ABTC-2025-000233"}]})
    DialogueActRules({}).process([message])
    first, second = message.get("intent_ranking")[:2]
    assert first["name"] == "check_status" and first["confidence"] - second["confidence"] > 0.08


@pytest.mark.parametrize("text", ["Can you look up where our APEC card application is?", "check status",
                                  "帮我查一下我们的申请进度", "我们的申请办到哪一步了"])
def test_a_request_to_look_an_application_up_starts_the_lookup(lexicons, text) -> None:
    assert corrected_intent(text, "faq", [], lexicons) == "check_status"


@pytest.mark.parametrize("text", ["怎么查APEC卡申请进度", "How can I check the progress of my ABTC application?"])
def test_a_question_on_how_to_track_an_application_is_not_a_lookup(lexicons, text) -> None:
    assert corrected_intent(text, "faq", [], lexicons) is None
