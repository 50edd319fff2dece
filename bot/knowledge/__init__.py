"""The knowledge base: the office's answers, keyed by (topic, aspect), read from knowledge/*.yml.

One entry per answer with its zh and en text side by side, its official sources, when it was last
checked, whether it is verified and, for a time-limited policy, when the policy ends. The files are
the single home of every FAQ answer: the answer action renders them (bot.knowledge.render), the NLU
reads their topics and aspects, the content checks and `make content-report` read them too.
"""
from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

import yaml

from bot.settings import REPO_ROOT

KNOWLEDGE_FOLDER = REPO_ROOT / "knowledge"
TOPICS_FILE = "topics.yml"
ASPECTS_FILE = "aspects.yml"
OUT_OF_SCOPE_FILE = "out_of_scope.yml"
LANGUAGES = ("zh", "en")
EMERGENCY_KINDS = ("abroad", "beijing")


class KnowledgeError(ValueError):
    """A knowledge file breaks the schema (docs/CONTENT_GUIDE.md); the message says where."""


@dataclass(frozen=True)
class Source:
    """One official page an answer rests on."""

    url: str
    publisher: Mapping[str, str]
    published: Optional[datetime.date]


@dataclass(frozen=True)
class Entry:
    """One answer of the knowledge base."""

    id: str
    topic: str
    aspect: str
    answer: Mapping[str, str]
    sources: Tuple[Source, ...]
    checked: datetime.date
    question: Mapping[str, str] = field(default_factory=dict)
    cues: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    verified: bool = True
    confirm: bool = False
    ends: Optional[datetime.date] = None
    emergency: Optional[str] = None
    related: Tuple[str, ...] = ()
    file: str = ""

    def title(self, language: str) -> str:
        """Short title for buttons: the entry's canonical question, else its first sentence."""
        return self.question.get(language) or self.answer[language].split("。")[0].split(". ")[0][:40]


@dataclass(frozen=True)
class Term:
    """A topic or an aspect: its names and the words that signal it in a question."""

    id: str
    name: Mapping[str, str]
    cues: Mapping[str, Tuple[str, ...]]
    referral: Mapping[str, str] = field(default_factory=dict)
    places: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    weight: float = 1.0


@dataclass
class KnowledgeBase:
    """All entries, with lookups by id and by (topic, aspect)."""

    entries: List[Entry]
    topics: Dict[str, Term]
    aspects: Dict[str, Term]
    out_of_scope: Dict[str, Term] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_id = {entry.id: entry for entry in self.entries}
        self._by_pair = {(entry.topic, entry.aspect): entry for entry in self.entries}

    def get(self, entry_id: str) -> Optional[Entry]:
        return self._by_id.get(entry_id)

    def find(self, topic: str, aspect: str) -> Optional[Entry]:
        return self._by_pair.get((topic, aspect))

    def of_topic(self, topic: str) -> List[Entry]:
        return [entry for entry in self.entries if entry.topic == topic]

    def aspect_term(self, aspect: str) -> Term:
        """The aspect's definition; an entry-specific aspect gets one from the entry's cues."""
        if aspect in self.aspects:
            return self.aspects[aspect]
        cues: Dict[str, Tuple[str, ...]] = {}
        names: Dict[str, str] = {}
        for entry in self.entries:
            if entry.aspect == aspect:
                for language, words in entry.cues.items():
                    cues[language] = tuple(dict.fromkeys(cues.get(language, ()) + tuple(words)))
                for language in LANGUAGES:
                    names.setdefault(language, entry.title(language))
        return Term(aspect, names, cues)


def _date(value: Any, where: str, required: bool = True) -> Optional[datetime.date]:
    if value is None and not required:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise KnowledgeError(f"{where}: not a date (YYYY-MM-DD): {value!r}") from None


def _bilingual(value: Any, where: str, required: bool = True) -> Dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping) or any(not isinstance(value.get(lang), str) for lang in LANGUAGES):
        raise KnowledgeError(f"{where}: needs zh and en text")
    return {lang: value[lang].strip() for lang in LANGUAGES}


def _cues(value: Any, where: str) -> Dict[str, Tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise KnowledgeError(f"{where}: cues must map zh/en to lists of words")
    return {lang: tuple(str(word) for word in value.get(lang) or ()) for lang in LANGUAGES}


def _source(raw: Any, where: str) -> Source:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("url"), str):
        raise KnowledgeError(f"{where}: a source needs a url")
    publisher = raw.get("publisher")
    if isinstance(publisher, str):
        publisher = {lang: publisher for lang in LANGUAGES}
    return Source(
        url=raw["url"].strip(),
        publisher=_bilingual(publisher, f"{where} publisher"),
        published=_date(raw.get("published"), f"{where} published", required=False),
    )


def parse_entry(raw: Mapping[str, Any], topic: str, file: str) -> Entry:
    """One entry of a topic file, checked against the schema."""
    where = f"{file}: {raw.get('id', '?')}"
    for key in ("id", "aspect", "answer", "sources", "checked"):
        if key not in raw:
            raise KnowledgeError(f"{where}: missing {key}")
    emergency = raw.get("emergency")
    if emergency is not None and emergency not in EMERGENCY_KINDS:
        raise KnowledgeError(f"{where}: emergency must be one of {EMERGENCY_KINDS}")
    sources = raw.get("sources") or []
    return Entry(
        id=str(raw["id"]),
        topic=str(raw.get("topic") or topic),
        aspect=str(raw["aspect"]),
        answer=_bilingual(raw["answer"], f"{where} answer"),
        sources=tuple(_source(s, f"{where} source") for s in sources),
        checked=_date(raw["checked"], f"{where} checked"),
        question=_bilingual(raw.get("question"), f"{where} question", required=False),
        cues=_cues(raw.get("cues"), where),
        verified=bool(raw.get("verified", True)),
        confirm=bool(raw.get("confirm", False)),
        ends=_date(raw.get("ends"), f"{where} ends", required=False),
        emergency=emergency,
        related=tuple(str(r) for r in raw.get("related") or ()),
        file=file,
    )


def _terms(path: Path, key: str) -> Dict[str, Term]:
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = {}
    for term_id, spec in (raw.get(key) or {}).items():
        where = f"{path.name}: {term_id}"
        terms[term_id] = Term(
            term_id,
            _bilingual(spec.get("name") or spec.get("channel"), f"{where} name"),
            _cues(spec.get("cues"), where),
            _bilingual(spec.get("referral") or spec.get("channel"), f"{where} referral", required=False),
            _cues(spec.get("places"), where),
            float(spec.get("weight", 1.0)),
        )
    return terms


def knowledge_files(folder: Path = KNOWLEDGE_FOLDER) -> List[Path]:
    """Every file of the knowledge base: the answers and the lexicons."""
    return sorted(folder.glob("*.yml"))


def topic_files(folder: Path) -> Iterable[Path]:
    """The knowledge files that hold answers (``topic:`` and ``entries:``)."""
    for path in knowledge_files(folder):
        if path.name not in (TOPICS_FILE, ASPECTS_FILE, OUT_OF_SCOPE_FILE):
            yield path


def load_knowledge_from(folder: Path) -> KnowledgeBase:
    """Read and check every knowledge file of `folder`."""
    entries: List[Entry] = []
    for path in topic_files(folder):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, Mapping) or "entries" not in raw:
            continue
        topic = str(raw.get("topic") or path.stem)
        entries.extend(parse_entry(item, topic, path.name) for item in raw.get("entries") or [])
    seen_ids: Dict[str, str] = {}
    seen_pairs: Dict[Tuple[str, str], str] = {}
    for entry in entries:
        if entry.id in seen_ids:
            raise KnowledgeError(f"{entry.file}: id {entry.id} also in {seen_ids[entry.id]}")
        pair = (entry.topic, entry.aspect)
        if pair in seen_pairs:
            raise KnowledgeError(f"{entry.file}: {entry.id} has the same topic and aspect as {seen_pairs[pair]}")
        seen_ids[entry.id] = entry.file
        seen_pairs[pair] = entry.id
    return KnowledgeBase(
        entries,
        _terms(folder / TOPICS_FILE, "topics"),
        _terms(folder / ASPECTS_FILE, "aspects"),
        _terms(folder / OUT_OF_SCOPE_FILE, "services"),
    )


@functools.lru_cache(maxsize=4)
def load_knowledge(folder: Path = KNOWLEDGE_FOLDER) -> KnowledgeBase:
    """The knowledge base of the repository, read once per process."""
    return load_knowledge_from(folder)

