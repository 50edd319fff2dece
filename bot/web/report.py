"""The office's report for a date range: what the pages and the CSV export show, built once.

Per Beijing day and language: conversations, answered, clarified, out of scope, handed off (from the
tracker store, bot/web/conversations.py) and 👍/👎 (from the web database); the unanswered questions
grouped; every 👎 with the question the visitor had asked.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Dict, List, Optional, Sequence, Tuple

from bot.web.conversations import BEIJING, ConversationReader, DayStats, UnansweredQuestion, daily_stats, \
    question_before, unanswered_questions
from bot.web.db import DOWN, UP, Vote, WebDatabase

LANGUAGES = ("zh", "en")
DEFAULT_DAYS = 14
MAX_DAYS = 366
PAGE_SIZE = 20
DAILY_COLUMNS = ("day", "language", "conversations", "answered", "clarified", "out_of_scope", "handed_off",
                 "helpful", "not_helpful")


class BadRange(ValueError):
    """The date filter cannot be used; the message says why in both languages."""


@dataclass(frozen=True)
class DayRow:
    """One row of the daily table: the tracker's counts and the votes of that day and language."""

    stats: DayStats
    up: int
    down: int

    def values(self) -> Tuple:
        s = self.stats
        return (s.day.isoformat(), s.language, s.conversations, s.answered, s.clarified, s.out_of_scope,
                s.handed_off, self.up, self.down)


@dataclass(frozen=True)
class DownVote:
    """A 👎 with what the visitor had asked."""

    vote: Vote
    question: Optional[str]


@dataclass
class Report:
    start: date
    end: date
    days: List[date]
    rows: Dict[str, List[DayRow]] = field(default_factory=dict)  # by language, one row per day
    unanswered: List[UnansweredQuestion] = field(default_factory=list)
    down_votes: List[DownVote] = field(default_factory=list)


def date_range(start: Optional[str], end: Optional[str], today: Optional[date] = None) -> Tuple[date, date]:
    """The inclusive Beijing-day range of the filter; the last DEFAULT_DAYS days when not given."""
    today = today or datetime.now(BEIJING).date()
    try:
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else last - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise BadRange("日期格式应为 YYYY-MM-DD。 / Dates are written YYYY-MM-DD.") from None
    if first > last:
        raise BadRange("开始日期晚于结束日期。 / The start date is after the end date.")
    if (last - first).days >= MAX_DAYS:
        raise BadRange(f"最多可查看 {MAX_DAYS} 天。 / At most {MAX_DAYS} days at a time.")
    return first, last


def _bounds(first: date, last: date) -> Tuple[datetime, datetime]:
    return (datetime.combine(first, time(), BEIJING), datetime.combine(last + timedelta(days=1), time(), BEIJING))


def build_report(reader: ConversationReader, database: WebDatabase, first: date, last: date) -> Report:
    """Everything the report shows for [first, last] (Beijing days). Blocking: run it in a thread."""
    start, end = _bounds(first, last)
    turns = reader.turns_between(start, end)
    votes = database.votes_between(start, end)
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    report = Report(first, last, days)
    stats = {(item.day, item.language): item for item in daily_stats(turns)}
    tally: Dict[Tuple[date, str, int], int] = {}
    for vote in votes:
        key = (vote.created_at.astimezone(BEIJING).date(), vote.language, vote.rating)
        tally[key] = tally.get(key, 0) + 1
    for language in LANGUAGES:
        report.rows[language] = [
            DayRow(stats.get((day, language)) or DayStats(day, language, 0, 0, 0, 0, 0),
                   tally.get((day, language, UP), 0), tally.get((day, language, DOWN), 0))
            for day in days
        ]
    report.unanswered = unanswered_questions(turns)
    down = [vote for vote in votes if vote.rating == DOWN]
    voted_turns = reader.turns_of(vote.conversation_id for vote in down)
    report.down_votes = [DownVote(vote, question_before(voted_turns, vote.conversation_id, vote.answer_text))
                         for vote in down]
    return report


def page_of(items: Sequence, page: int) -> Tuple[Sequence, int, int]:
    """(the items of page ``page``, the page shown, the number of pages); pages count from 1."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    return items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], page, pages


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(report: Report, table: str) -> str:
    """One table of the report as CSV (UTF-8 with BOM so spreadsheet programs read Chinese right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    if table == "unanswered":
        writer.writerow(("question", "times", "conversations", "languages", "outcome", "last_seen_beijing"))
        rows = [(q.text, q.count, q.conversations, " ".join(q.languages), q.outcome,
                 q.last_seen.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")) for q in report.unanswered]
    elif table == "down":
        writer.writerow(("time_beijing", "language", "question", "answer_id", "answer"))
        rows = [(d.vote.created_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"), d.vote.language,
                 d.question or "", d.vote.answer_id, d.vote.answer_text) for d in report.down_votes]
    else:
        writer.writerow(DAILY_COLUMNS)
        rows = [row.values() for language in LANGUAGES for row in report.rows[language]]
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return "\ufeff" + out.getvalue()
