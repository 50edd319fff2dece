"""Over the real REST channel: answers come in the user's language, and switches stick."""
import uuid

from bot.launcher import Stack
from bot.nlu.language import detect_language
from tests.e2e.conftest import RestClient, stack_settings


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def test_chinese_question_gets_a_chinese_answer(rest):
    answer = rest.text(new_sender(), "APEC卡的有效期是几年？")
    assert detect_language(answer) == "zh"
    assert "5年" in answer


def test_english_question_gets_an_english_answer(rest):
    answer = rest.text(new_sender(), "How many years is the APEC business travel card valid?")
    assert detect_language(answer) == "en"
    assert "5 years" in answer


def test_mixed_question_follows_its_main_language(rest):
    english = rest.text(new_sender(), "APEC卡 how long is it valid")
    assert detect_language(english) == "en" and "5 years" in english
    chinese = rest.text(new_sender(), "我想问 ABTC card 多少钱")
    assert detect_language(chinese) == "zh" and "720" in chinese


def test_explicit_switch_to_english_sticks_until_switched_back(rest):
    sender = new_sender()
    assert detect_language(rest.text(sender, "你好")) == "zh"
    assert detect_language(rest.text(sender, "please answer in English")) == "en"
    after = rest.text(sender, "APEC卡多少钱？")
    assert detect_language(after) == "en" and "720" in after
    assert detect_language(rest.text(sender, "请用中文回答")) == "zh"
    assert detect_language(rest.text(sender, "how much does the APEC card cost")) == "zh"


def test_metadata_language_from_the_widget_wins(rest):
    sender = new_sender()
    answer = rest.text(sender, "APEC卡多少钱", metadata={"language": "en"})
    assert detect_language(answer) == "en" and "720" in answer


def test_out_of_scope_question_is_declined_without_an_faq_answer(rest):
    answer = rest.text(new_sender(), "今天北京天气怎么样，会下雨吗？")
    assert "不在我的服务范围" in answer
    english = rest.text(new_sender(), "Can you recommend a good pizza place?")
    assert "outside what I can help with" in english


def test_handoff_shows_verified_channels_and_never_a_placeholder(rest):
    answer = rest.text(new_sender(), "我要转人工")
    assert "12345" in answer and "12308" in answer and "待外办填写" not in answer and "【" not in answer
    english = rest.text(new_sender(), "I want to talk to a human")
    assert "12345" in english and "TO BE FILLED" not in english


def test_an_unclear_message_gets_no_sourced_answer_and_replies_in_the_language(rest):
    # "帮帮我" ("help me") names no topic: never a sourced answer, and the reply is in the user's language.
    for metadata, language in ((None, "zh"), ({"language": "en"}, "en")):
        messages = rest.send(new_sender(), "帮帮我", metadata=metadata)
        text = "\n".join(m.get("text", "") for m in messages)
        assert messages and "来源：" not in text and "Source:" not in text
        assert detect_language(messages[0]["text"]) == language
        assert all(detect_language(b["title"]) == language for b in messages[0].get("buttons", []))


def test_topic_button_payload_answers_that_topic_in_current_language(rest):
    sender = new_sender()
    rest.text(sender, "你好")
    answer = rest.text(sender, '/choose_topic{"faq_key":"apec_fee"}')
    assert "720" in answer and detect_language(answer) == "zh"


def test_conversation_and_language_survive_a_restart(tmp_path):
    settings = stack_settings(tmp_path)
    sender = new_sender()
    first = Stack(settings)
    first.start()
    try:
        client = RestClient(settings.url(settings.rasa_port))
        client.text(sender, "please answer in English")
    finally:
        first.stop()
    second = Stack(settings)
    second.start()
    try:
        client = RestClient(settings.url(settings.rasa_port))
        answer = client.text(sender, "APEC卡多少钱")
        assert detect_language(answer) == "en" and "720" in answer
    finally:
        second.stop()
