"""Answers from the knowledge base: answer, ask which one, say there is no answer, or decline.

The decision is bot.nlu.understanding.resolve's; this module only says it, in the user's language,
and remembers the topic and aspect for follow-ups.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import Entry, KnowledgeBase, load_knowledge
from bot.knowledge.render import render_answer
from bot.nlu.understanding import Context, Decision, decide

CHOOSE_TOPIC_INTENT = "choose_topic"
MAX_RELATED_BUTTONS = 3
# Topics where a reply that is not an answer still leads with the emergency channel.
REFERRAL_FIRST_TOPICS = ("consular", "emergency")

def knowledge() -> KnowledgeBase:
    return load_knowledge()


def language_of(tracker: Tracker) -> str:
    return "en" if tracker.get_slot("language") == "en" else "zh"


def topic_payload(entry_id: str) -> str:
    """Button payload that answers one entry without going through NLU."""
    return "/choose_topic" + json.dumps({"faq_key": entry_id}, ensure_ascii=False)


def entry_buttons(entry_ids: List[str], language: str) -> List[Dict[str, str]]:
    kb = knowledge()
    return [
        {"title": kb.get(eid).title(language), "payload": topic_payload(eid)}
        for eid in entry_ids
        if kb.get(eid) is not None
    ]


def say_answer(dispatcher: CollectingDispatcher, entry: Entry, language: str) -> List[Dict[str, Any]]:
    """Utter an entry and remember its topic and aspect."""
    dispatcher.utter_message(text=render_answer(entry, language), buttons=entry_buttons(list(entry.related)[:MAX_RELATED_BUTTONS], language))
    return [
        SlotSet("faq_topic", entry.topic),
        SlotSet("faq_aspect", entry.aspect),
        SlotSet("pending_choice", None),
        SlotSet("answer_kind", "answer"),
    ]


def say_decision(dispatcher: CollectingDispatcher, decision: Decision, language: str) -> List[Dict[str, Any]]:
    """Say what `decision` decided; see the module docstring."""
    kb = knowledge()
    if decision.kind == "answer" and kb.get(decision.entry_id):
        return say_answer(dispatcher, kb.get(decision.entry_id), language)
    topic = kb.topics.get(decision.topic or "")
    if topic and decision.topic in REFERRAL_FIRST_TOPICS and topic.referral:
        dispatcher.utter_message(text=topic.referral[language])
    events: List[Dict[str, Any]] = [SlotSet("answer_kind", decision.kind), SlotSet("pending_choice", None)]
    if decision.topic:
        events.append(SlotSet("faq_topic", decision.topic))
    if decision.aspect:
        events.append(SlotSet("faq_aspect", decision.aspect))
    if decision.kind == "no_answer" and topic:
        aspect = kb.aspect_term(decision.aspect or "")
        referral = "" if decision.topic in REFERRAL_FIRST_TOPICS else topic.referral.get(language, "")
        dispatcher.utter_message(
            response="utter_no_answer",
            topic_name=topic.name[language],
            aspect_name=aspect.name.get(language) or decision.aspect,
            referral=referral,
            buttons=entry_buttons(decision.choices, language),
        )
    elif decision.kind == "clarify" and len(decision.choices) == 1:
        only = kb.get(decision.choices[0])
        dispatcher.utter_message(response="utter_clarify_one", title=only.title(language), buttons=entry_buttons(decision.choices, language))
        events[1] = SlotSet("pending_choice", only.id)
    elif decision.kind == "clarify" and decision.choices:
        dispatcher.utter_message(response="utter_clarify", buttons=entry_buttons(decision.choices, language))
    elif decision.service and decision.service in kb.out_of_scope:
        dispatcher.utter_message(response="utter_out_of_scope_service", channel=kb.out_of_scope[decision.service].referral[language])
    else:
        dispatcher.utter_message(response="utter_out_of_scope")
    return events


class ActionAnswerFaq(Action):
    """Answers a question (intent faq, out_of_scope, nlu_fallback or a topic button)."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        message = tracker.latest_message or {}
        language = language_of(tracker)
        if (message.get("intent") or {}).get("name") == CHOOSE_TOPIC_INTENT:
            chosen = knowledge().get(next(tracker.get_latest_entity_values("faq_key"), "") or "")
            if chosen is None:
                dispatcher.utter_message(response="utter_topic_unknown")
                return []
            return say_answer(dispatcher, chosen, language)
        context = Context(tracker.get_slot("faq_topic"), tracker.get_slot("faq_aspect"))
        decision = decide(message, context)
        return say_decision(dispatcher, decision, language)


class ActionAffirmDeny(Action):
    """"yes" / "no" / "好的": answers the one answer a "did you mean …?" offered, else acknowledges."""

    def name(self) -> str:
        return "action_affirm_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        language = language_of(tracker)
        affirmed = (tracker.latest_message.get("intent") or {}).get("name") == "affirm"
        pending = knowledge().get(tracker.get_slot("pending_choice") or "")
        if pending is not None and affirmed:
            return say_answer(dispatcher, pending, language)
        if pending is not None:
            dispatcher.utter_message(response="utter_clarify_declined")
            return [SlotSet("pending_choice", None)]
        dispatcher.utter_message(response="utter_acknowledge")
        return []


class ActionStartOver(Action):
    """"Start over": forgets the conversation's topic and any lookup in progress, keeps its language."""

    def name(self) -> str:
        return "action_start_over"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(response="utter_restart")
        forgotten = ("faq_topic", "faq_aspect", "pending_choice", "answer_kind",
                     "reference", "verification_code", "requested_slot")
        return [SlotSet(slot, None) for slot in forgotten]
