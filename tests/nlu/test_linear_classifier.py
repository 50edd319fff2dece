"""The linear intent/FAQ classifier: output shapes Rasa and our actions read, persistence, shapes of numbers."""
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_classifier import LinearIntentClassifier, concept_of, split_retrieval, token_shape
from bot.nlu.tokenizer import BilingualTokenizer

EXAMPLES = {
    "greet": ["你好", "您好呀", "hello", "hi there", "good morning", "早上好"],
    "faq/apec_fee": ["APEC卡多少钱", "办商务卡要交多少费用", "how much is the ABTC", "APEC card fee", "what does the card cost"],
    "faq/apec_validity": ["APEC卡有效期几年", "商务卡能用多久", "how long is the ABTC valid", "APEC card validity", "when does the card expire"],
}


def training_data():
    messages = []
    for full_intent, texts in EXAMPLES.items():
        intent, _, key = full_intent.partition("/")
        for text in texts:
            data = {"text": text, "intent": intent}
            if key:
                data["intent_response_key"] = full_intent
            messages.append(Message(data=data))
    return TrainingData(messages, responses={"utter_faq/apec_fee": [{"text": "CNY 720"}]})


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(graph_schema=None, model_id="test")
    tokenizer = BilingualTokenizer.create(
        BilingualTokenizer.get_default_config(), storage, Resource("tokenizer"), context
    )
    data = training_data()
    tokenizer.process_training_data(data)
    resource = Resource("classifier")
    config = LinearIntentClassifier.get_default_config()
    LinearIntentClassifier.create(config, storage, resource, context).train(data)
    loaded = LinearIntentClassifier.load(config, storage, resource, context)
    return tokenizer, loaded


def parse(trained, text):
    tokenizer, classifier = trained
    message = Message(data={"text": text})
    tokenizer.process([message])
    classifier.process([message])
    return message.as_dict(only_output_properties=True)


def test_faq_question_gets_intent_faq_and_the_answer_key_after_loading(trained):
    output = parse(trained, "APEC卡的费用是多少")
    assert output["intent"]["name"] == "faq"
    selector = output["response_selector"]["faq"]
    assert selector["response"]["intent_response_key"] == "faq/apec_fee"
    assert selector["response"]["utter_action"] == "utter_faq/apec_fee"
    assert selector["response"]["responses"] == [{"text": "CNY 720"}]
    assert output["response_selector"]["all_retrieval_intents"] == ["faq"]


def test_confidences_are_probabilities_with_faq_summed(trained):
    output = parse(trained, "how long can I use the APEC card")
    ranking = output["intent_ranking"]
    assert {entry["name"] for entry in ranking} == {"greet", "faq"}
    assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)
    answers = output["response_selector"]["faq"]["ranking"]
    assert sum(entry["confidence"] for entry in answers) == pytest.approx(1.0)
    assert answers[0]["intent_response_key"] == "faq/apec_validity"


def test_non_faq_intent(trained):
    assert parse(trained, "hello hello")["intent"]["name"] == "greet"


def test_empty_message_still_gets_an_answer_shape(trained):
    output = parse(trained, "")
    assert output["intent"]["name"] in {"greet", "faq"}


def test_split_retrieval_sums_and_renormalizes():
    intents, answers = split_retrieval({"greet": 0.2, "faq/a": 0.6, "faq/b": 0.2}, "faq")
    assert intents == pytest.approx({"greet": 0.2, "faq": 0.8})
    assert answers == pytest.approx({"faq/a": 0.75, "faq/b": 0.25})


def test_split_retrieval_without_faq_labels():
    assert split_retrieval({"greet": 1.0}, "faq") == ({"greet": 1.0}, {})


@pytest.mark.parametrize(
    "word, shape",
    [("4821", "<digits4>"), ("12308", "<digits5>"), ("abtc-2025-000318", "<code>"), ("apec", None), ("a-b", None)],
)
def test_token_shape(word, shape):
    assert token_shape(word) == shape


@pytest.mark.parametrize(
    "word, concept",
    [("德国籍", "<foreign_nationality>"), ("美籍", "<foreign_nationality>"), ("german", "<foreign_nationality>"),
     ("中国籍", None), ("户籍", None), ("国籍", None), ("germany", None), ("apec", None)],
)
def test_concept_of(word, concept):
    assert concept_of(word) == concept


def test_weights_are_kept_fortran_ordered_without_changing_probabilities(trained):
    """Fortran order only avoids a copy per prediction; the probabilities are those of C order."""
    import numpy as np

    tokenizer, classifier = trained
    model = classifier._model
    assert model.classifier.coef_.flags["F_CONTIGUOUS"]
    probe = Message(data={"text": "APEC卡多少钱"})
    tokenizer.process([probe])
    fortran = model.probabilities(probe)
    model.classifier.coef_ = np.ascontiguousarray(model.classifier.coef_)
    try:
        c_order = model.probabilities(probe)
    finally:
        model.classifier.coef_ = np.asfortranarray(model.classifier.coef_)
    assert fortran.keys() == c_order.keys()
    assert np.allclose([fortran[k] for k in fortran], [c_order[k] for k in fortran])
