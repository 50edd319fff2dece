"""One tokenizer for Chinese, English and mixed messages.

Rasa's JiebaTokenizer emits whitespace and punctuation tokens and knows nothing of English
lemmas; the whitespace tokenizer cannot segment Han text. This component:

- keeps reference numbers and dashed numbers (``ABTC-2024-000107``, ``+86-10-12308``) whole;
- segments every whitespace-free chunk that contains Han characters with jieba, using the
  domain dictionary kept in ``bot/nlu/dictionary/`` (``APEC商务旅行卡``, ``邀请核实单`` …);
- tokenizes Latin-script chunks with spaCy's blank English pipeline and sets lookup lemmas;
- drops whitespace and punctuation tokens;
- segments a length-preserving normalized copy (full-width → half-width, traditional →
  simplified) so offsets always point into the original text.
"""
from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import segmenter
from bot.nlu.english import english_lemma, english_tokens
from bot.nlu.fingerprint import source_digest
from bot.nlu.text import is_han, is_noise, normalize_text

logger = logging.getLogger(__name__)

DEFAULT_DICTIONARY_FOLDER = str(Path(__file__).parent / "dictionary")

# Letters or digits joined by dashes, with at least one digit: reference numbers, phone numbers, dates.
DASHED_CODE = re.compile(
    r"(?<![A-Za-z0-9])\+?(?=[A-Za-z0-9+-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![A-Za-z0-9])"
)
_CHUNK = re.compile(r"\S+")


def _spans(text: str) -> Iterator[Tuple[int, int, bool]]:
    """(start, end, is_dashed_code) spans covering the non-space parts of `text`."""
    position = 0
    for match in DASHED_CODE.finditer(text):
        for chunk in _CHUNK.finditer(text, position, match.start()):
            yield chunk.start(), chunk.end(), False
        yield match.start(), match.end(), True
        position = match.end()
    for chunk in _CHUNK.finditer(text, position):
        yield chunk.start(), chunk.end(), False


def split_tokens(text: str) -> List[Tuple[str, int, str]]:
    """(text, start, lemma) of every meaningful token of `text`; the pure core of the component."""
    normalized = normalize_text(text)
    tokens: List[Tuple[str, int, str]] = []
    for start, end, is_code in _spans(normalized):
        chunk = normalized[start:end]
        if is_code:
            pieces = [(chunk, 0, chunk.lower())]
        elif any(is_han(char) for char in chunk):
            pieces = [
                (word, offset, _lemma_of_mixed_piece(word))
                for word, offset in segmenter.segment(chunk)
            ]
        else:
            pieces = english_tokens(chunk)
        for piece, offset, lemma in pieces:
            if piece.strip() and not is_noise(piece):
                begin = start + offset
                tokens.append((text[begin : begin + len(piece)], begin, lemma))
    return tokens


def _lemma_of_mixed_piece(piece: str) -> str:
    """Lemma of a jieba piece: English words inside Han chunks get spaCy's lemma too."""
    if piece.isascii() and piece.isalpha():
        return english_lemma(piece)
    return piece.lower()


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class BilingualTokenizer(Tokenizer):
    """jieba for Han text, spaCy for Latin text, no whitespace or punctuation tokens."""

    @staticmethod
    def supported_languages() -> Optional[List[str]]:
        """Any pipeline language: the component decides per chunk by script."""
        return None

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Defaults as in Rasa's tokenizers, plus the jieba dictionary folder."""
        return {
            "dictionary_path": DEFAULT_DICTIONARY_FOLDER,
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Our code and the jieba dictionary are part of the cache key, so changing either re-runs this."""
        return source_digest(__name__, segmenter.dictionary_files(config.get("dictionary_path") or DEFAULT_DICTIONARY_FOLDER))

    @staticmethod
    def required_packages() -> List[str]:
        """Packages checked by Rasa (import name = distribution name; opencc is not)."""
        return ["jieba", "spacy"]

    def __init__(
        self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        """Keep the storage handles: the dictionary is copied into the model at training."""
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "BilingualTokenizer":
        """Load the repo's dictionary for training."""
        if config.get("dictionary_path"):
            segmenter.load_dictionary_folder(config["dictionary_path"])
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "BilingualTokenizer":
        """Load the dictionary saved inside the model, so a model never depends on the checkout."""
        try:
            with model_storage.read_from(resource) as folder:
                segmenter.load_dictionary_folder(str(folder))
        except ValueError:
            logger.debug("Model has no jieba dictionary; using jieba's own only.")
        segmenter.warm_up()
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Copy the dictionary folder into the model storage."""
        folder = self._config.get("dictionary_path")
        if folder:
            with self._model_storage.write_to(self._resource) as target:
                for path in Path(folder).glob("*.txt"):
                    shutil.copy2(path, Path(target) / path.name)
        return self._resource

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        """Tokens of one message attribute (see module docstring)."""
        text = message.get(attribute) or ""
        return [
            Token(piece, start, lemma=lemma) for piece, start, lemma in split_tokens(text)
        ]
