"""The conversation suite: scripted multi-turn conversations played over REST, checked turn by turn.

Conversations live in tests/conversations/*.yml (one file per persona). Each turn is checked by what
the reply says, never by response or intent names, so the suite measures what a user would see:

- ``says``: required facts; each fact is a list of accepted spellings, one of which must occur;
- ``not_says``: spellings that must not occur (matched as in ``says``);
- ``first_sentence_says``: facts the first sentence must state (emergencies: 12308, 110/119/120);
- ``lang``: the language the reply must be in (zh / en);
- ``kind``: answer | clarify | out_of_scope | lookup | chat (see bot/reply_kinds.py). ``out_of_scope``
  and ``chat`` (greetings, thanks, "what can you do", start over) both mean: no sourced answer and
  no lookup prompt (a clarifying question with buttons is fine).

Matching folds case, full-width forms and traditional characters, dashes, spacing and thousands
separators, so "CNY 2,000" / "2000元" and "+86 10 12308" / "+86-10-12308" match alike, while a number
never matches inside a longer one ("5年" is not in "15年").
No reply may contain an unfilled placeholder of the office's contacts.
"""
from __future__ import annotations

import functools
import json
import re
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple

import yaml

from bot import reply_kinds
from bot.nlu.text import normalize_text
from bot.settings import REPO_ROOT

CONVERSATIONS_FOLDER = REPO_ROOT / "tests" / "conversations"
PERSONAS = ("enterprise", "resident", "operator")
LANGUAGES = ("zh", "en")
CHAT = "chat"
TURN_KINDS = reply_kinds.KINDS + (CHAT,)
# Never shown to a user: the office's unfilled contact placeholders (config/office.yml).
ALWAYS_FORBIDDEN = ("待外办填写", "TO BE FILLED")
# A final Latin word this long may be a stem ("stop" in "stopped"); shorter ones match whole.
MIN_STEM_LETTERS = 4
CONVERSATION_KEYS = {"id", "persona", "description", "turns"}
TURN_KEYS = {"user", "says", "not_says", "first_sentence_says", "lang", "kind"}
# A message goes out as (sender id, text) and comes back as the channel's list of messages.
Send = Callable[[str, str], List[Dict[str, Any]]]
Facts = Tuple[Tuple[str, ...], ...]


class ConversationFileError(ValueError):
    """A conversation file does not follow the schema; the message names the file and conversation."""


@dataclass(frozen=True)
class Turn:
    user: str
    says: Facts = ()
    not_says: Tuple[str, ...] = ()
    first_sentence_says: Facts = ()
    lang: Optional[str] = None
    kind: Optional[str] = None


@dataclass(frozen=True)
class Conversation:
    id: str
    persona: str
    description: str
    turns: Tuple[Turn, ...]
    file: str

    @property
    def languages(self) -> Set[str]:
        """The languages some turn's reply is checked in."""
        return {turn.lang for turn in self.turns if turn.lang}


@dataclass
class TurnResult:
    user: str
    reply: str
    kind: str
    problems: List[str] = field(default_factory=list)


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: List[TurnResult]

    @property
    def passed(self) -> bool:
        return all(not turn.problems for turn in self.turns)


_DIGIT_GROUP_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DASHES = re.compile(r"[\-\u2010-\u2015\u2212~\uff5e]")
_SPACES = re.compile(r"\s+")
_SPACE_BY_HAN = re.compile(r"\s*([\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef])\s*")


def fold(text: str) -> str:
    """Text as compared: simplified, half-width, lower case; dashes as spaces, one space at most,
    none next to Han characters; no thousands separators ("CNY 2,000" → "cny 2000")."""
    folded = _DIGIT_GROUP_COMMA.sub("", normalize_text(text).lower())
    folded = _SPACES.sub(" ", _DASHES.sub(" ", folded)).strip()
    return _SPACE_BY_HAN.sub(r"\1", folded)


@functools.lru_cache(maxsize=None)
def spelling_pattern(spelling: str) -> "re.Pattern[str]":
    """A spelling as a pattern: spaces optional, a number never part of a longer one ("5年" is not in
    "15年", "24" not in "2024"), a Latin word never the tail of another ("fee" is not in "coffee"), and
    a short final word whole but for an ending ("the US" is not in "the usual", "fee" is in "fees");
    words of MIN_STEM_LETTERS or more may be stems ("stop" is in "stopped")."""
    folded = fold(spelling)
    pattern = re.escape(folded).replace(r"\ ", r"\s?")
    if folded[0].isdigit():
        pattern = r"(?<!\d)" + pattern
    elif folded[0].isascii() and folded[0].isalpha():
        pattern = r"(?<![a-z])" + pattern
    if folded[-1].isdigit():
        pattern += r"(?!\d)"
    elif len(re.search(r"[a-z]*$", folded).group()) in range(1, MIN_STEM_LETTERS):
        pattern += r"(?:s|es|ed|ing)?(?![a-z])"
    return re.compile(pattern)


def mentions(text: str, spelling: str) -> bool:
    """Whether `text` contains `spelling` (see fold and spelling_pattern)."""
    return spelling_pattern(spelling).search(fold(text)) is not None


def _facts(value: Any, where: str) -> Facts:
    """`[["720"], ["5 years", "five years"]]`; a bare string stands for a fact with one spelling."""
    if not isinstance(value, list) or not value:
        raise ConversationFileError(f"{where}: expected a non-empty list of facts")
    facts = []
    for fact in value:
        spellings = [fact] if isinstance(fact, (str, int)) else fact
        if not isinstance(spellings, list) or not spellings or not all(isinstance(s, (str, int)) for s in spellings):
            raise ConversationFileError(f"{where}: each fact is a list of accepted spellings, got {fact!r}")
        if any(not fold(str(s)) for s in spellings):
            raise ConversationFileError(f"{where}: empty spelling in {fact!r}")
        facts.append(tuple(str(s) for s in spellings))
    return tuple(facts)


def parse_turn(raw: Any, where: str) -> Turn:
    """One turn of a conversation file, checked against the schema (`where` names it in errors)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("user"), str) or not raw["user"].strip():
        raise ConversationFileError(f"{where}: a turn needs a non-empty `user` text")
    unknown = set(raw) - TURN_KEYS
    if unknown:
        raise ConversationFileError(f"{where}: unknown keys {sorted(unknown)}")
    lang, kind = raw.get("lang"), raw.get("kind")
    if lang is not None and lang not in LANGUAGES:
        raise ConversationFileError(f"{where}: lang must be one of {LANGUAGES}, got {lang!r}")
    if kind is not None and kind not in TURN_KINDS:
        raise ConversationFileError(f"{where}: kind must be one of {TURN_KINDS}, got {kind!r}")
    not_says = raw.get("not_says", [])
    if not isinstance(not_says, list) or not all(isinstance(s, (str, int)) and fold(str(s)) for s in not_says):
        raise ConversationFileError(f"{where}: not_says must be a list of non-empty strings")
    turn = Turn(
        user=raw["user"],
        says=_facts(raw["says"], f"{where} says") if "says" in raw else (),
        not_says=tuple(str(s) for s in not_says),
        first_sentence_says=_facts(raw["first_sentence_says"], f"{where} first_sentence_says")
        if "first_sentence_says" in raw else (),
        lang=lang,
        kind=kind,
    )
    if not (turn.says or turn.not_says or turn.first_sentence_says or turn.lang or turn.kind):
        raise ConversationFileError(f"{where}: a turn must check something")
    return turn


def load_file(path: Path) -> List[Conversation]:
    """The conversations of one YAML file (``conversations:`` list), checked against the schema."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise ConversationFileError(f"{path.name}: expected a mapping with a `conversations` list")
    conversations = []
    for index, raw in enumerate(data["conversations"]):
        where = f"{path.name} #{index + 1}"
        if not isinstance(raw, dict):
            raise ConversationFileError(f"{where}: a conversation is a mapping")
        where = f"{path.name} {raw.get('id', f'#{index + 1}')}"
        missing, unknown = CONVERSATION_KEYS - set(raw), set(raw) - CONVERSATION_KEYS
        if missing or unknown:
            raise ConversationFileError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        if raw["persona"] not in PERSONAS:
            raise ConversationFileError(f"{where}: persona must be one of {PERSONAS}")
        if not isinstance(raw["turns"], list) or not raw["turns"]:
            raise ConversationFileError(f"{where}: `turns` must be a non-empty list")
        turns = tuple(parse_turn(t, f"{where} turn {i + 1}") for i, t in enumerate(raw["turns"]))
        conversations.append(
            Conversation(str(raw["id"]), raw["persona"], str(raw["description"]), turns, path.name)
        )
    return conversations


def load_conversations(folder: Path = CONVERSATIONS_FOLDER) -> List[Conversation]:
    """Every conversation under `folder`, in file order; ids must be unique across files."""
    conversations = [c for path in sorted(folder.glob("*.yml")) for c in load_file(path)]
    seen: Dict[str, str] = {}
    for conversation in conversations:
        if conversation.id in seen:
            raise ConversationFileError(
                f"conversation id {conversation.id!r} in both {seen[conversation.id]} and {conversation.file}"
            )
        seen[conversation.id] = conversation.file
    return conversations


def _missing(facts: Facts, text: str) -> List[str]:
    return [" / ".join(fact) for fact in facts if not any(mentions(text, s) for s in fact)]


def check_turn(turn: Turn, messages: List[Mapping[str, Any]]) -> TurnResult:
    """The problems of one reply against the turn's checks (an empty list when it passes)."""
    text = reply_kinds.reply_text(messages)
    seen = "\n".join([text, *reply_kinds.button_titles(messages)])
    kind = reply_kinds.classify(messages)
    result = TurnResult(turn.user, text, kind)
    if not text.strip():
        result.problems.append("no reply text")
        return result
    result.problems += [f"does not say {fact!r}" for fact in _missing(turn.says, seen)]
    result.problems += [f"says {word!r}" for word in (*turn.not_says, *ALWAYS_FORBIDDEN) if mentions(seen, word)]
    first = reply_kinds.first_sentence(text)
    result.problems += [
        f"first sentence {first!r} does not say {fact!r}" for fact in _missing(turn.first_sentence_says, first)
    ]
    if turn.lang:
        language = reply_kinds.reply_language(text)
        if language != turn.lang:
            result.problems.append(f"reply in {language}, expected {turn.lang}")
    if turn.kind and not kind_matches(turn.kind, kind):
        result.problems.append(f"reply is {kind}, expected {turn.kind}")
    return result


def kind_matches(expected: str, actual: str) -> bool:
    """Whether a reply classified as `actual` satisfies the turn's `kind` check."""
    if expected in (reply_kinds.OUT_OF_SCOPE, CHAT):
        return actual in (reply_kinds.OUT_OF_SCOPE, reply_kinds.CLARIFY)
    return expected == actual


def play(conversation: Conversation, send: Send) -> ConversationResult:
    """Plays every turn with a fresh sender id; a failed turn is recorded and the conversation goes on."""
    sender = f"conv-{conversation.id}-{uuid.uuid4().hex[:8]}"
    results = []
    for turn in conversation.turns:
        try:
            messages = send(sender, turn.user)
        except Exception as error:  # noqa: BLE001 - a dead channel is a failed turn, reported as such
            results.append(TurnResult(turn.user, "", "error", [f"request failed: {type(error).__name__}: {error}"]))
            continue
        results.append(check_turn(turn, messages))
    return ConversationResult(conversation, results)


def play_all(conversations: Sequence[Conversation], send: Send) -> List[ConversationResult]:
    """Plays the conversations one after another (each with its own sender id)."""
    return [play(conversation, send) for conversation in conversations]


def pass_rate(results: Sequence[ConversationResult]) -> float:
    """Share of conversations whose every turn passed: the figure the issue's 95% gate applies to."""
    return sum(r.passed for r in results) / len(results) if results else 0.0


def rest_sender(base_url: str, timeout: float = 30.0) -> Send:
    """A `Send` that posts to the REST channel at `base_url` (e.g. http://127.0.0.1:5005)."""
    url = f"{base_url.rstrip('/')}/webhooks/rest/webhook"

    def send(sender: str, text: str) -> List[Dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    return send


def _shorten(text: str, limit: int = 160) -> str:
    flat = " ⏎ ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def failures(results: Sequence[ConversationResult]) -> str:
    """The failing conversations with each failing turn, its reply and what was wrong."""
    lines = []
    for result in results:
        if result.passed:
            continue
        c = result.conversation
        lines.append(f"FAIL {c.id} ({c.file}): {c.description}")
        for index, turn in enumerate(result.turns, 1):
            if turn.problems:
                lines.append(f"    turn {index} {turn.user!r} → [{turn.kind}] {_shorten(turn.reply)!r}")
                lines += [f"        - {problem}" for problem in turn.problems]
    return "\n".join(lines)


def summary(results: Sequence[ConversationResult]) -> str:
    """Pass rates per persona, per file and overall, plus turns passed."""
    groups: Dict[str, List[ConversationResult]] = defaultdict(list)
    for result in results:
        groups[f"persona {result.conversation.persona}"].append(result)
        groups[f"file {result.conversation.file}"].append(result)
    lines = [
        f"  {name}: {pass_rate(group):.1%} ({sum(r.passed for r in group)}/{len(group)})"
        for name, group in sorted(groups.items())
    ]
    turns = [turn for r in results for turn in r.turns]
    passed_turns = sum(not turn.problems for turn in turns)
    lines.append(
        f"conversations passed: {pass_rate(results):.1%} ({sum(r.passed for r in results)}/{len(results)}); "
        f"turns passed: {passed_turns}/{len(turns)}"
    )
    return "\n".join(lines)
