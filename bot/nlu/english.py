"""spaCy blank English pipeline with the lookup lemmatizer (no downloaded model needed).

The lemma table ships in the `spacy-lookups-data` package, so nothing is fetched at run time.
"""
from __future__ import annotations

import functools
from typing import List, Tuple

import spacy
from spacy.language import Language


@functools.lru_cache(maxsize=1)
def english_pipeline() -> Language:
    """The process-wide blank English pipeline (tokenizer + lookup lemmatizer)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def english_tokens(text: str) -> List[Tuple[str, int, str]]:
    """(token text, start offset, lower-case lemma) for every spaCy token of `text`."""
    return [
        (token.text, token.idx, (token.lemma_ or token.text).lower())
        for token in english_pipeline()(text)
    ]
