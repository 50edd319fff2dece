"""Reply classification and key-fact matching that the external yardstick scores with."""
from __future__ import annotations

import pytest

from bot.evaluation_external import (
    ANSWERED, CLARIFY, DECLINE, DECLINED, RIGHT, SILENT, WRONG, Gates, Question, gate_failures, judge, summarize,
)
from bot.evaluation_replies import ReplyKind, answer_body, classify_reply, missing_facts, states_fact

ANSWER_ZH = [{"text": "每卡收取720元，有效期5年。"}, {"text": "来源：中山市外事局 zsfa.zsnews.cn"}]
ANSWER_EN = [{"text": "The card costs CNY 720.\nSource: Zhongshan FAO"}]
LOOKUP = [{"text": "请发送您的申请编号，例如 ABTC-2025-000412。"}]
CLARIFY_REPLY = [{"text": "您想问哪一项？", "buttons": [{"title": "APEC卡", "payload": "/x"}]}]
DECLINE_REPLY = [{"text": "这个问题不在我的服务范围，请拨打12345。"}]


@pytest.mark.parametrize("messages, kind", [
    (ANSWER_ZH, ReplyKind.ANSWER),
    (ANSWER_EN, ReplyKind.ANSWER),
    ([{"text": "Body\nsource: x", "buttons": [{"title": "more"}]}], ReplyKind.ANSWER),
    (LOOKUP, ReplyKind.LOOKUP),
    ([{"text": "Please send your application reference."}], ReplyKind.LOOKUP),
    (CLARIFY_REPLY, ReplyKind.CLARIFY),
    (DECLINE_REPLY, ReplyKind.DECLINE),
    ([{"text": "答案\n来源：x"}, {"text": "还想了解？", "buttons": [{"title": "续办"}]}], ReplyKind.ANSWER),
    ([{"text": "来源不明的消息请勿相信"}, {"text": "请拨打110"}], ReplyKind.DECLINE),
    ([], ReplyKind.SILENT),
    ([{"text": "  "}], ReplyKind.SILENT),
])
def test_classify_reply(messages, kind):
    assert classify_reply(messages) is kind


def test_answer_body_leaves_out_the_source_line():
    assert answer_body(ANSWER_ZH) == "每卡收取720元，有效期5年。"


@pytest.mark.parametrize("text, alternatives, expected", [
    ("收费720元", ["720"], True),
    ("收费7200元", ["720"], False),
    ("有效期 5 年", ["5年", "五年"], True),
    ("有效期15年", ["5年"], False),
    ("有效期五年", ["5年", "五年"], True),
    ("辦理費用", ["办理费用"], True),
    ("Call ＋86-10-12308", ["12308"], True),
    ("It is not allowed", ["no"], False),
    ("No, it is not", ["no"], True),
    ("help with evacuation", ["evacuat"], True),
    ("register within 24-hours", ["24 hours"], True),
    ("FIVE YEARS", ["five years"], True),
])
def test_states_fact(text, alternatives, expected):
    assert states_fact(text, alternatives) is expected


def test_missing_facts_lists_each_unmet_fact():
    assert missing_facts("fee CNY 720", [["720"], ["5 years", "five years"]]) == [["5 years", "five years"]]


def question(topic="apec", lang="zh", facts=(("720",),), lookup_ok=False):
    return Question(q="q", lang=lang, topic=topic, source="https://example.org", facts=facts, lookup_ok=lookup_ok)


@pytest.mark.parametrize("q, messages, outcome", [
    (question(), ANSWER_ZH, RIGHT),
    (question(facts=(("720",), ("3年",))), ANSWER_ZH, WRONG),
    (question(), LOOKUP, WRONG),
    (question(lookup_ok=True), LOOKUP, RIGHT),
    (question(), CLARIFY_REPLY, CLARIFY),
    (question(), DECLINE_REPLY, DECLINE),
    (question(), [], SILENT),
    (question(topic="out_of_scope", facts=()), DECLINE_REPLY, DECLINED),
    (question(topic="out_of_scope", facts=()), ANSWER_ZH, ANSWERED),
    (question(topic="out_of_scope", facts=()), LOOKUP, ANSWERED),
    (question(topic="out_of_scope", facts=()), CLARIFY_REPLY, CLARIFY),
])
def test_judge(q, messages, outcome):
    assert judge(q, messages).outcome == outcome


def test_gates_fail_on_each_threshold():
    in_zh = [judge(question(lang="zh"), ANSWER_ZH) for _ in range(9)] + [judge(question(lang="zh"), CLARIFY_REPLY)]
    in_en = [judge(question(lang="en"), ANSWER_EN) for _ in range(10)]
    oos = [judge(question(topic="out_of_scope", facts=()), DECLINE_REPLY) for _ in range(20)]
    assert gate_failures(summarize(in_zh + in_en + oos), Gates()) == []
    wrong = [judge(question(lang="en", facts=(("nope",),)), ANSWER_EN)]
    answered = [judge(question(topic="out_of_scope", facts=()), ANSWER_ZH) for _ in range(2)]
    failures = gate_failures(summarize(in_zh + in_en + wrong + oos + answered), Gates())
    assert any("out-of-scope" in f for f in failures)
    assert any("wrong answers" in f for f in failures)
    assert not any(f.startswith("[zh]") for f in failures)
    low = [judge(question(lang="zh"), DECLINE_REPLY) for _ in range(2)]
    assert any(f.startswith("[zh]") for f in gate_failures(summarize(in_zh + low + in_en + oos), Gates()))
