"""Fallback questions are read from the events Rasa's own SQL tracker store writes."""
import asyncio
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.web.fallbacks import FallbackReader


def user(text: str, intent: str, timestamp: float) -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 0.3}, timestamp=timestamp)


def write_conversations(path: Path) -> None:
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    conversations = {
        "c1": [user("APEC卡多少钱", "faq", 1.0), ActionExecuted("action_answer_faq", timestamp=1.1),
               user("月球签证怎么办", "nlu_fallback", 2.0), ActionExecuted("action_suggest_topics", timestamp=2.1)],
        "c2": [user("月球签证怎么办", "nlu_fallback", 3.0), ActionExecuted("action_suggest_topics", timestamp=3.1),
               user("what about pets", "deny", 4.0), ActionExecuted("action_default_fallback", timestamp=4.1),
               BotUttered("Sorry", timestamp=4.2)],
    }
    for sender, events in conversations.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def test_fallback_questions_are_grouped_most_frequent_first(tmp_path: Path) -> None:
    write_conversations(tmp_path / "tracker.db")
    questions = FallbackReader(f"sqlite:///{tmp_path / 'tracker.db'}").questions()
    assert [(q.text, q.count, q.conversations) for q in questions] == [
        ("月球签证怎么办", 2, 2), ("what about pets", 1, 1)]
    assert questions[0].last_seen.timestamp() == 3.0


def test_a_tracker_store_that_does_not_exist_yet_has_no_questions_and_is_not_created(tmp_path: Path) -> None:
    assert FallbackReader(f"sqlite:///{tmp_path / 'tracker.db'}").questions() == []
    assert not (tmp_path / "tracker.db").exists()
