"""Which language the assistant answers in."""
import pytest

from bot.nlu.language import (
    choose_language,
    detect_language,
    metadata_language,
    requested_language,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("APEC卡有效期几年？", "zh"),
        ("How long is the APEC card valid?", "en"),
        ("APEC卡 how long is it valid", "en"),
        ("我要 APEC card", "zh"),
        ("我的ABTC-2025-000318申请到哪了", "zh"),
        ("status of ABTC-2025-000318 please", "en"),
        ("護照遺失怎麼辦", "zh"),
        ("ＨＥＬＬＯ ｔｈｅｒｅ", "en"),
        ("12308", None),
        ("ABTC-2025-000318", None),
        ("👍", None),
        ("", None),
        ("？？？", None),
    ],
)
def test_detect_language_by_main_script(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("please answer in English", "en"),
        ("Can you reply in English?", "en"),
        ("English please", "en"),
        ("请用英文回答", "en"),
        ("请用中文回答", "zh"),
        ("说中文吧", "zh"),
        ("please speak Chinese", "zh"),
        ("in chinese please", "zh"),
        ("Is the application form in English?", None),
        ("APEC卡多少钱", None),
        ("我在学中文，外国人能办APEC卡吗", None),
        ("switch to English", "en"),
        ("能不能用英语回复我", "en"),
        ("你能说英语吗", "en"),
        ("换成中文", "zh"),
        ("12345热线有没有会说英语的接线员", None),
        ("12345能用英语交流吗", None),
        ("打120急救员会讲英语吗", None),
        ("can the ambulance staff speak English", None),
        ("does the 110 operator speak English", None),
    ],
)
def test_requested_language_only_for_explicit_requests(text, expected):
    assert requested_language(text) == expected


def test_metadata_language_accepts_only_supported_values():
    assert metadata_language({"language": "en"}) == "en"
    assert metadata_language({"language": "zh-CN"}) == "zh"
    assert metadata_language({"language": "fr"}) is None
    assert metadata_language({"language": 5}) is None
    assert metadata_language(None) is None
    assert metadata_language("en") is None


def test_each_turn_follows_the_message_script_when_nothing_is_fixed():
    assert choose_language("APEC卡多少钱", None, "en", False) == ("zh", False)
    assert choose_language("how much is it", None, "zh", False) == ("en", False)


def test_message_without_letters_keeps_the_current_language():
    assert choose_language("4821", None, "en", False) == ("en", False)
    assert choose_language("👍", None, None, False) == ("zh", False)


def test_explicit_request_switches_and_sticks():
    choice = choose_language("please answer in English", None, "zh", False)
    assert choice == ("en", True)
    assert choose_language("APEC卡多少钱", None, choice.language, choice.locked) == ("en", True)
    back = choose_language("请用中文回答", None, "en", True)
    assert back == ("zh", True)


def test_metadata_language_wins_over_text_and_lock():
    assert choose_language("APEC卡多少钱", {"language": "en"}, "zh", False) == ("en", False)
    assert choose_language("please answer in English", {"language": "zh"}, "zh", False) == ("zh", False)
    assert choose_language("hello", {"language": "zh"}, "en", True) == ("zh", True)


def test_button_payload_keeps_the_current_language():
    payload = '/choose_topic{"faq_key":"apec_fee"}'
    assert choose_language(payload, None, "zh", False) == ("zh", False)


def test_an_init_payload_language_and_the_browser_language_set_the_first_greeting() -> None:
    from bot.nlu.language import choose_language

    assert choose_language('/greet{"language":"en"}', {}, "zh", False, payload_language="en").language == "en"
    header = {"accept_language": "en-US,en;q=0.9,zh;q=0.5"}
    assert choose_language("/greet", header, "zh", False, first_turn=True).language == "en"
    assert choose_language("/greet", header, "zh", False, first_turn=False).language == "zh"
    assert choose_language("你好", header, "zh", False, first_turn=True).language == "zh"
