"""The application-status lookup form: reference, then verification code, then the answer.

`ValidateStatusForm` is the one decider while the form is open: every message reaches it (the slots'
`from_text` mappings exclude no intent) and it reads the whole message (bot/status_input.py), so a
code is sent to the backend only when it is plausible, a re-pasted reference is not taken for a code,
a new reference switches to it, reference and code in one message are answered at once, and "which
code?", "I forgot my reference", a pause or a cancel get their own answer without an attempt. Anything
else (an FAQ, a greeting, a request for a person) is handed back to the rules with a rejection, which
answer it and return to the form.

Domain contract: slots `reference`, `verification_code`; responses `utter_ask_code_apec`,
`utter_ask_code_invitation`, `utter_invalid_reference`, `utter_invalid_code`, `utter_reference_noted`,
`utter_no_match`, `utter_too_many_attempts`, `utter_lookup_rate_limited`, `utter_lookup_unavailable`,
`utter_status_result_<kind>`, `utter_status_cancelled`, `utter_code_explained_<kind|any>`,
`utter_code_help`, `utter_reference_help`, `utter_status_office_phone`, `utter_take_your_time`.
The code is checked by the backend (never here) and never kept: once used, the slot holds a mask.
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.backend.client import (
    BackendClient,
    BackendUnavailable,
    InvalidRequest,
    NoMatch,
    RateLimited,
    TooManyAttempts,
)
from bot.backend.reference import kind_of
from bot.content import office_details
from bot.privacy.clients import CLIENT_KEY
from bot.status_input import Act, Reading, read

FORM = "status_form"
CODE_MASK = "****"
REFERENCE, CODE, REQUESTED = "reference", "verification_code", "requested_slot"
# Which code to ask for, and how to explain it, depends on the application kind (see domain.yml).
ASK_CODE_RESPONSES = {"apec_card": "utter_ask_code_apec", "invitation": "utter_ask_code_invitation"}
EXPLAIN_CODE_RESPONSES = {"apec_card": "utter_code_explained_apec", "invitation": "utter_code_explained_invitation",
                          None: "utter_code_explained_any"}
# The knowledge-base topic of each application kind.
TOPIC_OF_KIND = {"apec_card": "apec", "invitation": "invitation"}
# Intents the rest of the assistant answers in the middle of a lookup (data/rules/): the form hands
# such a message back unless it is about the lookup itself.
ANSWERED_ELSEWHERE = frozenset({
    "faq", "human_handoff", "out_of_scope", "greet", "goodbye", "thank", "bot_challenge", "switch_language",
    "nlu_fallback", "choose_topic", "capabilities", "complain", "start_over",
})
_client: Optional[BackendClient] = None


def backend_client() -> BackendClient:
    """One client per action-server process, created on first use (not at import)."""
    global _client
    if _client is None:
        _client = BackendClient.from_settings()
    return _client


def client_key_of(tracker: Tracker) -> Optional[str]:
    """The channel's pseudonym of the user's address (bot/privacy/clients.py), for the per-address limit."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    key = metadata.get(CLIENT_KEY) if isinstance(metadata, dict) else None
    return key if isinstance(key, str) else None


def language_of(tracker: Tracker) -> str:
    return "en" if tracker.get_slot("language") == "en" else "zh"


def slot_before_latest_message(tracker: Tracker, name: str) -> Any:
    """The value slot `name` had when the user's latest message arrived (before this turn's extraction)."""
    events = tracker.events
    last_user = max((i for i, event in enumerate(events) if event.get("event") == "user"), default=len(events))
    value = None
    for event in events[:last_user]:
        if event.get("event") == "slot" and event.get("name") == name:
            value = event.get("value")
        elif event.get("event") in ("restart", "session_started"):
            value = None
    return value


def utter_office_phone(dispatcher: CollectingDispatcher, language: str) -> None:
    """The office's phone, only once config/office.yml holds a real one (never a placeholder)."""
    phone = office_details(language).get("phone")
    if phone:
        dispatcher.utter_message(response="utter_status_office_phone", office_phone=phone)


class ValidateStatusForm(Action):
    """Reads each message of the lookup and decides: look up, switch, explain, pause, cancel or hand back."""

    def name(self) -> Text:
        return "validate_status_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        candidates = tracker.slots_to_validate()
        opening = (tracker.active_loop or {}).get("name") != FORM
        if not opening and not candidates:
            return []  # back from an FAQ or another answer in the middle: nothing new to read
        requested = None if opening else tracker.get_slot(REQUESTED)
        held = slot_before_latest_message(tracker, REFERENCE) if requested == CODE else None
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        reading = read(message.get("text"), kind_of(held) if held else None)
        if opening:
            return await self._opening(dispatcher, tracker, reading)
        return await self._answer(dispatcher, tracker, reading, intent, requested, held)

    async def _opening(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                       reading: Reading) -> List[EventType]:
        """The message that started the lookup: use a reference (and code) it holds, or explain."""
        if reading.reference and reading.code:
            return await self._look_up(dispatcher, tracker, reading.reference, reading.code)
        if reading.reference:
            return [SlotSet(REFERENCE, reading.reference), SlotSet(CODE, None)]
        self._explain(dispatcher, tracker, reading.act, None)
        return [SlotSet(REFERENCE, None), SlotSet(CODE, None)]

    async def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, reading: Reading,
                      intent: Optional[str], requested: Optional[str], held: Optional[str]) -> List[EventType]:
        """A message while the form waits for `requested` (with reference `held` when it waits for the code)."""
        if reading.act == Act.CANCEL or (intent == "cancel" and reading.act == Act.OTHER):
            dispatcher.utter_message(response="utter_status_cancelled")
            return [SlotSet(REFERENCE, None), SlotSet(CODE, None), SlotSet(REQUESTED, None)]
        reference = reading.reference or held
        if reading.act == Act.LOOKUP and reference and reading.code:
            return await self._look_up(dispatcher, tracker, reference, reading.code)
        if reading.reference:
            if reading.reference == held:
                dispatcher.utter_message(response="utter_reference_noted", reference=held)
            return [SlotSet(REFERENCE, reading.reference), SlotSet(CODE, None)]
        if reading.act == Act.WRONG_REFERENCE:
            return [SlotSet(REFERENCE, None), SlotSet(CODE, None)]
        keep = [SlotSet(REFERENCE, held), SlotSet(CODE, None)]  # undoes the message's own from_text value
        typed_value = reading.malformed_reference or reading.value_like
        if reading.act in (Act.OTHER, Act.QUESTION) and intent in ANSWERED_ELSEWHERE and not typed_value:
            return [*keep, ActionExecutionRejected(FORM)]
        if reading.malformed_reference or (requested == REFERENCE and (typed_value or reading.act == Act.LOOKUP)):
            dispatcher.utter_message(response="utter_invalid_reference")
        elif reading.act in (Act.OTHER, Act.QUESTION):
            dispatcher.utter_message(response="utter_invalid_code")
        else:
            self._explain(dispatcher, tracker, reading.act, held)
        return keep

    @staticmethod
    def _explain(dispatcher: CollectingDispatcher, tracker: Tracker, act: Act, reference: Optional[str]) -> None:
        """Answers a message about the lookup itself; the form's next question follows."""
        language = language_of(tracker)
        if act == Act.WHICH_CODE:
            dispatcher.utter_message(response=EXPLAIN_CODE_RESPONSES[kind_of(reference) if reference else None])
        elif act == Act.NO_CODE:
            dispatcher.utter_message(response="utter_code_help")
            utter_office_phone(dispatcher, language)
        elif act == Act.NO_REFERENCE:
            dispatcher.utter_message(response="utter_reference_help")
            utter_office_phone(dispatcher, language)
        elif act == Act.PAUSE:
            dispatcher.utter_message(response="utter_take_your_time")

    async def _look_up(self, dispatcher: CollectingDispatcher, tracker: Tracker, reference: str,
                       code: str) -> List[EventType]:
        """Asks the backend; the form ends with the answer, or stays on the code after a mismatch."""
        language = language_of(tracker)
        done = [SlotSet(REFERENCE, reference), SlotSet(CODE, CODE_MASK)]
        try:
            result = await backend_client().lookup(reference, code, tracker.sender_id, client_key_of(tracker))
        except InvalidRequest:
            dispatcher.utter_message(response="utter_invalid_code")
            return [SlotSet(REFERENCE, reference), SlotSet(CODE, None)]
        except NoMatch:
            dispatcher.utter_message(response="utter_no_match", reference=reference)
            return [SlotSet(REFERENCE, reference), SlotSet(CODE, None)]
        except TooManyAttempts as refused:
            minutes = max(1, math.ceil((refused.retry_after or 600) / 60))
            dispatcher.utter_message(response="utter_too_many_attempts", reference=reference, minutes=minutes)
            utter_office_phone(dispatcher, language)
        except RateLimited:
            dispatcher.utter_message(response="utter_lookup_rate_limited")
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_lookup_unavailable")
        else:
            dispatcher.utter_message(
                response=f"utter_status_result_{result.kind}",
                reference=result.reference,
                status_meaning=getattr(result, f"status_meaning_{language}"),
                detail=getattr(result, f"detail_{language}"),
                next_step=getattr(result, f"next_step_{language}"),
            )
            # Follow-ups ("要补什么材料？", "why was it turned down?") are about this application's topic.
            done += [SlotSet("faq_topic", TOPIC_OF_KIND[result.kind]), SlotSet("faq_aspect", None)]
        return done


class ActionAskVerificationCode(Action):
    """Asks for the code that fits the application kind (passport or phone digits)."""

    def name(self) -> Text:
        return "action_ask_verification_code"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        reference = tracker.get_slot(REFERENCE)
        kind = kind_of(reference) if reference else "apec_card"
        dispatcher.utter_message(response=ASK_CODE_RESPONSES[kind], reference=reference)
        return []


def _reset() -> List[Dict[Text, Any]]:
    return [SlotSet(REFERENCE, None), SlotSet(CODE, None)]


class ActionFinishStatus(Action):
    """Clears the lookup slots after the answer, so the next lookup starts fresh."""

    def name(self) -> Text:
        return "action_finish_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        return _reset()


class ActionCancelStatus(Action):
    """The user stopped the lookup ("算了", "never mind").

    A bare "查询" that the classifier took for a cancel ("取消查询" is close) asks for a lookup: it starts one.
    """

    def name(self) -> Text:
        return "action_cancel_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        if read((tracker.latest_message or {}).get("text")).act == Act.START:
            return [*_reset(), FollowupAction(FORM)]
        dispatcher.utter_message(response="utter_status_cancelled")
        return _reset()
