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


def test_fortran_ordered_coefficients_give_the_same_probabilities(tmp_path):
    """The experiment must not change what the classifier says, only how fast."""
    import numpy as np
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu import linear_classifier
    from tests.nlu.test_linear_classifier import training_data
    from bot.nlu.tokenizer import BilingualTokenizer

    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    tokenizer = BilingualTokenizer.create(BilingualTokenizer.get_default_config(), LocalModelStorage(tmp_path),
                                          Resource("tokenizer"), ExecutionContext(graph_schema=None, model_id="t"))
    data = training_data()
    tokenizer.process_training_data(data)
    messages = [m for m in data.intent_examples]
    model = linear_classifier.LinearModel(linear_classifier.LinearIntentClassifier.get_default_config())
    model.fit(messages, [m.get("intent") for m in messages])
    probe = Message(data={"text": "APEC卡多少钱"})
    tokenizer.process([probe])
    before = model.probabilities(probe)
    original = linear_classifier.LinearModel.probabilities
    try:
        speedups.fortran_ordered_coefficients()
        after = model.probabilities(probe)
        assert model.classifier.coef_.flags["F_CONTIGUOUS"]
    finally:
        linear_classifier.LinearModel.probabilities = original
    assert before.keys() == after.keys()
    assert np.allclose([before[k] for k in before], [after[k] for k in before])
