"""Intent and FAQ-answer classification with one linear model.

Measured on the held-out set (docs/benchmarks.md, issue 3 note): a logistic regression over
TF-IDF word lemmas and character n-grams is more accurate on this assistant's small bilingual
data than DIET + ResponseSelector, trains in seconds instead of minutes and answers in about a
millisecond without TensorFlow.

One model scores every intent and every FAQ answer (``faq/apec_fee`` …) together. Its output
has the shapes Rasa's own components produce, so the rest of Rasa and our actions read it
unchanged:

- ``intent``/``intent_ranking``: FAQ answers are summed into the retrieval intent ``faq``,
  so its confidence is the probability that the message is any FAQ question;
- ``response_selector["faq"]``: the FAQ answers, renormalized among themselves.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
    TOKENS_NAMES,
)
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.nlu.fingerprint import source_digest
from bot.nlu.text import normalize_text
from bot.nlu.tokenizer import DASHED_CODE

logger = logging.getLogger(__name__)

MODEL_FILE = "linear_classifier.joblib"


def _given_tokens(tokens: Sequence[str]) -> Sequence[str]:
    """Analyzer for pre-tokenized input (module level so the vectorizer can be pickled)."""
    return tokens


def message_lemmas(message: Message) -> List[str]:
    """Lemmas of the message's tokens, the shape of each number or code, and word concepts.

    Shapes let a bare "4821" look like other four-digit codes the model has seen rather than
    like "12308": what matters in a number is usually its form, not its digits.
    """
    words: List[str] = []
    for token in message.get(TOKENS_NAMES[TEXT]) or []:
        lemma = token.lemma or token.text.lower()
        shape = token_shape(lemma)
        if shape != "<code>":  # a reference number's own characters say nothing of the intent
            words.append(lemma)
        if shape:
            words.append(shape)
        concept = concept_of(lemma)
        if concept:
            words.append(concept)
    return words


# Nationality words say "a foreigner": who may apply, which visa, whose embassy helps.
_NATIONALITIES = frozenset(
    "american british english german french japanese korean russian canadian australian italian spanish "
    "indian brazilian mexican dutch swedish swiss polish thai vietnamese singaporean malaysian filipino "
    "indonesian turkish egyptian nigerian kenyan israeli iranian pakistani norwegian danish finnish irish "
    "portuguese greek austrian belgian czech hungarian argentinian chilean colombian".split()
)


def concept_of(word: str) -> Optional[str]:
    """``<foreign_nationality>`` for "德国籍", "美籍", "German" and the like, else None."""
    if word.endswith("籍") and len(word) >= 2 and not word.startswith(("中国", "原籍", "户籍", "国籍", "书籍")):
        return "<foreign_nationality>"
    if word in _NATIONALITIES:
        return "<foreign_nationality>"
    return None


def token_shape(word: str) -> Optional[str]:
    """``<digits4>`` for a 4-digit number, ``<code>`` for a dashed code with digits, else None."""
    if word.isdigit():
        return f"<digits{min(len(word), 9)}>"
    if "-" in word and any(char.isdigit() for char in word):
        return "<code>"
    return None


def message_characters(message: Message) -> str:
    """The message text half-width, simplified and lower-cased, for character n-grams;
    reference numbers become one placeholder character."""
    return DASHED_CODE.sub("#", normalize_text(message.get(TEXT) or "").lower())


class LinearModel:
    """The vectorizers and the classifier: everything that is trained and persisted."""

    def __init__(self, config: Dict[str, Any]) -> None:
        self.words = TfidfVectorizer(analyzer=_given_tokens, sublinear_tf=True)
        self.characters = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(config["min_char_ngram"], config["max_char_ngram"]),
            min_df=config["min_char_ngram_count"],
            sublinear_tf=True,
            lowercase=False,
        )
        self.classifier = LogisticRegression(
            C=config["C"],
            class_weight=config["class_weight"],
            max_iter=config["max_iter"],
            random_state=config["random_seed"],
        )

    def fit(self, messages: List[Message], labels: List[str]) -> None:
        features = hstack(
            [
                self.words.fit_transform([message_lemmas(m) for m in messages]),
                self.characters.fit_transform([message_characters(m) for m in messages]),
            ]
        ).tocsr()
        self.classifier.fit(features, labels)
        # predict multiplies by coef_.T; Fortran order makes that C-contiguous, so scipy does not
        # copy the whole weight matrix on every prediction (6–7 ms per message, measured).
        self.classifier.coef_ = np.asfortranarray(self.classifier.coef_)

    def probabilities(self, message: Message) -> Dict[str, float]:
        """Label → probability for one message."""
        features = hstack(
            [
                self.words.transform([message_lemmas(message)]),
                self.characters.transform([message_characters(message)]),
            ]
        ).tocsr()
        row = self.classifier.predict_proba(features)[0]
        return {label: float(p) for label, p in zip(self.classifier.classes_, row)}


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Predicts the intent and, for FAQ questions, the answer key."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Values chosen on the held-out set; see the module docstring.

        Character n-grams seen in fewer than `min_char_ngram_count` training examples are dropped:
        with 253 labels every feature costs 253 weights, and the rare n-grams made the fit take
        397 s and 8.9 GB. Measured on the held-out set (top-1 label, 644 questions, same process
        and data, scripts/tune_classifier.py): all 90k features, C=30, balanced weights 85.2%, 397–399 s;
        16k features, C=10, balanced 86.3%, 75–81 s; the same unweighted 87.1%, 77–95 s, 2.3 GB (the choice).
        """
        return {
            "C": 10.0,
            "class_weight": None,
            "max_iter": 3000,
            "min_char_ngram": 1,
            "max_char_ngram": 4,
            "min_char_ngram_count": 5,
            "retrieval_intent": "faq",
            "ranking_length": 10,
            "random_seed": 42,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Our code is part of the cache key, so a code change retrains this component."""
        return source_digest(__name__)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[LinearModel] = None,
        responses: Optional[Dict[str, List[Dict[str, Any]]]] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model
        self._responses = responses or {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on every example with an intent, FAQ examples under their full ``faq/<key>``."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [m.get_full_intent() for m in examples]
        if len(set(labels)) < 2:
            logger.warning("LinearIntentClassifier needs at least two intents; not trained.")
            return self._resource
        model = LinearModel(self._config)
        model.fit(examples, labels)
        self._model = model
        self._responses = {
            name: variations
            for name, variations in training_data.responses.items()
            if name.startswith(f"utter_{self._config['retrieval_intent']}/")
        }
        with self._model_storage.write_to(self._resource) as folder:
            joblib.dump({"model": model, "responses": self._responses}, Path(folder) / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as folder:
                saved = joblib.load(Path(folder) / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("LinearIntentClassifier found no trained model; it will predict nothing.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, saved["model"], saved["responses"])

    def process(self, messages: List[Message]) -> List[Message]:
        """Set intent, intent ranking and the FAQ answer ranking on each message."""
        if self._model is None:
            return messages
        for message in messages:
            self._annotate(message, self._model.probabilities(message))
        return messages

    def _annotate(self, message: Message, probabilities: Dict[str, float]) -> None:
        retrieval_intent = self._config["retrieval_intent"]
        intents, answers = split_retrieval(probabilities, retrieval_intent)
        ranking = sorted(intents.items(), key=lambda item: -item[1])[: self._config["ranking_length"]]
        message.set(
            INTENT, {INTENT_NAME_KEY: ranking[0][0], PREDICTED_CONFIDENCE_KEY: ranking[0][1]}, add_to_output=True
        )
        message.set(
            INTENT_RANKING_KEY,
            [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: p} for name, p in ranking],
            add_to_output=True,
        )
        if answers:
            selector = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            selector[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = [retrieval_intent]
            selector[retrieval_intent] = self._selector_output(answers)
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selector, add_to_output=True)

    def _selector_output(self, answers: Dict[str, float]) -> Dict[str, Any]:
        """The dictionary Rasa's ResponseSelector would put under its retrieval intent."""
        ranked = sorted(answers.items(), key=lambda item: -item[1])[: self._config["ranking_length"]]
        best_key, best_confidence = ranked[0]
        return {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                RESPONSE_SELECTOR_RESPONSES_KEY: self._responses.get(f"utter_{best_key}", []),
                PREDICTED_CONFIDENCE_KEY: best_confidence,
                INTENT_RESPONSE_KEY: best_key,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{best_key}",
            },
            RESPONSE_SELECTOR_RANKING_KEY: [
                {"id": index, PREDICTED_CONFIDENCE_KEY: p, INTENT_RESPONSE_KEY: key}
                for index, (key, p) in enumerate(ranked)
            ],
        }


def split_retrieval(
    probabilities: Dict[str, float], retrieval_intent: str
) -> Tuple[Dict[str, float], Dict[str, float]]:
    """(intent → p with FAQ answers summed into the retrieval intent, answer → p among answers)."""
    prefix = f"{retrieval_intent}/"
    intents: Dict[str, float] = {}
    answers: Dict[str, float] = {}
    for label, p in probabilities.items():
        if label.startswith(prefix):
            answers[label] = p
        else:
            intents[label] = p
    total = float(np.sum(list(answers.values()))) if answers else 0.0
    if answers:
        intents[retrieval_intent] = total
        answers = {key: p / total for key, p in answers.items()} if total > 0 else answers
    return intents, answers
