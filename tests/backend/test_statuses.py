"""Every status the records use is explained, in both languages."""
import re

from bot.backend.seed import DEMO
from bot.backend.statuses import STATUSES

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_status_has_meaning_and_next_step_in_zh_and_en() -> None:
    for code, status in STATUSES.items():
        assert status.code == code
        assert CJK.search(status.meaning_zh) and CJK.search(status.next_step_zh), code
        assert status.meaning_en.isascii() and status.next_step_en.isascii(), code
        assert status.meaning_en and status.next_step_en, code


def test_every_demo_record_and_history_step_uses_a_known_status() -> None:
    for record, steps in DEMO:
        assert record.status in STATUSES
        assert steps[-1][0] == record.status
        assert all(status in STATUSES for status, _ in steps)


def test_demo_details_are_bilingual() -> None:
    for record, _ in DEMO:
        assert CJK.search(record.detail_zh) and record.detail_en.isascii()
