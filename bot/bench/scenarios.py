"""What the benchmark says to the assistant: FAQ questions and status lookups.

FAQ questions are the held-out FAQ examples (never trained on), Chinese and English alternating.
Status lookups use the seeded demo records of issue 4: the reference up front, then the right code,
so every lookup reaches the backend and ends with an answer (the check that it did is `completed`).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest
from typing import List, Tuple

from bot.evaluation import load_heldout

# (reference, verification code) of the demo records seeded by bot/backend/seed.py.
DEMO_RECORDS: Tuple[Tuple[str, str], ...] = (
    ("ABTC-2024-000107", "4821"),
    ("ABTC-2025-000233", "7302"),
    ("ABTC-2025-000318", "1569"),
    ("ABTC-2025-000402", "2046"),
    ("INV-2025-000051", "3390"),
    ("INV-2025-000064", "5147"),
    ("INV-2025-000077", "8803"),
)
OPENINGS = ("帮我查一下{reference}的进度", "What is the status of {reference}?")
RESULT_MARKERS = ("下一步", "Next step")


def faq_questions() -> List[str]:
    """Every held-out FAQ question, alternating zh and en."""
    by_language = load_heldout()
    lists = [[text for text, intent in by_language.get(lang, []) if intent.startswith("faq/")] for lang in ("zh", "en")]
    return [text for pair in zip_longest(*lists) for text in pair if text]


@dataclass(frozen=True)
class StatusLookup:
    """One two-turn lookup: the question with the reference, then the code."""

    reference: str
    opening: str
    code: str

    def completed(self, last_reply: str) -> bool:
        """The status answer came back (not a re-ask, an error or a fallback)."""
        return self.reference in last_reply and any(marker in last_reply for marker in RESULT_MARKERS)


def status_lookups(count: int, offset: int = 0) -> List[StatusLookup]:
    """`count` lookups cycling through the demo records and both languages."""
    lookups = []
    for index in range(offset, offset + count):
        reference, code = DEMO_RECORDS[index % len(DEMO_RECORDS)]
        opening = OPENINGS[index % len(OPENINGS)].format(reference=reference)
        lookups.append(StatusLookup(reference, opening, code))
    return lookups
