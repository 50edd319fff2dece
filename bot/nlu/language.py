"""Which language to answer in: detection, explicit requests and the per-turn decision.

Rules (in order): a `language` field in message metadata (sent by the web widget) wins; an
explicit request ("please answer in English", "请用中文回答") switches and sticks; otherwise a
stuck choice is kept; a button payload keeps the current language; otherwise the main script of the message decides; a message with no
letters at all (digits, emoji) keeps the current language.
"""
from __future__ import annotations

import re
from typing import Any, List, Mapping, NamedTuple, Optional

from bot.nlu.text import is_han, normalize_text

SUPPORTED_LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
# Button payloads ("/choose_topic{...}") are not typed by the user and say nothing of their language.
PAYLOAD_PREFIX = "/"

# A Chinese word is about 1.5 characters long: weigh Han characters so that one Han word
# counts like one English word when deciding the main language of a mixed message.
_HAN_CHARS_PER_WORD = 1.5
_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:'[A-Za-z]+)?")
# Acronyms and codes (APEC, ABTC, M, Z) appear inside Chinese messages too: not English words.
_ACRONYM = re.compile(r"^[A-Z]{1,6}s?$")

# Requests addressed to the assistant only: "can the ambulance staff speak English" or
# "12345有没有会说英语的接线员" ask about someone else and must not switch the language.
_EN_VERB = r"(answer|reply|respond|speak|talk|write|switch|change|chat|continue|use)"
_ZH_VERB = r"(用|说|讲|换成|换到|切换到|切换成|改用|改成)"
_ZH_LEAD = r"^\s*(请|麻烦|麻烦你|你|您|能不能|能否|能|可以|可不可以|还是)?\s*"


def _request_patterns(english_names: str, chinese_names: str) -> List[str]:
    return [
        rf"^\s*(please\s+|pls\s+|(can|could|would|will)\s+(you|u)\s+(please\s+)?)?{_EN_VERB}\b[^.?!。？！]{{0,24}}\b{english_names}\b",
        rf"\b(you|u)\b[^.?!。？！]{{0,16}}\b{_EN_VERB}\b[^.?!。？！]{{0,16}}\b{english_names}\b",
        rf"\b(switch|change)\b[^.?!。？！]{{0,12}}\b(to|into)\s+{english_names}\b",
        rf"^\s*(in\s+)?{english_names}(\s*,?\s*please)?\s*[.!]*\s*$",
        rf"(?<!no )(?<!not )\b{english_names}\s*,?\s*please\b",
        rf"^\s*{chinese_names}\s*(吧|啊|呢|谢谢)?\s*[.!。！]*\s*$",
        rf"{_ZH_LEAD}{_ZH_VERB}\s*{chinese_names}",
        rf"(你|您)[^。？！?!]{{0,6}}(用|说|讲)\s*{chinese_names}",
        rf"(切换|换成|换到|改用|改成)\s*{chinese_names}",
        rf"{chinese_names}\s*(回答|回复)",
    ]


def _not_understood_patterns(english_names: str, chinese_names: str) -> List[str]:
    """"我看不懂中文" / "I can't read Chinese" / "no Chinese please": answer in the other language."""
    return [
        rf"(看不懂|不懂|不会|听不懂|读不懂|不认识|不太懂)\s*{chinese_names}(?=\s*($|[，。,.!！?？]|吗|啊|呢|怎么办))",
        rf"\b(don'?t|do not|can'?t|cannot|can not|doesn'?t)\s+(read|understand|speak|know)\s+(any\s+)?{english_names}\b",
        rf"\bno\s+{english_names}(\s*,?\s*please)?\s*[.!]*\s*$",
    ]


_CHINESE_NAMES = (r"(chinese|mandarin)", r"(中文|汉语|普通话|华语|汉字)")
_ENGLISH_NAMES = (r"english", r"(英文|英语|english)")
_REQUEST_PATTERNS = {
    "en": _request_patterns(*_ENGLISH_NAMES) + _not_understood_patterns(*_CHINESE_NAMES),
    "zh": _request_patterns(*_CHINESE_NAMES) + _not_understood_patterns(*_ENGLISH_NAMES),
}
_REQUESTS = {
    language: [re.compile(pattern, re.IGNORECASE) for pattern in patterns]
    for language, patterns in _REQUEST_PATTERNS.items()
}


def detect_language(text: str) -> Optional[str]:
    """Main language of `text` by script ('zh' or 'en'), or None when it has no letters."""
    normalized = normalize_text(text or "")
    han_chars = sum(1 for char in normalized if is_han(char))
    latin_words = sum(
        1 for word in _LATIN_WORD.findall(normalized) if not _ACRONYM.match(word)
    )
    if han_chars == 0 and latin_words == 0:
        return None
    return "zh" if han_chars / _HAN_CHARS_PER_WORD >= latin_words else "en"


def requested_language(text: str) -> Optional[str]:
    """The language the user explicitly asks for ("please answer in English"), if any."""
    normalized = normalize_text(text or "")
    for language, patterns in _REQUESTS.items():
        if any(pattern.search(normalized) for pattern in patterns):
            return language
    return None


def metadata_language(metadata: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The `language` field of message metadata when it names a supported language."""
    if not isinstance(metadata, Mapping):
        return None
    return supported(metadata.get("language"))


class LanguageChoice(NamedTuple):
    """The language to answer in and whether the user fixed it explicitly."""

    language: str
    locked: bool


def supported(value: Any) -> Optional[str]:
    """'zh' or 'en' for a value such as "en", "en-US" or "zh-CN", else None."""
    if isinstance(value, str) and value.strip().lower()[:2] in SUPPORTED_LANGUAGES:
        return value.strip().lower()[:2]
    return None


def accept_language(header: Any) -> Optional[str]:
    """The first supported language of an Accept-Language header ("en-US,en;q=0.9" → 'en')."""
    if not isinstance(header, str):
        return None
    for part in header.split(","):
        language = supported(part.split(";")[0])
        if language:
            return language
    return None


def choose_language(
    text: str,
    metadata: Optional[Mapping[str, Any]],
    current: Optional[str],
    locked: bool,
    payload_language: Optional[str] = None,
    first_turn: bool = False,
) -> LanguageChoice:
    """Decide the reply language for one user turn (see module docstring for the rules).

    `payload_language` is the `language` entity of an init payload (`/greet{"language":"en"}`);
    on the conversation's first turn a message without letters takes the browser's
    Accept-Language (metadata `accept_language`) as the weakest default.
    """
    current_language = current if current in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    from_metadata = metadata_language(metadata) or supported(payload_language)
    if from_metadata:
        return LanguageChoice(from_metadata, locked)
    requested = requested_language(text)
    if requested:
        return LanguageChoice(requested, True)
    is_payload = (text or "").lstrip().startswith(PAYLOAD_PREFIX)
    from_browser = accept_language((metadata or {}).get("accept_language")) if isinstance(metadata, Mapping) else None
    if first_turn and not locked and from_browser and (is_payload or detect_language(text) is None):
        return LanguageChoice(from_browser, False)
    if locked or is_payload:
        return LanguageChoice(current_language, locked)
    return LanguageChoice(detect_language(text) or current_language, False)
