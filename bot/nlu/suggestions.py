"""Which topics to offer when the NLU is unsure (a pure function over Rasa's parse data)."""
from __future__ import annotations

import json
from typing import Any, List, Mapping, Tuple

MAX_SUGGESTIONS = 3
RETRIEVAL_INTENT = "faq"
# Intents that are themselves a topic worth offering, with their button titles and payloads.
ACTION_TOPICS = {
    "check_status": ({"zh": "查询申请进度", "en": "Check an application"}, "/check_status"),
    "human_handoff": ({"zh": "联系外办", "en": "Contact the office"}, "/human_handoff"),
}


def topic_payload(faq_key: str) -> str:
    """Button payload that answers one FAQ topic without going through NLU."""
    return "/choose_topic" + json.dumps({"faq_key": faq_key}, ensure_ascii=False)


def suggest_topics(
    parse_data: Mapping[str, Any], titles: Mapping[str, Mapping[str, str]], language: str
) -> List[Tuple[str, str]]:
    """Up to three (button title, payload) pairs, likeliest first, in `language`.

    An FAQ topic scores P(faq intent) × P(answer | faq) from the response selector; an action
    topic (check an application, reach a person) scores its intent confidence.
    """
    intent_confidence = {
        entry.get("name"): float(entry.get("confidence") or 0.0)
        for entry in parse_data.get("intent_ranking") or []
    }
    scored: List[Tuple[float, str, str]] = []
    selector = (parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    for entry in selector.get("ranking") or []:
        key = (entry.get("intent_response_key") or "").partition("/")[2]
        if key in titles:
            score = intent_confidence.get(RETRIEVAL_INTENT, 0.0) * float(entry.get("confidence") or 0.0)
            scored.append((score, titles[key][language], topic_payload(key)))
    for intent, (title, payload) in ACTION_TOPICS.items():
        if intent in intent_confidence:
            scored.append((intent_confidence[intent], title[language], payload))
    scored.sort(key=lambda item: item[0], reverse=True)
    return [(title, payload) for _score, title, payload in scored[:MAX_SUGGESTIONS]]
