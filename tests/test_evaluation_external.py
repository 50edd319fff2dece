"""How the external yardstick judges a reply, matches key facts and applies the gates of issue 11."""
from __future__ import annotations

import pytest

from bot.evaluation_external import (
    ANSWERED, CLARIFY, DECLINE, DECLINED, RIGHT, SILENT, WRONG, Gates, Question, answer_body, gate_failures,
    judge, missing_facts, summarize,
)

ANSWER_ZH = [{"text": "每卡收取720元，有效期5年。"}, {"text": "来源：中山市外事局 zsfa.zsnews.cn"}]
ANSWER_EN = [{"text": "The card costs CNY 720.\nSource: Zhongshan FAO"}]
LOOKUP = [{"text": "请发送您的申请编号，例如 ABTC-2025-000412。"}]
CLARIFY_REPLY = [{"text": "您想问哪一项？", "buttons": [{"title": "APEC卡", "payload": "/x"}]}]
DECLINE_REPLY = [{"text": "这个问题不在我的服务范围，请拨打12345。"}]


@pytest.mark.parametrize("text, spelling, expected", [
    ("收费720元", "720", True),
    ("收费7200元", "720", False),
    ("有效期 5 年", "5年", True),
    ("有效期15年", "5年", False),
    ("辦理費用", "办理费用", True),
    ("Call ＋86-10-12308", "12308", True),
    ("up to CNY 2,000", "2000", True),
    ("It is not allowed", "no", False),
    ("usually in Beijing", "US", False),
    ("the US and Canada", "US", True),
    ("No, it is not", "no", True),
    ("ABTCs are issued", "ABTC", True),
    ("help with evacuation", "evacuat", True),
    ("register within 24-hours", "24 hours", True),
    ("FIVE YEARS", "five years", True),
])
def test_a_fact_is_stated(text, spelling, expected):
    assert (missing_facts(text, [[spelling]]) == []) is expected


def test_short_words_are_whole_words_in_both_yardsticks():
    from bot.evaluation_conversations import mentions

    assert not mentions("It is not allowed", "no")  # one matcher for the conversation suite and the yardstick
    assert mentions("No, it is not allowed", "no")
    assert missing_facts("It is not allowed", [["no"]]) == [["no"]]


def test_missing_facts_lists_each_unmet_fact():
    assert missing_facts("fee CNY 720", [["720"], ["5 years", "five years"]]) == [["5 years", "five years"]]


def test_answer_body_leaves_out_the_source_line():
    assert answer_body("每卡收取720元。\n来源：12308热线介绍") == "每卡收取720元。"


def question(topic="apec", lang="zh", facts=(("720",),), lookup_ok=False):
    return Question(q="q", lang=lang, topic=topic, source="https://example.org", facts=facts, lookup_ok=lookup_ok)


OOS = dict(topic="out_of_scope", facts=())


@pytest.mark.parametrize("q, messages, outcome", [
    (question(), ANSWER_ZH, RIGHT),
    (question(facts=(("720",), ("3年",))), ANSWER_ZH, WRONG),
    (question(facts=(("中山",),)), ANSWER_ZH, WRONG),  # only in the source line
    (question(), LOOKUP, WRONG),
    (question(lookup_ok=True), LOOKUP, RIGHT),
    (question(), CLARIFY_REPLY, CLARIFY),
    (question(), DECLINE_REPLY, DECLINE),
    (question(), [], SILENT),
    (question(), [{"text": "  "}], SILENT),
    (question(**OOS), DECLINE_REPLY, DECLINED),
    (question(**OOS), ANSWER_ZH, ANSWERED),
    (question(**OOS), LOOKUP, ANSWERED),
    (question(**OOS), CLARIFY_REPLY, CLARIFY),
    (question(**OOS), [], SILENT),
])
def test_judge(q, messages, outcome):
    assert judge(q, messages).outcome == outcome


def test_gates_fail_on_each_threshold():
    in_zh = [judge(question(lang="zh"), ANSWER_ZH) for _ in range(9)] + [judge(question(lang="zh"), CLARIFY_REPLY)]
    in_en = [judge(question(lang="en"), ANSWER_EN) for _ in range(10)]
    oos = [judge(question(**OOS), DECLINE_REPLY) for _ in range(20)]
    assert gate_failures(summarize(in_zh + in_en + oos), Gates()) == []
    wrong = [judge(question(lang="en", facts=(("nope",),)), ANSWER_EN)]
    answered = [judge(question(**OOS), ANSWER_ZH) for _ in range(2)]
    failures = gate_failures(summarize(in_zh + in_en + wrong + oos + answered), Gates())
    assert any("out-of-scope" in f for f in failures)
    assert any("wrong answers" in f for f in failures)
    assert not any(f.startswith("[zh]") for f in failures)
    low = [judge(question(lang="zh"), DECLINE_REPLY) for _ in range(2)]
    assert any(f.startswith("[zh]") for f in gate_failures(summarize(in_zh + low + in_en + oos), Gates()))
