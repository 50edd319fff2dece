"""What kind of reply the assistant gave, by the reply conventions every evaluator relies on.

The conventions (see the project brief): a sourced answer ends with a line starting with `来源：` or
`Source:`; a status lookup asks for the application reference (`申请编号` / `application reference`);
a clarifying question offers buttons and cites no source; any other reply without a source line is an
out-of-scope / abstain reply. Classifying by these marks, not by intent names, lets an evaluator score
the whole stack over REST without knowing how the NLU or the knowledge base work inside.

Key facts are matched leniently in form and strictly in content: case, width, traditional script,
dashes and spacing are folded; a number must not run on into more digits ("5年" does not match "15年");
a Latin term must start at a word boundary and, when shorter than five letters, end at one too ("no"
does not match "not", while the stem "evacuat" would match "evacuation").
"""
from __future__ import annotations

import re
from enum import Enum
from typing import Any, Dict, List, Mapping, Sequence

from bot.nlu.text import normalize_text

SOURCE_PREFIXES = ("来源：", "来源:", "source:")
LOOKUP_MARKS = ("申请编号", "application reference")
# Terms of at least this many Latin letters may be stems that continue into a longer word.
MIN_STEM_LETTERS = 5

_DASHES = re.compile(r"[\u2010-\u2015\u2212~～-]")
_SPACES = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE_BY_HAN = re.compile(r"\s*([\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef])\s*")


class ReplyKind(str, Enum):
    """The kinds of reply the conventions tell apart."""

    ANSWER = "answer"  # sourced FAQ answer
    LOOKUP = "lookup"  # status lookup prompt
    CLARIFY = "clarify"  # clarifying question with buttons
    DECLINE = "decline"  # out-of-scope / abstain reply (no source line)
    SILENT = "silent"  # no text at all


def reply_text(messages: Sequence[Mapping[str, Any]]) -> str:
    """All texts of one turn, joined by newlines."""
    return "\n".join(str(m.get("text") or "") for m in messages).strip()


def _lines(text: str) -> List[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def is_source_line(line: str) -> bool:
    """True for the line that cites an answer's source."""
    folded = normalize_text(line).strip().lower()
    return folded.startswith(SOURCE_PREFIXES)


def classify_reply(messages: Sequence[Mapping[str, Any]]) -> ReplyKind:
    """The kind of one turn's reply (a list of REST messages with "text" and optional "buttons")."""
    text = reply_text(messages)
    lines = _lines(text)
    if not lines:
        return ReplyKind.SILENT
    if is_source_line(lines[-1]):
        return ReplyKind.ANSWER
    folded = normalize_text(text).lower()
    if any(mark in folded for mark in LOOKUP_MARKS):
        return ReplyKind.LOOKUP
    if any(m.get("buttons") for m in messages):
        return ReplyKind.CLARIFY
    return ReplyKind.DECLINE


def answer_body(messages: Sequence[Mapping[str, Any]]) -> str:
    """The reply without its source line: what the answer itself states."""
    return "\n".join(line for line in _lines(reply_text(messages)) if not is_source_line(line))


def _fold(text: str) -> str:
    """Lower case, half width, simplified, dashes as spaces, no spaces next to Han characters."""
    spaced = _SPACES.sub(" ", _DASHES.sub(" ", normalize_text(text).lower())).strip()
    return _SPACE_BY_HAN.sub(r"\1", spaced)


def _term_pattern(term: str) -> re.Pattern:
    folded = _fold(term)
    if not folded:
        raise ValueError(f"empty fact term {term!r}")
    pattern = re.escape(folded).replace(r"\ ", r"\s?")
    if _HAN.search(folded) is None and folded[0].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    elif folded[0].isdigit():
        pattern = r"(?<!\d)" + pattern
    last = folded[-1]
    if last.isdigit():
        pattern += r"(?!\d)"
    elif last.isascii() and last.isalpha():
        letters = re.search(r"[a-z]+$", folded)
        if letters is None or len(letters.group()) < MIN_STEM_LETTERS:
            pattern += r"(?![a-z0-9])"
    return re.compile(pattern)


def states_fact(text: str, alternatives: Sequence[str]) -> bool:
    """True when `text` states one fact, given as its accepted spellings."""
    folded = _fold(text)
    return any(_term_pattern(term).search(folded) for term in alternatives)


def missing_facts(text: str, facts: Sequence[Sequence[str]]) -> List[List[str]]:
    """The required facts (each a list of accepted spellings) that `text` does not state."""
    return [list(alternatives) for alternatives in facts if not states_fact(text, alternatives)]


def describe(messages: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
    """A reply reduced to what an evaluator reports: its kind, text and button titles."""
    buttons = [b.get("title", "") for m in messages for b in (m.get("buttons") or [])]
    return {"kind": classify_reply(messages).value, "text": reply_text(messages), "buttons": buttons}
