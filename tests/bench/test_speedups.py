"""The cached validator accepts and rejects exactly what jsonschema.validate does (for the profiler's experiment)."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.bench import speedups


@pytest.fixture
def cached():
    speedups.cache_schema_validation()
    yield jsonschema.validate
    speedups.cache_schema_validation(False)


def test_cached_validation_agrees_with_jsonschema_on_action_server_responses(cached):
    schema = RemoteAction.action_response_format_spec()
    good = {"events": [{"event": "slot", "name": "language", "value": "zh"}], "responses": [{"text": "hi"}]}
    bad = {"events": [{"event": "slot", "name": 5}], "responses": "not a list"}
    cached(good, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as by_cache:
        cached(bad, schema)
    with pytest.raises(jsonschema.ValidationError) as by_stock:
        speedups._original_validate(bad, schema)
    assert by_cache.value.message == by_stock.value.message


def test_switching_off_restores_the_stock_function():
    speedups.cache_schema_validation()
    speedups.cache_schema_validation(False)
    assert jsonschema.validate is speedups._original_validate
