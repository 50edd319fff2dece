"""The report's date filter, paging and CSV export (bot/web/report.py)."""
import csv
import io
from datetime import date, datetime, timezone

import pytest

from bot.web.conversations import DayStats, UnansweredQuestion
from bot.web.report import BadRange, DayRow, Report, date_range, page_of, to_csv

TODAY = date(2026, 12, 2)


def test_the_default_range_is_the_last_fourteen_beijing_days() -> None:
    assert date_range(None, None, TODAY) == (date(2026, 11, 19), TODAY)
    assert date_range("2026-12-01", "2026-12-01", TODAY) == (date(2026, 12, 1), date(2026, 12, 1))


@pytest.mark.parametrize("start, end", [
    ("2026-13-01", None), ("2026-12-02", "2026-12-01"), ("2020-01-01", "2026-12-01")])
def test_a_bad_range_is_refused_with_a_reason_in_both_languages(start: str, end: str) -> None:
    with pytest.raises(BadRange, match=" / "):
        date_range(start, end, TODAY)


def test_pages_count_from_one_and_stay_in_range() -> None:
    items = list(range(45))
    assert page_of(items, 1)[1:] == (1, 3) and page_of(items, 3)[0] == list(range(40, 45))
    assert page_of(items, 99)[1] == 3 and page_of(items, -5)[1] == 1 and page_of([], 1)[1:] == (1, 1)


def test_the_csv_export_cannot_run_formulas_in_a_spreadsheet() -> None:
    report = Report(TODAY, TODAY, [TODAY])
    report.rows = {language: [DayRow(DayStats(TODAY, language, 2, 1, 1, 0, 0), 1, 0)] for language in ("zh", "en")}
    report.unanswered = [UnansweredQuestion("=HYPERLINK(\"http://x\")", 3, 2, ("en",), "clarify",
                                            datetime(2026, 12, 2, 2, tzinfo=timezone.utc))]
    daily = list(csv.reader(io.StringIO(to_csv(report, "daily").lstrip("\ufeff"))))
    assert daily[1] == ["2026-12-02", "zh", "2", "1", "1", "0", "0", "1", "0"]
    unanswered = list(csv.reader(io.StringIO(to_csv(report, "unanswered").lstrip("\ufeff"))))
    assert unanswered[1][0].startswith("'=") and unanswered[1][5] == "2026-12-02 10:00"  # Beijing time
