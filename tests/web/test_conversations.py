"""The report's reading of Rasa's tracker store: outcomes per turn, days, languages, unanswered, votes' questions."""
import asyncio
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.web.conversations import BEIJING, ConversationReader, daily_stats, is_junk, question_before, \
    unanswered_questions

# 2026-12-01 10:00 and 2026-12-02 10:00, Beijing time.
DAY1 = datetime(2026, 12, 1, 10, tzinfo=BEIJING).timestamp()
DAY2 = DAY1 + 86400
ANSWER_ZH = "APEC商务旅行卡每张720元。\n来源：中山市外事局 https://www.zs.gov.cn/x"
ANSWER_EN = "The APEC card is valid for 5 years.\nSource: MFA https://cs.mfa.gov.cn/y"
TOPICS = [{"title": "APEC卡费用", "payload": "/choose_topic{\"faq_key\":\"apec_fee\"}"}]


def user(text: str, intent: str, at: float, language: str = "zh") -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 0.9}, timestamp=at,
                       metadata={"language": language})


def bot(text: str, at: float, buttons=None) -> BotUttered:
    return BotUttered(text, data={"buttons": buttons} if buttons else {}, timestamp=at)


def write_conversations(path: Path, day1: float = DAY1) -> None:
    """Three conversations on two Beijing days starting at ``day1`` (10:00 of the first day)."""
    DAY1, DAY2 = day1, day1 + 86400  # noqa: N806 (the module's names, moved)
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    conversations = {
        "c1": [user("/greet", "greet", DAY1), bot("您好", DAY1 + 0.1, TOPICS),
               user("APEC卡多少钱", "faq", DAY1 + 1), ActionExecuted("action_answer_faq", timestamp=DAY1 + 1.1),
               bot(ANSWER_ZH, DAY1 + 1.2),
               user("月球签证怎么办", "nlu_fallback", DAY1 + 2), bot("您想了解哪一项？", DAY1 + 2.1, TOPICS),
               user(TOPICS[0]["payload"], "choose_topic", DAY1 + 3), bot(ANSWER_ZH, DAY1 + 3.1),
               user("我要人工客服", "human_handoff", DAY1 + 4), ActionExecuted("action_handoff", timestamp=DAY1 + 4.1),
               bot("请拨打12345", DAY1 + 4.2)],
        "c2": [user("月球签证 怎么办？", "nlu_fallback", DAY1 + 5), bot("您想了解哪一项？", DAY1 + 5.1, TOPICS),
               user("今天天气怎么样", "out_of_scope", DAY1 + 6), bot("这个问题不在我的服务范围内，请拨打12345。", DAY1 + 6.1),
               user("谢谢", "thank", DAY1 + 7), bot("不客气", DAY1 + 7.1),
               user("****", "nlu_fallback", DAY1 + 8), bot("您想了解哪一项？", DAY1 + 8.1, TOPICS),
               user("???", "nlu_fallback", DAY1 + 9), bot("您想了解哪一项？", DAY1 + 9.1, TOPICS)],
        "c3": [user("how long is the card valid", "faq", DAY2, "en"), SlotSet("language", "en", timestamp=DAY2 + 0.05),
               bot(ANSWER_EN, DAY2 + 0.1),
               user("can I bring my cat", "nlu_fallback", DAY2 + 1, "en"), bot("Which topic?", DAY2 + 1.1, TOPICS)],
    }
    for sender, events in conversations.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def reader_of(tmp_path: Path) -> ConversationReader:
    write_conversations(tmp_path / "tracker.db")
    return ConversationReader(f"sqlite:///{tmp_path / 'tracker.db'}")


def test_each_day_and_language_counts_conversations_and_outcomes(tmp_path: Path) -> None:
    reader = reader_of(tmp_path)
    start = datetime(2026, 12, 1, tzinfo=BEIJING)
    stats = {(s.day, s.language): s for s in daily_stats(reader.turns_between(start, start + timedelta(days=2)))}
    zh = stats[(date(2026, 12, 1), "zh")]
    assert (zh.conversations, zh.answered, zh.clarified, zh.out_of_scope, zh.handed_off) == (2, 2, 4, 1, 1)
    en = stats[(date(2026, 12, 2), "en")]
    assert (en.conversations, en.answered, en.clarified, en.out_of_scope, en.handed_off) == (1, 1, 1, 0, 0)
    assert set(stats) == {(date(2026, 12, 1), "zh"), (date(2026, 12, 2), "en")}


def test_the_date_range_is_in_beijing_days(tmp_path: Path) -> None:
    reader = reader_of(tmp_path)
    only_day2 = reader.turns_between(datetime(2026, 12, 2, tzinfo=BEIJING), datetime(2026, 12, 3, tzinfo=BEIJING))
    assert {turn.sender_id for turn in only_day2} == {"c3"}


def test_unanswered_questions_are_grouped_and_junk_is_left_out(tmp_path: Path) -> None:
    reader = reader_of(tmp_path)
    turns = reader.turns_between(datetime(2026, 11, 30, tzinfo=timezone.utc),
                                 datetime(2026, 12, 3, tzinfo=timezone.utc))
    found = [(q.text, q.count, q.conversations, q.outcome) for q in unanswered_questions(turns)]
    assert found[0][1:] == (2, 2, "clarify") and found[0][0] in ("月球签证怎么办", "月球签证 怎么办？")
    assert sorted(found[1:]) == [("can I bring my cat", 1, 1, "clarify"), ("今天天气怎么样", 1, 1, "out_of_scope")]


def test_junk_is_recognised() -> None:
    assert all(is_junk(text) for text in ("****", "???", "aaaaaaa", "1234", "/greet", "x" * 400, "护照 E••••5678"))
    assert not any(is_junk(text) for text in ("签证", "visa?", "APEC卡多少钱"))


def test_the_question_behind_an_answer_is_found_even_after_a_button(tmp_path: Path) -> None:
    turns = reader_of(tmp_path).turns_of(["c1", "c3"])
    assert question_before(turns, "c3", "The APEC card is valid for 5 years.") == "how long is the card valid"
    assert question_before(turns, "c1", ANSWER_ZH) == "APEC卡费用"  # the later answer came from a button
    assert question_before(turns, "c1", "never said") is None


def test_a_tracker_store_that_does_not_exist_yet_has_no_turns_and_is_not_created(tmp_path: Path) -> None:
    reader = ConversationReader(f"sqlite:///{tmp_path / 'tracker.db'}")
    assert reader.turns_between(datetime(2026, 1, 1, tzinfo=BEIJING), datetime(2027, 1, 1, tzinfo=BEIJING)) == []
    assert reader.turns_of(["x"]) == []
    assert not (tmp_path / "tracker.db").exists()
