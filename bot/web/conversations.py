"""What visitors asked and what they got, read from Rasa's tracker store for the office's report.

Read-only SQL on Rasa's ``events`` table (the SQL tracker store of endpoints.yml; SQLite file
``$FAO_STATE_DIR/tracker.db`` by default, any SQLAlchemy URL through ``TRACKER_DB_URL``). Reading
the table needs no Rasa token and sees every conversation, which the HTTP API cannot list.

Each user turn gets one outcome, judged from the reply as the visitor saw it (bot/reply_kinds.py):
handed off (the handoff action ran), answered (a source line), clarified (buttons, no source),
out of scope (neither), or other (greetings, thanks, the status lookup). Days are Beijing days.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import bindparam, create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.nlu.language import detect_language
from bot.nlu.text import is_han, normalize_text
from bot.reply_kinds import ANSWER, CLARIFY, LOOKUP, OUT_OF_SCOPE, classify

BEIJING = timezone(timedelta(hours=8))
SQLITE_PREFIX = "sqlite:///"
MAX_EVENTS = 200_000
HANDED_OFF, OTHER = "handed_off", "other"
OUTCOMES = (ANSWER, CLARIFY, OUT_OF_SCOPE, HANDED_OFF)
UNANSWERED = (CLARIFY, OUT_OF_SCOPE)
HANDOFF_ACTIONS = {"action_handoff"}
HANDOFF_INTENTS = {"human_handoff"}
# Turns that are not questions: their reply is never an answer, and that is not a failure.
SMALL_TALK = {"greet", "goodbye", "thank", "bot_challenge", "affirm", "deny", "switch_language"}
MASKS = ("****", "•")
MAX_QUESTION_CHARS = 300
_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)
_LATIN = re.compile(r"[A-Za-z]")

_RANGE_QUERY = text(
    "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events "
    "WHERE timestamp >= :start AND timestamp < :end AND type_name IN ('user', 'bot', 'action', 'slot') "
    "ORDER BY sender_id, id LIMIT :limit"
)
_SENDER_QUERY = text(
    "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events "
    "WHERE sender_id IN :senders AND type_name IN ('user', 'bot', 'action', 'slot') ORDER BY sender_id, id LIMIT :limit"
).bindparams(bindparam("senders", expanding=True))


class TrackerUnavailable(RuntimeError):
    """The tracker store could not be read."""


@dataclass
class Turn:
    """One user message and everything the assistant did until the next one."""

    sender_id: str
    at: datetime
    text: str
    intent: Optional[str]
    metadata_language: Optional[str]
    replies: List[Dict[str, Any]] = field(default_factory=list)
    actions: List[str] = field(default_factory=list)
    reply_language: Optional[str] = None

    @property
    def typed(self) -> bool:
        """Typed by the visitor, not a button or init payload (/greet, /choose_topic{...})."""
        return not self.text.lstrip().startswith("/")

    @property
    def language(self) -> str:
        return self.reply_language or self.metadata_language or detect_language(self.text) or "zh"

    @property
    def outcome(self) -> str:
        if HANDOFF_ACTIONS.intersection(self.actions) or self.intent in HANDOFF_INTENTS:
            return HANDED_OFF
        if self.intent in SMALL_TALK:
            return OTHER
        kind = classify(self.replies)
        if kind == LOOKUP or (kind == OUT_OF_SCOPE and not self.typed):
            return OTHER
        return kind

    @property
    def day(self) -> date:
        return self.at.astimezone(BEIJING).date()


@dataclass(frozen=True)
class DayStats:
    """One Beijing day in one language."""

    day: date
    language: str
    conversations: int
    answered: int
    clarified: int
    out_of_scope: int
    handed_off: int


@dataclass(frozen=True)
class UnansweredQuestion:
    """Questions the assistant did not answer, grouped by their wording."""

    text: str
    count: int
    conversations: int
    languages: Tuple[str, ...]
    outcome: str
    last_seen: datetime


def question_key(question: str) -> str:
    """The grouping key: case, width, spaces and punctuation do not make another question."""
    return _PUNCTUATION.sub("", normalize_text(question).lower())


def is_junk(question: str) -> bool:
    """Not worth the office's time: masked personal data, no words, one repeated character, a wall of text."""
    stripped = question.strip()
    if not stripped or stripped.startswith("/") or any(mask in stripped for mask in MASKS):
        return True
    if len(stripped) > MAX_QUESTION_CHARS:
        return True
    letters = sum(1 for char in stripped if is_han(char)) + len(_LATIN.findall(stripped))
    key = question_key(stripped)
    return letters < 2 or len(set(key)) < 2


def _bot_language(data: Dict[str, Any]) -> Optional[str]:
    for condition in (data.get("metadata") or {}).get("condition") or []:
        if condition.get("name") == "language" and condition.get("value") in ("zh", "en"):
            return condition["value"]
    return None


def turns_from_rows(rows: Iterable[Sequence[Any]]) -> List[Turn]:
    """Group event rows (ordered by conversation, then event id) into turns."""
    turns: List[Turn] = []
    current: Optional[Turn] = None
    for sender_id, type_name, timestamp, intent_name, action_name, raw in rows:
        if current is not None and current.sender_id != sender_id:
            current = None
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            continue
        if type_name == "user":
            metadata = data.get("metadata") or {}
            language = metadata.get("language") if metadata.get("language") in ("zh", "en") else None
            intent = intent_name or ((data.get("parse_data") or {}).get("intent") or {}).get("name")
            current = Turn(sender_id, datetime.fromtimestamp(float(timestamp), timezone.utc),
                           re.sub(r"\s+", " ", str(data.get("text") or "")).strip(), intent, language)
            turns.append(current)
        elif current is None:
            continue
        elif type_name == "bot":
            current.replies.append({"text": data.get("text") or "",
                                    "buttons": (data.get("data") or {}).get("buttons") or []})
            current.reply_language = current.reply_language or _bot_language(data)
        elif type_name == "action" and action_name:
            current.actions.append(action_name)
        elif type_name == "slot" and data.get("name") == "language" and data.get("value") in ("zh", "en"):
            current.reply_language = data["value"]
    return turns


def daily_stats(turns: Iterable[Turn]) -> List[DayStats]:
    """Per Beijing day and language: conversations (with a question) and the outcome of each question."""
    counts: Dict[Tuple[date, str], Counter] = defaultdict(Counter)
    conversations: Dict[Tuple[date, str], set] = defaultdict(set)
    for turn in turns:
        outcome = turn.outcome
        if outcome == OTHER and not turn.typed:
            continue
        key = (turn.day, turn.language)
        conversations[key].add(turn.sender_id)
        counts[key][outcome] += 1
    return [
        DayStats(day, language, len(conversations[(day, language)]), counts[(day, language)][ANSWER],
                 counts[(day, language)][CLARIFY], counts[(day, language)][OUT_OF_SCOPE],
                 counts[(day, language)][HANDED_OFF])
        for day, language in sorted(conversations)
    ]


def unanswered_questions(turns: Iterable[Turn]) -> List[UnansweredQuestion]:
    """Typed questions that got no answer (clarified or out of scope), grouped, the most frequent first."""
    groups: Dict[str, List[Turn]] = defaultdict(list)
    for turn in turns:
        if turn.typed and turn.outcome in UNANSWERED and not is_junk(turn.text):
            groups[question_key(turn.text)].append(turn)
    found = []
    for members in groups.values():
        wording = Counter(turn.text for turn in members).most_common(1)[0][0]
        outcomes = Counter(turn.outcome for turn in members).most_common(1)[0][0]
        found.append(UnansweredQuestion(
            wording, len(members), len({turn.sender_id for turn in members}),
            tuple(sorted({turn.language for turn in members})), outcomes, max(turn.at for turn in members)))
    found.sort(key=lambda item: (-item.count, -item.last_seen.timestamp(), item.text))
    return found


def _normalize(reply: str) -> str:
    return re.sub(r"\s+", " ", reply).strip()


def _button_title(previous: Optional[Turn], payload: str) -> Optional[str]:
    """The title of the button whose payload the visitor sent by clicking it."""
    buttons = [button for reply in (previous.replies if previous else []) for button in reply["buttons"]]
    return next((str(b.get("title")) for b in buttons if b.get("payload") == payload and b.get("title")), None)


def question_before(turns: Iterable[Turn], sender_id: str, answer_text: str) -> Optional[str]:
    """What the visitor asked (typed, or the title of the button clicked) that ``answer_text`` replied to."""
    wanted = _normalize(answer_text)
    previous: Optional[Turn] = None
    asked: Optional[str] = None
    for turn in (turn for turn in turns if turn.sender_id == sender_id):
        if wanted and any(wanted in _normalize(reply["text"]) for reply in turn.replies):
            asked = turn.text if turn.typed else _button_title(previous, turn.text) or turn.text
        previous = turn
    return asked


class ConversationReader:
    """Reads turns from the tracker store's events table, never writing to it."""

    def __init__(self, url: str) -> None:
        self._sqlite_file = Path(url[len(SQLITE_PREFIX):]) if url.startswith(SQLITE_PREFIX) else None
        if self._sqlite_file is not None:
            # Read-only, and never create the file before Rasa does.
            url = f"sqlite:///file:{self._sqlite_file}?mode=ro&uri=true"
        self.engine: Engine = create_engine(url, future=True)

    def dispose(self) -> None:
        self.engine.dispose()

    def _rows(self, query: Any, params: Dict[str, Any]) -> List[Sequence[Any]]:
        if self._sqlite_file is not None and not self._sqlite_file.exists():
            return []
        try:
            with self.engine.connect() as connection:
                if not inspect(connection).has_table("events"):
                    return []
                return list(connection.execute(query, {**params, "limit": MAX_EVENTS}).all())
        except SQLAlchemyError as error:
            raise TrackerUnavailable(str(error)) from error

    def turns_between(self, start: datetime, end: datetime) -> List[Turn]:
        """Turns whose events lie in [start, end)."""
        return turns_from_rows(self._rows(_RANGE_QUERY, {"start": start.timestamp(), "end": end.timestamp()}))

    def turns_of(self, sender_ids: Iterable[str]) -> List[Turn]:
        """Every turn of the given conversations (for the question behind a vote)."""
        senders = sorted(set(sender_ids))
        return turns_from_rows(self._rows(_SENDER_QUERY, {"senders": senders})) if senders else []
