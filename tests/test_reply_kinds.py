"""The reply classifier evaluators share: kinds, language and first sentence, read from the reply as shown."""
from bot.reply_kinds import classify, first_sentence, reply_language

ANSWER = [{"text": "APEC商务旅行卡每张720元。\n来源：中山市外事局 https://www.zs.gov.cn/x"}]
LOOKUP = [{"text": "请提供申请编号，例如 ABTC-2025-000318。"}]
CODE_PROMPT = [{"text": "To verify it's you, please enter the last 4 digits of the contact phone number."}]
CLARIFY = [{"text": "您想了解哪一项？", "buttons": [{"title": "APEC卡费用", "payload": "/x"}]}]
DECLINE = [{"text": "这个问题不在我的服务范围内，请拨打12345。"}]


def test_kinds_follow_the_reply_conventions():
    assert [classify(r) for r in (ANSWER, LOOKUP, CODE_PROMPT, CLARIFY, DECLINE)] == [
        "answer", "lookup", "lookup", "clarify", "out_of_scope"]


def test_a_source_line_makes_an_answer_even_with_buttons():
    assert classify([{"text": "Valid 5 years.\nSource: APEC", "buttons": [{"title": "Renewal"}]}]) == "answer"


def test_language_ignores_the_source_line_and_urls():
    english = "Register within 24 hours at the police station.\n来源：北京市公安局出入境管理局 https://gaj.beijing.gov.cn/"
    assert reply_language(english) == "en"
    assert reply_language(ANSWER[0]["text"]) == "zh"


def test_first_sentence_ends_at_the_first_full_stop_or_line_break():
    assert first_sentence("请立即拨打12308。使领馆可以探视。") == "请立即拨打12308。"
    assert first_sentence("Call 120 now. Interpretation exists.") == "Call 120 now."
    assert first_sentence("Call +86-10-12308\nthen the embassy") == "Call +86-10-12308"
