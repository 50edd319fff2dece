"""Follow-up questions in context: "how much does it cost?" right after the APEC card answers
the APEC card fee.

A question that names no topic of its own ("多少钱", "how long does it take") is read in the
topic of the previous answer: among the response selector's likeliest answers, the best one
from that topic wins. A question that names its topic ("邀请函多少钱") is taken as it is.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from bot.nlu.text import normalize_text

RETRIEVAL_INTENT = "faq"
# How far down the response selector's ranking an in-topic answer may come from.
MAX_RANK_FOR_FOLLOW_UP = 5

# Topic area of an FAQ key (its prefix) and the words that name that area in a question.
AREAS: Dict[str, Tuple[str, ...]] = {
    "apec": ("apec", "abtc", "商务旅行卡", "商务卡", "旅行卡", "business travel card"),
    "invite": ("邀请", "核实单", "invitation", "invite", "te letter", "pu letter"),
    "visa": ("签证", "免签", "visa", "transit", "过境"),
    "consular": ("领事", "领保", "12308", "使馆", "使领馆", "consular", "embassy", "consulate"),
    "resident": ("住宿登记", "登记", "居留", "出入境", "护照", "报警", "急救", "12345", "12367",
                 "register", "registration", "residence permit", "exit-entry", "passport",
                 "emergency", "ambulance", "police"),
    "language": ("语言环境", "外语标识", "标识", "招牌", "店招", "sign", "signs", "language regulation"),
    "official": ("因公", "公务", "出国任务", "official", "delegation"),
}
_AREA_WORDS = {
    area: re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    for area, words in AREAS.items()
}


def area_of(faq_key: str) -> str:
    """Topic area of an FAQ key: ``apec_fee`` → ``apec``."""
    return faq_key.split("_", 1)[0]


def names_a_topic(text: str) -> bool:
    """True when the question itself names some topic area."""
    normalized = normalize_text(text or "")
    return any(pattern.search(normalized) for pattern in _AREA_WORDS.values())


def ranked_faq_keys(parse_data: Mapping[str, Any]) -> List[str]:
    """FAQ keys of the response selector's ranking, likeliest first."""
    selector = (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    keys = []
    for entry in selector.get("ranking") or []:
        full_key = entry.get("intent_response_key") or ""
        if full_key.startswith(f"{RETRIEVAL_INTENT}/"):
            keys.append(full_key.split("/", 1)[1])
    if not keys:
        chosen = (selector.get("response") or {}).get("intent_response_key") or ""
        if chosen.startswith(f"{RETRIEVAL_INTENT}/"):
            keys.append(chosen.split("/", 1)[1])
    return keys


def choose_faq_key(parse_data: Mapping[str, Any], previous_area: Optional[str]) -> Optional[str]:
    """The FAQ key to answer, reading a topic-less question in the previous answer's topic."""
    keys = ranked_faq_keys(parse_data)
    if not keys:
        return None
    if previous_area and not names_a_topic(parse_data.get("text") or ""):
        for key in keys[:MAX_RANK_FOR_FOLLOW_UP]:
            if area_of(key) == previous_area:
                return key
    return keys[0]
