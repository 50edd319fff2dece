"""The handoff names only what the office filled in, then the verified channels: never a placeholder."""
from pathlib import Path

from bot.content import PLACEHOLDER_MARKERS, contact_text, office_details


def write_office(tmp_path: Path, phone: str, hours_zh: str = "") -> Path:
    path = tmp_path / "office.yml"
    path.write_text(
        "office:\n  name_zh: 东城区外办\n  name_en: Dongcheng FAO\n  website: https://www.bjdch.gov.cn/\n"
        f"  phone: \"{phone}\"\n  address_zh: \"\"\n  address_en: \"\"\n  hours_zh: \"{hours_zh}\"\n  hours_en: \"\"\n"
        "channels:\n  - zh: 12345热线\n    en: 12345 hotline\n",
        encoding="utf-8",
    )
    return path


def test_unfilled_and_placeholder_values_are_not_shown(tmp_path: Path) -> None:
    path = write_office(tmp_path, "【待外办填写：咨询电话】 [TO BE FILLED IN BY THE OFFICE: phone]")
    for language in ("zh", "en"):
        text = contact_text(language, path)
        assert not any(marker in text for marker in PLACEHOLDER_MARKERS)
        assert "12345" in text and "https://www.bjdch.gov.cn/" in text
    assert "phone" not in office_details("en", path)


def test_a_filled_in_value_appears(tmp_path: Path) -> None:
    path = write_office(tmp_path, "010-12345678", hours_zh="周一至周五 9:00-17:00")
    assert "010-12345678" in contact_text("zh", path) and "周一至周五 9:00-17:00" in contact_text("zh", path)
    assert "010-12345678" in contact_text("en", path)


def test_the_repository_office_file_shows_no_placeholder() -> None:
    for language in ("zh", "en"):
        assert not any(marker in contact_text(language) for marker in PLACEHOLDER_MARKERS)
