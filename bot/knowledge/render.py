"""How a knowledge entry reads in the chat: the answer, a confirm line where one is due, one source line.

Time-aware: after a policy's announced end date the answer is no longer stated as current; the user
is told until when it was announced and where to check (the entry's first source).
"""
from __future__ import annotations

import datetime
from typing import Optional

from bot.knowledge import Entry, Source

# Fixed phrases of rendered answers, zh and en side by side.
PHRASES = {
    "source": {"zh": "来源：", "en": "Source: "},
    "source_separator": {"zh": "；", "en": "; "},
    "confirm": {
        "zh": "办理前请向区政府外办或12345市民服务热线确认。",
        "en": "Please confirm with the district Foreign Affairs Office or the 12345 hotline before you act on it.",
    },
    "ended": {
        "zh": "这项政策公布的实施期限是{date}，现已到期。是否延续，请以最新官方公告为准：{url}",
        "en": "This policy was announced until {date}, which has passed. Whether it continues, please check the latest official notice: {url}",
    },
}


def format_date(day: datetime.date, language: str) -> str:
    """2026-12-31 → 2026年12月31日 / 31 December 2026."""
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%B')} {day.year}"


def source_text(source: Source, language: str) -> str:
    """"中山市外事局 https://…（2026-03-03）" / "Zhongshan FAB https://… (2026-03-03)"."""
    text = f"{source.publisher[language]} {source.url}"
    if source.published:
        date = source.published.isoformat()
        text += f"（{date}）" if language == "zh" else f" ({date})"
    return text


def source_line(entry: Entry, language: str) -> str:
    """The one line naming the entry's official sources."""
    parts = PHRASES["source_separator"][language].join(source_text(s, language) for s in entry.sources)
    return PHRASES["source"][language] + parts


def has_ended(entry: Entry, today: datetime.date) -> bool:
    """True once a time-limited policy's announced end date has passed."""
    return entry.ends is not None and today > entry.ends


def render_answer(entry: Entry, language: str, today: Optional[datetime.date] = None) -> str:
    """The chat text of an entry in `language` on `today` (default: the real date)."""
    today = today or datetime.date.today()
    language = "en" if language == "en" else "zh"
    if has_ended(entry, today):
        url = entry.sources[0].url if entry.sources else ""
        body = PHRASES["ended"][language].format(date=format_date(entry.ends, language), url=url)
    else:
        body = entry.answer[language]
        if entry.confirm or not entry.verified:
            body = f"{body}\n{PHRASES['confirm'][language]}"
    if not entry.sources:
        return body
    return f"{body}\n{source_line(entry, language)}"
