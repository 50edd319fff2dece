"""How an entry reads in the chat: answer, confirm line where due, one source line, time-aware."""
import datetime

from bot.knowledge import Entry, Source
from bot.knowledge.render import render_answer

SOURCE = Source("https://www.nia.gov.cn/x", {"zh": "国家移民管理局", "en": "NIA"}, datetime.date(2025, 11, 4))


def make(**kwargs) -> Entry:
    base = dict(id="visa_free_30day", topic="visa_free", aspect="what",
                answer={"zh": "免签入境可停留30天，实施至2026年12月31日。", "en": "You may stay 30 days, until 31 December 2026."},
                sources=(SOURCE,), checked=datetime.date(2026, 12, 2))
    base.update(kwargs)
    return Entry(**base)


def test_the_answer_comes_first_and_the_source_line_last() -> None:
    text = render_answer(make(), "zh", datetime.date(2026, 12, 2))
    lines = text.splitlines()
    assert lines[0].startswith("免签入境") and lines[-1] == "来源：国家移民管理局 https://www.nia.gov.cn/x（2025-11-04）"
    assert render_answer(make(), "en", datetime.date(2026, 12, 2)).splitlines()[-1].startswith("Source: NIA https://")


def test_the_confirm_line_only_on_unverified_entries_and_office_set_amounts() -> None:
    today = datetime.date(2026, 12, 2)
    assert "12345" not in render_answer(make(), "zh", today)
    assert "12345" in render_answer(make(verified=False), "zh", today)
    assert "12345" in render_answer(make(confirm=True), "en", today)


def test_after_its_end_date_a_policy_is_no_longer_stated_as_current() -> None:
    entry = make(ends=datetime.date(2026, 12, 31))
    assert "30天" in render_answer(entry, "zh", datetime.date(2026, 12, 31))
    after = render_answer(entry, "zh", datetime.date(2027, 1, 1))
    assert "30天" not in after and "2026年12月31日" in after and "https://www.nia.gov.cn/x" in after
    assert "31 December 2026" in render_answer(entry, "en", datetime.date(2027, 1, 1))
