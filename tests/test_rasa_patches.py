"""The cached action-response validator accepts and rejects exactly what Rasa's own check does."""
import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_patches

GOOD = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "language", "value": "en"}], "responses": [{"text": "hi"}]},
    {},
]
BAD = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": "text"},
]


@pytest.mark.parametrize("result", GOOD)
def test_valid_results_pass_both(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())
    assert rasa_patches.validate_action_result(None, result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_results_fail_both(result):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as raised:
        rasa_patches.validate_action_result(None, result)
    assert "Failed to validate Action server response" in raised.value.message


def test_patch_is_installed_when_channels_are_imported():
    import bot.channels  # noqa: F401

    assert RemoteAction._validate_action_result is rasa_patches.validate_action_result


@pytest.mark.parametrize("type_name", ["user", "bot", "slot", "action", "active_loop", "session_started", "restart"])
def test_cached_event_classes_are_rasas_own(type_name):
    from rasa.shared.core.events import Event

    assert rasa_patches.resolve_by_type(type_name) is rasa_patches._stock_resolve_by_type(type_name)
    assert Event.resolve_by_type(type_name) is rasa_patches._stock_resolve_by_type(type_name)


def test_unknown_event_names_behave_as_in_rasa():
    assert rasa_patches.resolve_by_type("topic") is None
    assert rasa_patches.resolve_by_type("no_such_event", default=int) is int
    with pytest.raises(ValueError):
        rasa_patches.resolve_by_type("no_such_event")
