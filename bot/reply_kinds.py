"""What kind of reply the assistant gave, read from the reply itself as a user sees it.

The reply conventions (see the project brief) make the kind visible without knowing response names:
a sourced answer ends with a line starting 来源：/Source:, a clarifying question has buttons and
no source line, the status lookup asks for the application reference or the verification code,
and an out-of-scope reply has neither a source line nor a lookup prompt. Evaluators (the conversation
suite, the external yardstick) judge replies with these functions so they agree on what a kind is.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, List, Mapping, Optional

from bot.nlu.language import detect_language
from bot.nlu.text import normalize_text

ANSWER, CLARIFY, OUT_OF_SCOPE, LOOKUP = "answer", "clarify", "out_of_scope", "lookup"
KINDS = (ANSWER, CLARIFY, OUT_OF_SCOPE, LOOKUP)

_SOURCE_LINE = re.compile(r"^\s*(来源\s*[:：]|source\s*:)", re.IGNORECASE)
# The lookup asks for the reference (申请编号 / application reference) or for the code that proves who
# the user is (the last 4 characters of a passport or phone number).
_LOOKUP_PROMPT = re.compile(
    r"申请编号|application reference|reference number|后\s*(4|四)\s*位|last\s*(4|four)\s*(digits|characters)",
    re.IGNORECASE,
)
_URL = re.compile(r"(https?://|www\.)\S+|\b[\w.-]+\.(gov\.cn|com|cn|org|net)(/\S*)?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s|$)|\n")


def reply_text(messages: Iterable[Mapping[str, Any]]) -> str:
    """The texts of one turn's messages, joined by newlines (what the user reads)."""
    return "\n".join(str(m.get("text") or "") for m in messages if m.get("text"))


def button_titles(messages: Iterable[Mapping[str, Any]]) -> List[str]:
    """Titles of all buttons offered in one turn."""
    return [str(b.get("title") or "") for m in messages for b in (m.get("buttons") or [])]


def source_line(text: str) -> Optional[str]:
    """The line naming the answer's source, if the reply has one."""
    return next((line.strip() for line in text.splitlines() if _SOURCE_LINE.match(normalize_text(line))), None)


def is_lookup_prompt(text: str) -> bool:
    """Whether the reply asks for an application reference or a verification code."""
    return bool(_LOOKUP_PROMPT.search(normalize_text(text)))


def classify(messages: List[Mapping[str, Any]]) -> str:
    """One of KINDS for a turn's reply: answer > lookup > clarify > out_of_scope, first match wins."""
    text = reply_text(messages)
    if source_line(text):
        return ANSWER
    if is_lookup_prompt(text):
        return LOOKUP
    if button_titles(messages):
        return CLARIFY
    return OUT_OF_SCOPE


def reply_language(text: str) -> Optional[str]:
    """Main language of a reply body ('zh' / 'en'), ignoring the source line and URLs."""
    body = "\n".join(line for line in text.splitlines() if not _SOURCE_LINE.match(normalize_text(line)))
    return detect_language(_URL.sub(" ", body))


def first_sentence(text: str) -> str:
    """The reply up to its first sentence end (。！？!? or '. ' or a line break)."""
    stripped = text.strip()
    end = _SENTENCE_END.search(stripped)
    return stripped[: end.end()].strip() if end else stripped
