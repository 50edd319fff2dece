"""What the status form's validator does with each kind of message, with the backend replaced by a recorder.

The real backend and Rasa are exercised in tests/e2e/test_status_lookup.py; here each decision is
checked on its own: which code reaches the backend (none, for most messages) and which slots are set.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.status as status
from bot.backend.client import NoMatch, TooManyAttempts

REF, OTHER = "ABTC-2025-000233", "INV-2025-000051"


class Recorder:
    """Stands in for BackendClient: records each lookup and answers with `answer` (raised if an exception)."""

    def __init__(self, answer: Any = None) -> None:
        self.calls: List[tuple[str, str]] = []
        self.answer = answer

    async def lookup(self, reference: str, code: str, conversation_id: Optional[str],
                     client_key: Optional[str] = None) -> Any:
        self.calls.append((reference, code))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder(NoMatch("no_match"))
    monkeypatch.setattr(status, "backend_client", lambda: recorder)
    return recorder


def tracker(text: str, intent: str = "inform", requested: Optional[str] = "verification_code",
            held: Optional[str] = REF) -> Tracker:
    """The tracker the validator gets: `held` validated before, then the user's `text` as the slot candidate."""
    before = [{"event": "slot", "name": "reference", "value": held}] if held else []
    candidate = [{"event": "slot", "name": requested or "reference", "value": text}]
    events = [*before, {"event": "action", "name": "action_listen"}, {"event": "user", "text": text},
              {"event": "action", "name": "status_form"}, *candidate]
    slots = {"reference": held, "verification_code": None, "requested_slot": requested, "language": "en"}
    active = {"name": "status_form"} if requested else {}
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "metadata": {}}
    return Tracker("conv", slots, message, events, False, None, active, "status_form")


async def validate(tracker_: Tracker) -> tuple[List[Dict[str, Any]], List[str]]:
    dispatcher = CollectingDispatcher()
    events = await status.ValidateStatusForm().run(dispatcher, tracker_, {})
    return events, [message["response"] for message in dispatcher.messages]


def slots(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


@pytest.mark.asyncio
@pytest.mark.parametrize("text", [REF, "abtc 2025 000233", "嗯", "wait", "okay", "是哪四位", "2025年申请的",
                                  "is it 1184?", "查询", "the code"])
async def test_nothing_but_a_plausible_code_reaches_the_backend(backend: Recorder, text: str) -> None:
    events, _ = await validate(tracker(text))
    assert backend.calls == []
    assert slots(events).get("reference") == REF and slots(events).get("verification_code") is None


@pytest.mark.asyncio
async def test_a_code_is_looked_up_for_the_reference_in_hand(backend: Recorder) -> None:
    events, responses = await validate(tracker("the code is 7302"))
    assert backend.calls == [(REF, "7302")]
    assert responses == ["utter_no_match"] and slots(events)["verification_code"] is None


@pytest.mark.asyncio
async def test_a_new_reference_switches_and_a_reference_with_a_code_is_looked_up_at_once(backend: Recorder) -> None:
    events, _ = await validate(tracker(f"sorry, wrong number, it's {OTHER}", intent="check_status"))
    assert backend.calls == [] and slots(events) == {"reference": OTHER, "verification_code": None}
    await validate(tracker(f"{OTHER} 3390", intent="check_status"))
    assert backend.calls == [(OTHER, "3390")]


@pytest.mark.asyncio
async def test_the_opening_message_with_reference_and_code_is_answered_at_once(backend: Recorder) -> None:
    await validate(tracker(f"查询 {REF} 验证码7302", intent="check_status", requested=None, held=None))
    assert backend.calls == [(REF, "7302")]


@pytest.mark.asyncio
@pytest.mark.parametrize("text, intent, response", [
    ("which code?", "faq", "utter_code_explained_apec"),
    ("I can't give the code", "human_handoff", "utter_code_help"),
    ("I forgot my reference", "faq", "utter_reference_help"),
    ("wait", "affirm", "utter_take_your_time"),
])
async def test_questions_about_the_lookup_are_answered_by_the_form(backend: Recorder, text: str, intent: str,
                                                                   response: str) -> None:
    events, responses = await validate(tracker(text, intent=intent))
    assert responses == [response] and backend.calls == []
    assert not any(event.get("event") == "action_execution_rejected" for event in events)


@pytest.mark.asyncio
async def test_other_questions_are_handed_back_to_the_rules(backend: Recorder) -> None:
    events, responses = await validate(tracker("APEC卡多少钱？", intent="faq"))
    assert responses == [] and events[-1]["event"] == "action_execution_rejected"
    # the question must not stay in the code slot, or the form would take itself for complete afterwards
    assert slots(events) == {"reference": REF, "verification_code": None}


@pytest.mark.asyncio
@pytest.mark.parametrize("text, intent, cancels", [
    ("算了", "cancel", True), ("never mind", "inform", True), ("I'd rather leave it", "cancel", True),
    ("查询", "cancel", False), (f"不是这个编号，是{OTHER}", "cancel", False),
])
async def test_cancel_words_cancel_only_when_they_mean_it(backend: Recorder, text: str, intent: str,
                                                          cancels: bool) -> None:
    events, responses = await validate(tracker(text, intent=intent))
    assert ("utter_status_cancelled" in responses) is cancels
    assert (slots(events).get("requested_slot", "kept") is None) is cancels


@pytest.mark.asyncio
async def test_too_many_attempts_end_the_lookup_with_the_wait(backend: Recorder) -> None:
    backend.answer = TooManyAttempts(125)
    events, responses = await validate(tracker("1111"))
    assert responses == ["utter_too_many_attempts"] and slots(events)["verification_code"] == status.CODE_MASK


@pytest.mark.asyncio
async def test_back_from_an_faq_the_validator_reads_nothing(backend: Recorder) -> None:
    back = tracker("APEC卡多少钱？", intent="faq")
    back.events = [*back.events[:-1], {"event": "action", "name": "action_answer_faq"},
                   {"event": "action", "name": "status_form"}]
    assert await validate(back) == ([], [])


@pytest.mark.asyncio
async def test_a_bare_lookup_word_taken_for_a_cancel_starts_the_lookup() -> None:
    dispatcher = CollectingDispatcher()
    events = await status.ActionCancelStatus().run(dispatcher, tracker("查询", intent="cancel", requested=None), {})
    assert dispatcher.messages == [] and (events[-1]["event"], events[-1]["name"]) == ("followup", "status_form")
    events = await status.ActionCancelStatus().run(dispatcher, tracker("算了", intent="cancel", requested=None), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_status_cancelled"]
