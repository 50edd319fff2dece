"""Follow-up questions in context: "how much does it cost?" right after the APEC card answers
the APEC card fee.

A question that names no topic of its own ("多少钱", "how long does it take") is read in the
topic of the previous answer. When it asks for a known aspect (cost, time, documents, penalty)
that the topic has an answer for, that answer wins; otherwise the best answer of that topic
among the classifier's likeliest ones. A question that names its topic ("邀请函多少钱") is
taken as it is.
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
    "registration": ("住宿登记", "登记", "register", "registration"),
    "resident": ("居留", "出入境", "护照", "报警", "急救", "12345", "12367",
                 "residence permit", "exit-entry", "passport", "emergency", "ambulance", "police"),
    "language": ("语言环境", "外语标识", "标识", "招牌", "店招", "sign", "signs", "language regulation"),
    "official": ("因公", "公务", "出国任务", "official", "delegation"),
}
# Keys whose area is narrower than their prefix, so follow-ups stay on their subject.
_AREA_OF_KEY = {
    "resident_registration": "registration",
    "resident_registration_penalty": "registration",
}
# What a topic-less follow-up asks about, in the order they are tried.
ASPECTS: Dict[str, Tuple[str, ...]] = {
    "penalty": ("罚", "不去的话", "不办的话", "不登记", "会怎么样", "后果", "penalty", "fine", "fined",
                "what if", "what happens if", "consequence", "punish"),
    "cost": ("多少钱", "费用", "收费", "收钱", "免费", "要钱", "花钱", "cost", "fee", "how much", "price",
             "charge", "free", "pay"),
    "materials": ("材料", "带什么", "准备什么", "证件", "documents", "papers", "bring", "what do i need"),
    "time": ("多久", "多长时间", "几天", "几个月", "how long", "how soon", "how many days", "how many weeks"),
}
# (area, aspect) → the FAQ answer of that aspect within that area.
ASPECT_ANSWERS: Dict[Tuple[str, str], str] = {
    ("apec", "cost"): "apec_fee",
    ("apec", "time"): "apec_time",
    ("apec", "materials"): "apec_materials",
    ("invite", "cost"): "invite_time_fee",
    ("invite", "time"): "invite_time_fee",
    ("consular", "cost"): "consular_costs",
    ("registration", "penalty"): "resident_registration_penalty",
    ("registration", "materials"): "resident_registration",
    ("registration", "time"): "resident_registration",
}
_ASPECT_WORDS = {
    aspect: re.compile("|".join(rf"(?<![a-z]){re.escape(word)}(?![a-z])" for word in words), re.IGNORECASE)
    for aspect, words in ASPECTS.items()
}
_AREA_WORDS = {
    area: re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    for area, words in AREAS.items()
}


def area_of(faq_key: str) -> str:
    """Topic area of an FAQ key: ``apec_fee`` → ``apec``."""
    return _AREA_OF_KEY.get(faq_key) or faq_key.split("_", 1)[0]


def names_a_topic(text: str) -> bool:
    """True when the question itself names some topic area."""
    normalized = normalize_text(text or "")
    return any(pattern.search(normalized) for pattern in _AREA_WORDS.values())


def aspect_of(text: str) -> Optional[str]:
    """The aspect a question asks about ("要多少钱" → ``cost``), or None."""
    normalized = normalize_text(text or "")
    return next((aspect for aspect, pattern in _ASPECT_WORDS.items() if pattern.search(normalized)), None)


def follow_up_answer(text: str, previous_area: Optional[str]) -> Optional[str]:
    """The FAQ key a topic-less follow-up asks for in the previous topic, if there is one."""
    if not previous_area or names_a_topic(text):
        return None
    aspect = aspect_of(text)
    return ASPECT_ANSWERS.get((previous_area, aspect)) if aspect else None


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
    text = parse_data.get("text") or ""
    by_aspect = follow_up_answer(text, previous_area)
    if by_aspect:
        return by_aspect
    keys = ranked_faq_keys(parse_data)
    if not keys:
        return None
    if previous_area and not names_a_topic(text):
        for key in keys[:MAX_RANK_FOR_FOLLOW_UP]:
            if area_of(key) == previous_area:
                return key
    return keys[0]
