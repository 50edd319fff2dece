"""Every status the records use is explained, in both languages, with no placeholder in any of it."""
import re

import pytest

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


OFFICE_TEMPLATE = """office:
  name_zh: 东城区人民政府外事办公室
  name_en: Foreign Affairs Office of the Dongcheng District Government
  phone: "{phone}"
  address_zh: "{address_zh}"
  address_en: "{address_en}"
  hours_zh: "{hours_zh}"
  hours_en: "{hours_en}"
channels:
  - zh: 北京12345市民服务热线：12345
    en: "Beijing 12345 hotline: 12345"
"""
PLACEHOLDERS = dict(phone="【待外办填写：咨询电话】 [TO BE FILLED IN BY THE OFFICE: phone]",
                    address_zh="【待外办填写：办公地址】", address_en="[TO BE FILLED IN BY THE OFFICE: address]",
                    hours_zh="【待外办填写：办公时间】", hours_en="[TO BE FILLED IN BY THE OFFICE: office hours]")
FILLED = dict(phone="010-6401 0000", address_zh="东城区示例路1号", address_en="1 Example Road, Dongcheng",
              hours_zh="工作日9:00-17:00", hours_en="weekdays 9:00-17:00")


def office_file(tmp_path, values) -> object:
    path = tmp_path / "office.yml"
    path.write_text(OFFICE_TEMPLATE.format(**values), encoding="utf-8")
    return path


EMPTY = {name: "" for name in PLACEHOLDERS}


@pytest.mark.parametrize("unfilled", [EMPTY, PLACEHOLDERS], ids=["empty", "old placeholders"])
def test_pick_up_and_submission_points_name_no_placeholder_until_the_office_fills_them_in(tmp_path, unfilled) -> None:
    path = office_file(tmp_path, unfilled)
    for code in ("returned", "issued"):
        for language in ("zh", "en"):
            text = STATUSES[code].next_step(language, path)
            assert "12345" in text, (code, language)
            assert not any(marker in text for marker in ("待外办填写", "TO BE FILLED", "【", "[", "{")), text


def test_filled_in_address_and_hours_appear_in_the_pick_up_and_submission_points(tmp_path) -> None:
    path = office_file(tmp_path, FILLED)
    issued_zh, issued_en = STATUSES["issued"].next_step("zh", path), STATUSES["issued"].next_step("en", path)
    assert "东城区示例路1号" in issued_zh and "工作日9:00-17:00" in issued_zh and "12345" not in issued_zh
    assert "1 Example Road, Dongcheng" in issued_en and "weekdays 9:00-17:00" in issued_en
    assert "东城区示例路1号" in STATUSES["returned"].next_step("zh", path)
    half = office_file(tmp_path, {**EMPTY, "address_zh": "东城区示例路1号"})
    assert STATUSES["issued"].next_step("zh", half) == "请到区政府外办窗口（东城区示例路1号）领取。"


def test_the_shipped_office_file_gives_no_placeholder_in_any_status_text() -> None:
    for status in STATUSES.values():
        for language in ("zh", "en"):
            text = status.next_step(language)
            assert not any(marker in text for marker in ("待外办填写", "TO BE FILLED", "【", "{")), text
