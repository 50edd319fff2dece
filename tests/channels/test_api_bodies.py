"""Bodies of Rasa's HTTP API that stock Rasa 3.6 answers with 500 are named as client errors."""
import pytest

from bot.channels import api_bodies


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/model/parse", []),
        ("POST", "/model/parse", None),
        ("POST", "/model/parse", {"a": 1}),
        ("POST", "/model/parse", {"text": 5}),
        ("POST", "/conversations/u1/messages", "x"),
        ("POST", "/conversations/u1/messages", {"text": "hi"}),
        ("POST", "/conversations/u1/trigger_intent", None),
        ("POST", "/conversations/u1/trigger_intent", {"name": "greet", "entities": 5}),
        ("POST", "/conversations/u1/execute", {"name": "utter_greet", "confidence": "high"}),
        ("POST", "/conversations/u1/tracker/events", []),
        ("POST", "/conversations/u1/tracker/events", {"event": "no_such_event"}),
        ("POST", "/conversations/u1/tracker/events", [{"event": "slot"}, 5]),
        ("PUT", "/conversations/a/b/tracker/events", {"event": "restart"}),
        ("POST", "/model/predict", {"event": "restart"}),
    ],
)
def test_malformed_api_bodies_have_a_reason(method, path, body):
    check = api_bodies.check_for(method, path)
    assert check is not None
    assert check(body)


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/model/parse", {"text": "APEC卡有效期几年？"}),
        ("POST", "/conversations/u1/messages", {"text": "hi", "sender": "user"}),
        ("POST", "/conversations/u1/trigger_intent", {"name": "greet", "entities": {"reference": "X"}}),
        ("POST", "/conversations/u1/execute", {"name": "utter_greet", "confidence": 0.9}),
        ("POST", "/conversations/u1/tracker/events", {"event": "slot", "name": "language", "value": "en"}),
        ("PUT", "/conversations/u1/tracker/events", []),
        ("POST", "/model/predict", [{"event": "action", "name": "action_listen"}]),
    ],
)
def test_well_formed_api_bodies_pass(method, path, body):
    assert api_bodies.check_for(method, path)(body) is None


def test_routes_without_a_body_are_not_checked():
    assert api_bodies.check_for("POST", "/conversations/u1/predict") is None
    assert api_bodies.check_for("GET", "/model/parse") is None


def test_model_management_paths_are_recognised():
    assert all(api_bodies.MODEL_ADMIN.fullmatch(p) for p in ("/model", "/model/train", "/model/test/intents"))
    assert not api_bodies.MODEL_ADMIN.fullmatch("/model/parse")


def test_execute_of_an_action_the_domain_lacks_is_named():
    assert api_bodies.unknown_action({"name": "no_such_action"}, ["utter_greet"])
    assert api_bodies.unknown_action({"name": "utter_greet"}, ["utter_greet"]) is None


def test_decode_names_invalid_json_and_utf8():
    assert api_bodies.decode(b'{"text": "\xff"}')[1]
    assert api_bodies.decode(b"{not json")[1]
    assert api_bodies.decode(b'{"text": "hi"}') == ({"text": "hi"}, None)
