"""Hostile chat turns mixed with ordinary questions, reproducible from a seed.

Each turn says whether the channel must answer it (`expect_reply`) or refuse it as malformed
(empty after cleaning, too long, not UTF-8). A `bytes` text is sent raw: invalid UTF-8 in the
HTTP body, a binary attachment over socket.io.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Dict, List, Sequence, Union

Text = Union[str, bytes]


@dataclass(frozen=True)
class Turn:
    kind: str
    text: Text
    expect_reply: bool


@dataclass(frozen=True)
class Conversation:
    sender: str
    turns: Sequence[Turn]


NORMAL = [
    "APEC卡有效期几年？", "APEC商务旅行卡怎么申请？", "邀请函办理需要什么材料？", "护照丢了怎么办？",
    "外国人在北京怎么办理住宿登记？", "你好", "谢谢", "How long is the APEC card valid?",
    "How do I apply for an invitation letter?", "I lost my passport in Beijing, what should I do?",
    "How do I register my address?", "hello", "please answer in English", "请用中文回答", "What can you do?",
    "领事保护是什么？", "Who do I call in an emergency?", "办公时间是几点？",
]

# Refused by the channel: nothing left after cleaning, too long, or not UTF-8.
REFUSED: Dict[str, List[Text]] = {
    "empty": [""],
    "whitespace": [" ", "\t\n  \r\n", "\u3000\u3000"],
    "invisible_only": ["\u200b\u200c\u200d\ufeff", "\x00\x01\x02", "\u202e\u202d"],
    "too_long": ["A" * 20000, "签证" * 10000, "😀" * 20000],
    "invalid_utf8": [b"\xff\xfe\xfd", b"APEC\xc3\x28card", b"\xed\xa0\x80", b"\xe4\xbd"],
}

# Odd but well-formed: the assistant must answer each.
ANSWERED: Dict[str, List[str]] = {
    "control": ["APEC\x00卡\x07有效期", "hello\x1b[31mworld", "签证\r\n\r\n材料"],
    "zero_width": ["APEC\u200b卡\u200c有效期\u200d几年", "\ufeffvisa\u2060 invitation"],
    "emoji": ["😀🙏🇨🇳", "👍" * 300, "APEC卡😀怎么办理🙏", "🧑‍🤝‍🧑 help"],
    "rtl": ["\u202eAPEC card validity", "مرحبا كيف حالك", "שלום, how do I get a visa?", "\u200fتأشيرة"],
    "html": ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</div><b>签证</b><!--",
             "<svg/onload=alert`1`>"],
    "sql": ["'; DROP TABLE events; --", "1 OR 1=1", "\" UNION SELECT * FROM applications --", "ABTC' OR '1'='1"],
    "json_text": ['{"sender":"x","message":"hi"}', '[{"event":"restart"}]', '{"__proto__":{"admin":true}}', "null"],
    "intent_syntax": ["/restart", "/check_status", '/inform{"reference":"ABTC-2025-000318"}', "/nlu_fallback", "/"],
    "template": ["{0}{1}%s%n{{domain}}", "${ACTION_ENDPOINT_URL}", "{% raw %}{{7*7}}", "%(password)s"],
    "surrogate": ["\ud800APEC", "签证\udfff"],
    "unusual_script": ["Ｈｅｌｌｏ　ＡＰＥＣ", "ＡＢＴＣ－２０２５－０００３１８", "ǍṔȆĆ ćåŕđ", "𝐀𝐏𝐄𝐂 𝐜𝐚𝐫𝐝"],
    "long_ok": ["visa " * 390, "签证" * 900, "9" * 1999],
    "mixed": ["APEC卡有效期几年？<script>", "How do I register my address? '; --", "护照丢了😀\u200b怎么办"],
}

LOOKUP_START = ["查询申请状态", "check my application status", "我想查一下邀请函办理进度"]
HOSTILE_REFERENCES = [
    "ABTC-2025-000318'; DROP TABLE applications; --", "<script>ABTC-2025-000318</script>", "ABTC-2025-%00000318",
    "ＡＢＴＣ－２０２５－０００３１８", "INV-2025-000051\u200b", "ABTC-2099-999999", "../../etc/passwd", "ABTC-" + "9" * 500,
    "INV-2025-000064 OR 1=1", "😀ABTC-2025-000402😀",
]
HOSTILE_CODES = ["<scr", "' OR", "１２３４", "١٢٣٤", "12\u200b34", "0000", "%s%s", "NULL", "1234" * 100, "取消"]


def _conversation(rng: random.Random, number: int) -> Conversation:
    sender = f"fuzz-{number:05d}-{rng.randrange(16 ** 6):06x}"
    if rng.random() < 0.08:
        turns = [Turn("lookup", rng.choice(LOOKUP_START), True),
                 Turn("lookup_reference", rng.choice(HOSTILE_REFERENCES), True),
                 Turn("lookup_code", rng.choice(HOSTILE_CODES), True)]
        return Conversation(sender, turns)
    turns = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.3:
            turns.append(Turn("normal", rng.choice(NORMAL), True))
        elif roll < 0.5:
            kind = rng.choice(sorted(REFUSED))
            turns.append(Turn(kind, rng.choice(REFUSED[kind]), False))
        else:
            kind = rng.choice(sorted(ANSWERED))
            turns.append(Turn(kind, rng.choice(ANSWERED[kind]), True))
    return Conversation(sender, turns)


def conversations(message_count: int, seed: int = 6) -> List[Conversation]:
    """Conversations holding `message_count` turns in all (the last one may be cut short)."""
    rng = random.Random(seed)
    result: List[Conversation] = []
    remaining = message_count
    while remaining > 0:
        conversation = _conversation(rng, len(result))
        turns = list(conversation.turns)[:remaining]
        result.append(Conversation(conversation.sender, turns))
        remaining -= len(turns)
    return result
