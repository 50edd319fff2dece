"""The action server's body check: calls rasa-sdk 3.6 answers with 500 are refused with a reason."""
import pytest

from bot.action_server import action_call_problem

VALID = {
    "next_action": "action_language",
    "sender_id": "u1",
    "tracker": {"sender_id": "u1", "slots": {}, "latest_message": {}, "events": [], "active_loop": {}},
    "domain": {},
    "version": "3.6.21",
}


@pytest.mark.parametrize(
    "call",
    [
        [],
        5,
        "x",
        {},
        {**VALID, "next_action": 5},
        {**VALID, "next_action": ""},
        {**VALID, "tracker": "x"},
        {**VALID, "tracker": {"slots": {}}},
        {**VALID, "tracker": {**VALID["tracker"], "events": "x"}},
        {**VALID, "tracker": {**VALID["tracker"], "events": [1]}},
        {**VALID, "tracker": {**VALID["tracker"], "slots": []}},
        {**VALID, "domain": 3},
        {**VALID, "version": 7},
    ],
)
def test_malformed_action_calls_are_refused(call):
    assert action_call_problem(call)


def test_a_call_shaped_like_rasas_passes():
    assert action_call_problem(VALID) is None
