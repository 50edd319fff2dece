"""Answers about a chosen topic, and topic suggestions when the assistant is unsure."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from rasa_sdk.events import SlotSet

from bot.content import topic_titles
from bot.nlu.followup import area_of, choose_faq_key, follow_up_answer
from bot.nlu.suggestions import suggest_topics

FAQ_RESPONSE_PREFIX = "utter_faq/"
# An out-of-scope message is read as a follow-up only if the classifier gave FAQ questions at
# least this much: "不去的话会怎么样" does, "火车票多少钱" (train tickets) does not.
MIN_FAQ_CONFIDENCE_FOR_FOLLOW_UP = 0.2


def _language(tracker: Tracker) -> str:
    return "en" if tracker.get_slot("language") == "en" else "zh"


def faq_confidence(message: Dict[str, Any]) -> float:
    """The classifier's probability that the message is some FAQ question."""
    ranking = message.get("intent_ranking") or []
    return next((entry.get("confidence") or 0.0 for entry in ranking if entry.get("name") == "faq"), 0.0)


def answer_faq(dispatcher: CollectingDispatcher, domain: Dict[str, Any], key: Optional[str]) -> List[Dict[str, Any]]:
    """Utter the FAQ answer `key` and remember its topic area for follow-up questions."""
    response = f"{FAQ_RESPONSE_PREFIX}{key}"
    if not key or response not in domain.get("responses", {}):
        dispatcher.utter_message(response="utter_topic_unknown")
        return []
    dispatcher.utter_message(response=response)
    return [SlotSet("faq_area", area_of(key))]


class ActionAnswerFaq(Action):
    """Answers an FAQ question; a topic-less follow-up is read in the previous answer's topic."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        key = choose_faq_key(tracker.latest_message or {}, tracker.get_slot("faq_area"))
        return answer_faq(dispatcher, domain, key)


class ActionAnswerOutOfScope(Action):
    """Declines politely, unless the message is a topic-less follow-up of the previous answer.

    "不去的话会怎么样" alone looks out of scope; right after the accommodation-registration answer
    it asks for the penalty.
    """

    def name(self) -> str:
        return "action_answer_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        message = tracker.latest_message or {}
        key = follow_up_answer(message.get("text") or "", tracker.get_slot("faq_area"))
        if key and faq_confidence(message) >= MIN_FAQ_CONFIDENCE_FOR_FOLLOW_UP:
            return answer_faq(dispatcher, domain, key)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


class ActionAnswerTopic(Action):
    """Answers the FAQ topic named by a button payload: /choose_topic{"faq_key": "apec_fee"}."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        key: Optional[str] = next(tracker.get_latest_entity_values("faq_key"), None)
        return answer_faq(dispatcher, domain, key)


class ActionSuggestTopics(Action):
    """Low-confidence fallback: ask to rephrase and offer the likeliest topics as buttons."""

    def name(self) -> str:
        return "action_suggest_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        key = follow_up_answer((tracker.latest_message or {}).get("text") or "", tracker.get_slot("faq_area"))
        if key:
            return answer_faq(dispatcher, domain, key)
        language = _language(tracker)
        suggestions = suggest_topics(tracker.latest_message or {}, topic_titles(), language)
        if not suggestions:
            dispatcher.utter_message(response="utter_ask_rephrase_no_topics")
            return []
        buttons = [{"title": title, "payload": payload} for title, payload in suggestions]
        dispatcher.utter_message(response="utter_ask_rephrase", buttons=buttons)
        return []
