"""The assistant's answers, for the operator console (zh and en side by side, with the source) and
for naming an answer in the feedback table: the knowledge base's entries as the chat shows them
(bot.knowledge.render) and the dialogue responses of domain.yml.

domain.yml is read as YAML directly (not through Rasa's Domain class) so the web app starts fast and
does not load Rasa; only the response texts and their ``language`` conditions matter here.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

import yaml

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.render import render_answer

LANGUAGES = ("zh", "en")
FAQ_PREFIX = "utter_faq/"
SOURCE_MARKERS = ("来源：", "来源:", "Source:")
# Part of a response the socket.io channel sends as its own message (it splits on blank lines).
PART_SEPARATOR = "\n\n"
TEXT_ID_PREFIX = "text:"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: about ten times faster


@dataclass(frozen=True)
class AnswerText:
    """One language variant of an answer: what it says and where that comes from."""

    body: str
    source: str

    @property
    def full(self) -> str:
        return f"{self.body}\n{self.source}".strip()


@dataclass(frozen=True)
class FaqAnswer:
    """One FAQ answer in both languages, as the operator console shows it."""

    key: str
    title: Dict[str, str]
    text: Dict[str, AnswerText]


def split_source(text: str) -> AnswerText:
    """Separate the answer from its source line (来源：… / Source: …)."""
    lines = text.strip().splitlines()
    body = [line for line in lines if not line.strip().startswith(SOURCE_MARKERS)]
    source = [line.strip() for line in lines if line.strip().startswith(SOURCE_MARKERS)]
    return AnswerText(body="\n".join(body).strip(), source="\n".join(source))


def _variant_language(variant: Mapping) -> Optional[str]:
    for condition in variant.get("condition") or []:
        if condition.get("name") == "language" and condition.get("value") in LANGUAGES:
            return condition["value"]
    return None


def load_responses(domain_file: Path) -> Dict[str, Dict[str, str]]:
    """Response name → {language: text} of a domain file; unconditioned variants count as zh."""
    responses: Dict[str, Dict[str, str]] = {}
    for path in [domain_file]:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        for name, variants in (content.get("responses") or {}).items():
            for variant in variants or []:
                if "text" in variant:
                    language = _variant_language(variant) or "zh"
                    responses.setdefault(name, {}).setdefault(language, variant["text"])
    return responses


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class AnswerBook:
    """Looks answers up by FAQ key and tells which response a text the widget showed came from."""

    def __init__(self, responses: Dict[str, Dict[str, str]], titles: Mapping[str, Mapping[str, str]]):
        self._responses = responses
        self._titles = titles
        self._by_text: Dict[str, str] = {}
        for name, texts in responses.items():
            for text in texts.values():
                if "{" in text:
                    continue
                self._by_text.setdefault(_normalize(text), name)
                for part in text.split(PART_SEPARATOR):
                    self._by_text.setdefault(_normalize(part), name)

    @classmethod
    def from_repository(cls, domain_file: Path, kb: Optional[KnowledgeBase] = None) -> "AnswerBook":
        """The dialogue responses of `domain_file` and every knowledge entry, rendered as today."""
        kb = kb or load_knowledge()
        responses = load_responses(domain_file)
        for entry in kb.entries:
            responses[FAQ_PREFIX + entry.id] = {language: render_answer(entry, language) for language in LANGUAGES}
        titles = {entry.id: {language: entry.title(language) for language in LANGUAGES} for entry in kb.entries}
        return cls(responses, titles)

    def faq(self, key: str) -> Optional[FaqAnswer]:
        """The FAQ answer ``key`` (e.g. ``apec_fee``) in both languages, or None if unknown."""
        texts = self._responses.get(FAQ_PREFIX + key)
        if not texts:
            return None
        title = dict(self._titles.get(key) or {"zh": key, "en": key})
        return FaqAnswer(
            key=key,
            title=title,
            text={language: split_source(texts.get(language, "")) for language in LANGUAGES},
        )

    def answer_id(self, text: str) -> str:
        """The response name that produced ``text`` (``utter_faq/apec_fee``), else a stable hash.

        Texts filled in at run time (office contacts) match no template and get the hash.
        """
        name = self._by_text.get(_normalize(text))
        if name:
            return name
        return TEXT_ID_PREFIX + hashlib.sha256(_normalize(text).encode("utf-8")).hexdigest()[:16]

    def is_known(self, answer_id: str) -> bool:
        """True for the id of one of the domain's responses (not a hash of an unknown text)."""
        return not answer_id.startswith(TEXT_ID_PREFIX)

    def title(self, answer_id: str, language: str) -> Optional[str]:
        """Topic title of an FAQ answer id, for the report; None for other answers."""
        if not answer_id.startswith(FAQ_PREFIX):
            return None
        entry = self._titles.get(answer_id[len(FAQ_PREFIX):])
        return entry.get(language) if entry else None


def ranked_faq_keys(parse_data: Mapping) -> List[Tuple[str, float]]:
    """(FAQ key, confidence) pairs of the response selector's ranking, likeliest first."""
    selector = (parse_data.get("response_selector") or {}).get("faq") or {}
    ranked: List[Tuple[str, float]] = []
    for entry in selector.get("ranking") or []:
        retrieval_intent, _, key = (entry.get("intent_response_key") or "").partition("/")
        if retrieval_intent == "faq" and key:
            ranked.append((key, float(entry.get("confidence") or 0.0)))
    return sorted(ranked, key=lambda pair: pair[1], reverse=True)
