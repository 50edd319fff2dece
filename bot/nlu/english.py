"""spaCy blank English pipeline with the lookup lemmatizer (no downloaded model needed).

The lemma table ships in the `spacy-lookups-data` package, so nothing is fetched at run time.
"""
from __future__ import annotations

import functools
from typing import Any, List, Tuple

import spacy
from spacy.language import Language


@functools.lru_cache(maxsize=1)
def english_pipeline() -> Language:
    """The process-wide blank English pipeline (tokenizer + lookup lemmatizer)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@functools.lru_cache(maxsize=1)
def _lemma_table() -> Any:
    return english_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def english_lemma(word: str) -> str:
    """Lower-case lookup lemma ("Running" → "run"); the table is keyed by lower-case forms."""
    lower = word.lower()
    return _lemma_table().get(lower, lower)


def english_tokens(text: str) -> List[Tuple[str, int, str]]:
    """(token text, start offset, lemma) for every token of spaCy's English tokenizer."""
    return [(token.text, token.idx, english_lemma(token.text)) for token in english_pipeline().tokenizer(text)]
