"""Reference numbers typed any common way are recognized; anything else is refused."""
import pytest

from bot.backend.reference import extract_reference, kind_of, normalize_reference


@pytest.mark.parametrize("typed", [
    "ABTC-2025-000318",
    "abtc-2025-000318",
    "abtc 2025 000318",
    "ABTC2025000318",
    "  ABTC - 2025 - 000318 ",
    "ＡＢＴＣ－２０２５－０００３１８",
    "ａｂｔｃ　２０２５　０００３１８",
    "ABTC—2025–000318",
    "ABTC_2025_000318",
])
def test_apec_reference_written_any_common_way_is_normalized(typed: str) -> None:
    assert normalize_reference(typed) == "ABTC-2025-000318"


@pytest.mark.parametrize("typed", ["INV-2025-000051", "inv2025000051", "ＩＮＶ－２０２５－００００５１", "inv 2025-000051"])
def test_invitation_reference_is_normalized(typed: str) -> None:
    assert normalize_reference(typed) == "INV-2025-000051"


@pytest.mark.parametrize("typed", [
    "", "ABTC", "ABTC-2025-318", "ABTC-2025-0003188", "ABTC-25-000318", "XYZ-2025-000318",
    "ABTC-2025-000318?", "status of ABTC-2025-000318", "ABTC.2025.000318", "ABTC-２０２５-00031８x",
    "ABTC-٢٠٢٥-000318",
])
def test_malformed_reference_is_refused(typed: str) -> None:
    assert normalize_reference(typed) is None


def test_non_text_is_refused() -> None:
    assert normalize_reference(None) is None  # type: ignore[arg-type]
    assert extract_reference(318) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("sentence, expected", [
    ("status of ABTC-2025-000318?", "ABTC-2025-000318"),
    ("我想查询ABTC-2025-000318的进度", "ABTC-2025-000318"),
    ("查一下 ａｂｔｃ ２０２５ ０００３１８ 谢谢", "ABTC-2025-000318"),
    ("where is my invitation inv2025000064, please", "INV-2025-000064"),
    ("first INV-2025-000051 then ABTC-2024-000107", "INV-2025-000051"),
])
def test_reference_is_found_inside_a_sentence(sentence: str, expected: str) -> None:
    assert extract_reference(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "what is an APEC card?", "my number is ABTC-2025-31", "XABTC-2025-000318", "ABTC-2025-0003189", "",
])
def test_sentence_without_a_whole_reference_gives_none(sentence: str) -> None:
    assert extract_reference(sentence) is None


def test_kind_follows_the_prefix() -> None:
    assert kind_of("ABTC-2025-000318") == "apec_card"
    assert kind_of("INV-2025-000051") == "invitation"
