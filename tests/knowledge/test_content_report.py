"""`make content-report` lists what the office must review, judged on a fixed "today"."""
from __future__ import annotations

import datetime
import importlib.util
import sys
import textwrap

from bot.knowledge import load_knowledge_from
from bot.settings import REPO_ROOT

_spec = importlib.util.spec_from_file_location("content_report", REPO_ROOT / "scripts" / "content_report.py")
content_report = importlib.util.module_from_spec(_spec)
sys.modules["content_report"] = content_report  # dataclasses look their module up there
_spec.loader.exec_module(content_report)

TODAY = datetime.date(2026, 12, 2)

ENTRIES = textwrap.dedent("""\
    topic: visa_free
    entries:
      - id: ends_in_four_weeks
        aspect: what
        answer: {zh: 实施至2026年12月31日。, en: Until 31 December 2026.}
        sources: [{url: "https://www.gov.cn/a", publisher: {zh: 外交部, en: MFA}, published: 2026-02-15}]
        checked: 2026-12-01
        ends: 2026-12-31
      - id: ended_in_september
        aspect: countries
        answer: {zh: 实施至2026年9月14日。, en: Until 14 September 2026.}
        sources: [{url: "https://www.gov.cn/b", publisher: {zh: 外交部, en: MFA}, published: 2025-09-02}]
        checked: 2026-12-01
        ends: 2026-09-14
      - id: ends_next_year
        aspect: stay
        answer: {zh: 实施至2027年3月1日。, en: Until 1 March 2027.}
        sources: [{url: "https://www.gov.cn/c", publisher: {zh: 外交部, en: MFA}, published: 2026-06-01}]
        checked: 2026-12-01
        ends: 2027-03-01
      - id: old_and_unverified
        aspect: fee
        answer: {zh: 720元。, en: CNY 720.}
        sources:
          - {url: "https://www.gov.cn/d", publisher: {zh: 外办, en: FAO}, published: 2013-02-25}
          - {url: "https://www.gov.cn/e", publisher: {zh: 外办, en: FAO}, published: 2023-12-01}
        checked: 2026-12-01
        verified: false
      - id: newest_source_just_three_years_old
        aspect: time
        answer: {zh: 5个工作日。, en: 5 working days.}
        sources: [{url: "https://www.gov.cn/f", publisher: {zh: 外办, en: FAO}, published: 2023-12-02}]
        checked: 2026-12-01
      - id: undated_source
        aspect: where
        answer: {zh: 区外办。, en: The district FAO.}
        sources: [{url: "https://www.gov.cn/g", publisher: {zh: 外办, en: FAO}}]
        checked: 2026-12-01
    """)


def _findings(tmp_path):
    (tmp_path / "visa_free.yml").write_text(ENTRIES, encoding="utf-8")
    return content_report.review(load_knowledge_from(tmp_path).entries, TODAY)


def test_the_report_lists_each_reason_for_review(tmp_path):
    found = {(f.entry_id, f.reason) for f in _findings(tmp_path)}
    assert found == {
        ("ends_in_four_weeks", "ends_soon"),
        ("ended_in_september", "ended"),
        ("old_and_unverified", "old_sources"),
        ("old_and_unverified", "unverified"),
        ("undated_source", "old_sources"),
    }


def test_an_entry_with_one_recent_source_is_not_old(tmp_path):
    assert not [f for f in _findings(tmp_path) if f.entry_id == "newest_source_just_three_years_old"]


def test_the_report_says_how_many_days_are_left(tmp_path):
    soon = [f for f in _findings(tmp_path) if f.reason == "ends_soon"]
    assert soon[0].detail == "ends 2026-12-31 (in 29 days)"


def test_the_command_prints_every_section_for_the_office(tmp_path, capsys):
    (tmp_path / "visa_free.yml").write_text(ENTRIES, encoding="utf-8")
    assert content_report.main(["--today", "2026-12-02", "--knowledge", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "6 entries, 4 to review" in out
    for heading in content_report.REASONS.values():
        assert heading in out
    assert "ended_in_september  ended 2026-09-14" in out


def test_years_before_handles_a_leap_day():
    assert content_report.years_before(datetime.date(2028, 2, 29), 3) == datetime.date(2025, 2, 28)
