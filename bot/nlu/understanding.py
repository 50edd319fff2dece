"""What a question is about: its topic and aspect, read from domain terms, the classifier and context.

The flat answer classifier alone fits the phrasings it was trained on. Questions written by others
still name their topic with a domain term ("APEC卡", "邀请函", "transit") and their aspect with a
question word ("多少钱", "how long can I stay"), so both are read from the cue lexicons in
knowledge/topics.yml, knowledge/aspects.yml and the entries' own cues, and combined with the
classifier's ranking of answers. A follow-up that names only one half takes the other from the
previous answer. The result says how sure it is, so the caller can answer, ask, or decline.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from bot.knowledge import KnowledgeBase, Term, load_knowledge
from bot.nlu.text import normalize_text

# Thresholds chosen on the external dev half (docs/benchmarks.md).
# Within a named topic and no named aspect: answer the classifier's best entry of that topic when it
# holds at least this share of the topic's probability, and the message looks like an FAQ question.
# …and is at least ANSWER_LEAD times as likely as the next entry: a near tie is a question to ask.
# (Share 0.4 without a lead suited the earlier, sharper classifier; with the present one, share 0.25 and
# lead 1.5 give on the dev half 2 more right answers and no more wrong ones: right 66.4% -> 67.8%.)
ANSWER_SHARE = 0.25
ANSWER_LEAD = 1.5
MIN_FAQ_CONFIDENCE = 0.3
# The classifier overrides the aspect cue only when it is this sure (P(FAQ) × P(answer)) of another
# entry of the topic: a cue word can belong to a more specific question ("邀请函要多久" is answered
# by the invitation letter's time-and-fee entry).
CLASSIFIER_OVERRIDES_CUE = 0.6
# Without a topic, answer only when the classifier is this sure and the question names the
# answer's aspect ("what's the fee for the card then?"); otherwise at most offer choices.
TOPICLESS_ANSWER_SCORE = 0.6
# …or when it is this sure and the question names no aspect at all ("已经有几个国家批了，能先做卡吗").
TOPICLESS_ANSWER_SCORE_NO_ASPECT = 0.7
# Without a topic, offer choices when the classifier gives the best answer at least this much.
CLARIFY_SCORE = 0.35
MAX_CHOICES = 3
# An incident (arrested, injured, robbed abroad) outweighs other aspects named with it: "我们员工在
# 迪拜被警察抓了" is about the detention, not about the company's duties.
URGENT_ASPECT_WEIGHT = 2.0

_NEGATION_BEFORE = re.compile(r"(不是|不是问|并非|而不是|不要|not\s+(the\s+|an?\s+|about\s+)?|rather than\s+(the\s+)?)$")
# Words that turn a bare topic into an elliptic follow-up: "邀请函呢？", "and the invitation letter?".
_ELLIPSIS = re.compile(r"(呢|那么|那|同样|也是|what about|how about|and for|and the|same for|and with)", re.IGNORECASE)
_ELLIPSIS_MAX_REST = 6
# "在巴西", "去越南", "in Jakarta": the place is where the person is, not where they come from.
_LOCATIVE_BEFORE = re.compile(r"(在|去|到|赴|于|(?<![a-z])(in|at|to|while in|visiting)\s+(the\s+)?)$")
_IN_BEIJING = re.compile(r"(在|于)北京|北京(市)?(的|这边|这里)|(?<![a-z])in beijing(?![a-z])")
# Topics of incidents in Beijing that become consular when they happen at a foreign place.
_ABROAD_VERSION_OF = ("emergency", "passport")


@dataclass(frozen=True)
class Match:
    """A cue found in the text: which term, where, and how long the cue is."""

    term: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


def _is_latin(word: str) -> bool:
    return bool(re.search(r"[a-z0-9]", word)) and not re.search(r"[\u4e00-\u9fff]", word)


def _cue_pattern(word: str) -> re.Pattern:
    escaped = re.escape(word.lower())
    if _is_latin(word):
        plural = "(?:s|es)?" if word[-1:].isalpha() else ""
        return re.compile(rf"(?<![a-z0-9]){escaped}{plural}(?![a-z0-9])")
    return re.compile(escaped)


class CueLexicon:
    """Cue words of a set of terms (topics or aspects), matched longest-first without overlap."""

    def __init__(self, cues: Mapping[str, Iterable[str]]) -> None:
        self._patterns: List[Tuple[str, re.Pattern]] = []
        for term, words in cues.items():
            for word in dict.fromkeys(w for w in words if w and w.strip()):
                self._patterns.append((term, _cue_pattern(word.strip())))

    def matches(self, text: str) -> List[Match]:
        """Non-overlapping cue matches; a cue inside a longer one of another term is dropped."""
        found = [
            Match(term, m.start(), m.end())
            for term, pattern in self._patterns
            for m in pattern.finditer(text)
        ]
        found.sort(key=lambda m: (-m.length, m.start))
        starts: List[int] = []  # of the kept matches, sorted; they never overlap, so their ends are sorted too
        kept: List[Match] = []
        for match in found:
            at = bisect.bisect_left(starts, match.start)
            if at < len(kept) and kept[at].start < match.end:
                continue  # overlaps the next kept match
            if at > 0 and kept[at - 1].end > match.start:
                continue  # overlaps the previous one
            starts.insert(at, match.start)
            kept.insert(at, match)
        return kept


def prepare(text: str) -> str:
    """The form cues are matched on: simplified, half-width, lower case."""
    return normalize_text(text or "").lower()


def _term_cues(terms: Mapping[str, Term]) -> Dict[str, List[str]]:
    return {tid: [w for words in term.cues.values() for w in words] for tid, term in terms.items()}


class Lexicons:
    """The topic and aspect lexicons of one knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.topics = CueLexicon(_term_cues(kb.topics))
        # Foreign places ("迪拜", "Paris") hint at a trip abroad, but only decide the topic when
        # nothing else does: "去美国也行吗？" after an APEC answer still asks about the APEC card.
        self.places = CueLexicon({
            topic_id: [place for places in term.places.values() for place in places]
            for topic_id, term in kb.topics.items() if term.places
        })
        self.aspect_weights = {aspect_id: term.weight for aspect_id, term in kb.aspects.items()}
        generic = _term_cues(kb.aspects)
        self.aspects = CueLexicon(generic)
        # Entry-specific aspects count only within their own topic: "passport" is an aspect of a
        # visa question and a topic of its own.
        self.aspects_of_topic: Dict[str, CueLexicon] = {}
        self.urgent_aspects: Dict[str, set] = {}
        for topic in {entry.topic for entry in kb.entries}:
            cues = {aspect: list(words) for aspect, words in generic.items()}
            for entry in kb.of_topic(topic):
                for words in entry.cues.values():
                    cues.setdefault(entry.aspect, []).extend(words)
                if entry.emergency:
                    self.urgent_aspects.setdefault(topic, set()).add(entry.aspect)
            self.aspects_of_topic[topic] = CueLexicon(cues)
        self.services = CueLexicon(_term_cues(kb.out_of_scope))


def _negated(text: str, match: Match) -> bool:
    return bool(_NEGATION_BEFORE.search(text[max(0, match.start - 16): match.start]))


def _scores(text: str, matches: Sequence[Match]) -> Dict[str, float]:
    """Term → total cue length, negated mentions left out."""
    scores: Dict[str, float] = {}
    for match in matches:
        if not _negated(text, match):
            scores[match.term] = scores.get(match.term, 0.0) + match.length
    return scores


# A question about a Chinese citizen abroad is consular even when it also names a passport, an
# emergency or a hotline: "I'm a Chinese citizen and lost my passport in Paris".
# Likewise the more specific of two topics named together wins: "transit visa free 10 days" is about
# transit, "免签 签证" about visa-free entry.
_WINS_OVER = {
    "consular": ("passport", "emergency", "registration", "residence"),
    "registration": ("visa_free", "transit", "visa", "passport"),
    "transit": ("visa_free", "visa"),
    "visa_free": ("visa", "passport", "official"),
    "apec": ("visa", "visa_free", "passport"),
    "official": ("passport", "visa"),
    "visa": ("passport",),
    "residence": ("passport", "visa"),
}


def best_term(scores: Mapping[str, float]) -> Optional[str]:
    """The term with the highest score, the more specific topic winning over one it refines."""
    if not scores:
        return None
    for winner, losers in _WINS_OVER.items():
        if winner in scores and any(loser in scores for loser in losers):
            scores = {term: score for term, score in scores.items() if term not in losers}
    return max(scores.items(), key=lambda item: item[1])[0]


@dataclass
class Reading:
    """What one message names: topics and aspects with their cue scores."""

    topics: Dict[str, float] = field(default_factory=dict)
    aspects: Dict[str, float] = field(default_factory=dict)
    elliptic: bool = False
    services: Dict[str, float] = field(default_factory=dict)
    aspects_by_topic: Dict[str, Dict[str, float]] = field(default_factory=dict)
    places: Dict[str, float] = field(default_factory=dict)
    located: Dict[str, float] = field(default_factory=dict)  # places named as where something is or happens
    in_beijing: bool = False  # "在北京", "in Beijing": a foreign place then says where someone is from

    @property
    def topic(self) -> Optional[str]:
        return best_term(self.topics)

    @property
    def aspect(self) -> Optional[str]:
        """The aspect named in the terms of the message's own topic (generic aspects without one)."""
        return self.aspect_in(self.topic)

    def aspect_in(self, topic: Optional[str]) -> Optional[str]:
        scores = self.aspects_by_topic.get(topic or "", self.aspects)
        return max(scores.items(), key=lambda item: item[1])[0] if scores else None


def read_message(text: str, lexicons: Lexicons) -> Reading:
    """Topics and aspects named in `text`, and whether it is an elliptic follow-up ("邀请函呢？")."""
    prepared = prepare(text)
    topic_matches = lexicons.topics.matches(prepared)
    aspect_matches = lexicons.aspects.matches(prepared)
    reading = Reading(
        _scores(prepared, topic_matches),
        _scores(prepared, aspect_matches),
        services=_scores(prepared, lexicons.services.matches(prepared)),
    )
    place_matches = lexicons.places.matches(prepared)
    reading.places = _scores(prepared, place_matches)
    reading.in_beijing = bool(_IN_BEIJING.search(prepared))
    reading.located = _scores(prepared, [m for m in place_matches if _LOCATIVE_BEFORE.search(prepared[max(0, m.start - 6): m.start])])
    for topic, lexicon in lexicons.aspects_of_topic.items():
        scores = _scores(prepared, lexicon.matches(prepared))
        for aspect, weight in lexicons.aspect_weights.items():
            if aspect in scores:
                scores[aspect] *= weight
        for aspect in lexicons.urgent_aspects.get(topic, ()):
            if aspect in scores:
                scores[aspect] *= URGENT_ASPECT_WEIGHT
        reading.aspects_by_topic[topic] = scores
    if reading.topics and not reading.aspect:
        rest = prepared
        for match in sorted(topic_matches, key=lambda m: -m.start):
            rest = rest[: match.start] + rest[match.end:]
        rest = re.sub(r"[\s\W_]+", "", _ELLIPSIS.sub("", rest))
        corrected = any(_negated(prepared, match) for match in topic_matches)  # "not the APEC card, the letter"
        reading.elliptic = corrected or bool(_ELLIPSIS.search(prepared)) or len(rest) <= _ELLIPSIS_MAX_REST
    return reading


@dataclass(frozen=True)
class Context:
    """The previous answer's topic and aspect, for follow-ups."""

    topic: Optional[str] = None
    aspect: Optional[str] = None


@dataclass
class Decision:
    """What to do with a question: answer an entry, ask which one, say there is no such answer, or decline."""

    kind: str  # "answer" | "clarify" | "no_answer" | "decline"
    entry_id: Optional[str] = None
    topic: Optional[str] = None
    aspect: Optional[str] = None
    choices: List[str] = field(default_factory=list)
    score: float = 0.0
    service: Optional[str] = None  # the out-of-scope service a declined question names


def _urgent_aspects(kb: KnowledgeBase, topic: str) -> set:
    return {entry.aspect for entry in kb.of_topic(topic) if entry.emergency}


def _ranked(entry_ids: Iterable[str], answer_ranking: Mapping[str, float]) -> List[Tuple[str, float]]:
    return sorted(((eid, answer_ranking.get(eid, 0.0)) for eid in entry_ids), key=lambda item: -item[1])


def _best_entry_unnamed(answer_ranking: Mapping[str, float], kb: KnowledgeBase, named: Iterable[str]) -> Optional[str]:
    """The classifier's best answer when its topic is none of the `named` ones, else None."""
    if not answer_ranking:
        return None
    best = kb.get(max(answer_ranking.items(), key=lambda item: item[1])[0])
    return best.id if best is not None and best.topic not in named else None


def resolve(
    reading: Reading,
    answer_ranking: Mapping[str, float],
    faq_confidence: float,
    kb: KnowledgeBase,
    context: Context = Context(),
) -> Decision:
    """Combine the cues, the classifier's answer ranking and the context into one decision.

    `answer_ranking` maps entry ids to the classifier's P(answer | FAQ); `faq_confidence` is its
    P(the message is an FAQ question at all). An answer is given within a topic the question or the
    conversation names; a question that names none is answered only when the classifier is very sure
    and the question names that answer's aspect, else at most clarified.
    """
    topic, aspect = reading.topic, reading.aspect
    if topic is None and reading.services:
        return Decision("decline", aspect=aspect, service=best_term(reading.services))
    abroad = None if reading.in_beijing else best_term(reading.places)
    located_abroad = None if reading.in_beijing else best_term(reading.located)
    if topic in _ABROAD_VERSION_OF and located_abroad:
        topic = located_abroad  # "同事在巴西被抢了": a robbery abroad is a consular matter, not 110
    if topic is None and abroad and reading.aspect_in(abroad) in _urgent_aspects(kb, abroad):
        topic = abroad
    elif topic is None and context.topic and (reading.aspect_in(context.topic) or faq_confidence >= MIN_FAQ_CONFIDENCE):
        topic = context.topic
    elif topic is None and abroad:
        topic = abroad
    if topic is not None and (aspect is None or topic != reading.topic):
        aspect = reading.aspect_in(topic)
    aspect_named = aspect is not None
    if aspect is None and topic is not None and reading.elliptic and context.aspect and topic != context.topic:
        aspect = context.aspect
    if topic is None:
        ranked = _ranked(answer_ranking, answer_ranking)
        top_id, top_p = ranked[0] if ranked else (None, 0.0)
        top = kb.get(top_id) if top_id else None
        aspect_agrees = aspect == top.aspect if top else False
        if top and faq_confidence * top_p >= TOPICLESS_ANSWER_SCORE and (aspect_agrees or (aspect is None and faq_confidence * top_p >= TOPICLESS_ANSWER_SCORE_NO_ASPECT)):
            return Decision("answer", top.id, top.topic, top.aspect, score=faq_confidence * top_p)
        choices = [eid for eid, p in ranked[:MAX_CHOICES] if kb.get(eid) and faq_confidence * p >= CLARIFY_SCORE / 2]
        if faq_confidence * (ranked[0][1] if ranked else 0.0) >= CLARIFY_SCORE and choices:
            return Decision("clarify", aspect=aspect, choices=choices, score=faq_confidence * ranked[0][1])
        return Decision("decline", aspect=aspect)
    in_topic = _ranked((entry.id for entry in kb.of_topic(topic)), answer_ranking)
    total = sum(p for _, p in in_topic) or 1.0
    best_id, best_p = in_topic[0] if in_topic else (None, 0.0)
    share = best_p / total
    pair = kb.find(topic, aspect) if aspect else None
    generic = aspect in kb.aspects
    if pair is None and generic and kb.aspects[aspect].weight < 1.0:
        aspect = None  # a broad aspect ("how do I apply") without its own answer: let the classifier pick
    sure = faq_confidence * best_p >= CLASSIFIER_OVERRIDES_CUE
    if pair is not None:
        # Only a generic aspect cue can be overridden: an entry's own cue ("香港", "离职") is deliberate,
        # and the classifier may not know a new entry yet.
        if aspect_named and generic and best_id != pair.id and sure and answer_ranking.get(pair.id, 0.0) < best_p / 4:
            return Decision("answer", best_id, topic, kb.get(best_id).aspect, score=share)
        elsewhere = _best_entry_unnamed(answer_ranking, kb, {topic, *reading.topics})
        if pair.id not in answer_ranking and elsewhere:
            # The classifier puts the question in a topic the message does not even name, and does not
            # rank the cues' answer at all: ask rather than guess. (A topic named and outranked by
            # precedence, as a passport lost abroad is consular, is not a disagreement.)
            return Decision("clarify", topic=topic, aspect=aspect, choices=[pair.id, elsewhere], score=0.0)
        return Decision("answer", pair.id, topic, aspect, score=1.0)
    if aspect is not None and not sure:
        return Decision("no_answer", topic=topic, aspect=aspect, choices=[eid for eid, _ in in_topic[:MAX_CHOICES]])
    runner_up = in_topic[1][1] if len(in_topic) > 1 else 0.0
    if best_id is not None and share >= ANSWER_SHARE and best_p >= ANSWER_LEAD * runner_up and faq_confidence >= MIN_FAQ_CONFIDENCE:
        return Decision("answer", best_id, topic, kb.get(best_id).aspect, score=share)
    return Decision("clarify", topic=topic, aspect=aspect, choices=[eid for eid, _ in in_topic[:MAX_CHOICES]], score=share)


RETRIEVAL_INTENT = "faq"


@functools.lru_cache(maxsize=1)
def repository_lexicons() -> Lexicons:
    """The cue lexicons of the repository's knowledge base, built once per process."""
    return Lexicons(load_knowledge())


def answer_ranking(parse_data: Mapping[str, Any]) -> Dict[str, float]:
    """Entry id → the classifier's P(answer | FAQ question), from Rasa's parse data."""
    selector = (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    ranking: Dict[str, float] = {}
    for item in selector.get("ranking") or []:
        key = (item.get("intent_response_key") or "").partition("/")[2]
        if key:
            ranking[key] = float(item.get("confidence") or 0.0)
    return ranking


def faq_confidence(parse_data: Mapping[str, Any]) -> float:
    """The classifier's probability that the message is some FAQ question."""
    for item in parse_data.get("intent_ranking") or []:
        if item.get("name") == RETRIEVAL_INTENT:
            return float(item.get("confidence") or 0.0)
    return 0.0


def decide(parse_data: Mapping[str, Any], context: Context = Context()) -> Decision:
    """`resolve` on one parsed message with the repository's knowledge base: what the assistant does."""
    reading = read_message(parse_data.get("text") or "", repository_lexicons())
    return resolve(reading, answer_ranking(parse_data), faq_confidence(parse_data), load_knowledge(), context)
