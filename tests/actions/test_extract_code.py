"""Reading what the user typed at the status form (bot/status_input.py): only a plausible code is a code."""
import pytest

from bot.status_input import Act, plausible_code, read


@pytest.mark.parametrize(
    "text, code",
    [
        ("4821", "4821"),
        ("４８２１", "4821"),
        ("最后四位是4821", "4821"),
        ("the code is 1184", "1184"),
        ("last four digits 6630", "6630"),
        ("passport ends in 4471", "4471"),
        ("code 8123", "8123"),
        ("e12a", "E12A"),
        ("abcd", "ABCD"),
        ("尾号2046", "2046"),
        ("2025", "2025"),  # a bare number is what the prompt asked for
    ],
)
def test_code_is_found(text, code):
    assert plausible_code(text) == code


@pytest.mark.parametrize("text", [
    "", "   ", "1234 5678", "the code", "12345", "482", "my code is abcd", None,
    "ABTC-2025-000233", "abtc 2025 000233", "ＡＢＴＣ－２０２５－０００２３３", "ABTC-2025-00023",  # inside a reference
    "2025年申请的", "applied in 2025", "2025-03-12", "2025/3/12",  # years and dates
    "wait", "okay", "sure", "help", "stop", "嗯", "13812345678",
])
def test_no_single_plausible_code_gives_none(text):
    assert (plausible_code(text) if isinstance(text, str) else read(text).code) is None


def test_invitation_codes_are_phone_digits_only():
    assert plausible_code("E12A", "invitation") is None
    assert plausible_code("7302", "invitation") == "7302"
    assert plausible_code("E12A", "apec_card") == "E12A"


@pytest.mark.parametrize("text, reference, code", [
    ("ABTC-2025-000233 1184", "ABTC-2025-000233", "1184"),
    ("查询 ABTC-2025-000233 验证码1184", "ABTC-2025-000233", "1184"),
    ("查询 ABTC-2025-000233", "ABTC-2025-000233", None),
    ("sorry, wrong number, it's INV-2025-000051", "INV-2025-000051", None),
    ("不是这个编号，是INV-2025-000051", "INV-2025-000051", None),
    ("not ABTC-2025-000233, it's INV-2025-000051 3390", "INV-2025-000051", "3390"),
    ("ABTC-2025-000233 是1184吗？", "ABTC-2025-000233", None),  # a number in a question is no code ...
    ("我们的邀请函申请INV-2025-000051，手机后四位3390，办好了没有？", "INV-2025-000051", "3390"),  # ... unless named
])
def test_references_and_codes_in_one_message(text, reference, code):
    reading = read(text)
    assert (reading.act, reading.reference, reading.code) == (Act.LOOKUP, reference, code)


@pytest.mark.parametrize("text, act", [
    ("算了", Act.CANCEL), ("不查了", Act.CANCEL), ("never mind", Act.CANCEL), ("cancel", Act.CANCEL),
    ("取消查询", Act.CANCEL), ("stop asking me for the code", Act.CANCEL),
    ("查询", Act.START), ("查", Act.START), ("check status", Act.START),
    ("which code?", Act.WHICH_CODE), ("是护照后四位还是手机后四位？", Act.WHICH_CODE), ("是哪四位", Act.WHICH_CODE),
    ("what code do you mean", Act.WHICH_CODE), ("where do I find the code?", Act.WHICH_CODE),
    ("I can't give the code", Act.NO_CODE), ("我没有护照", Act.NO_CODE), ("不知道验证码", Act.NO_CODE),
    ("I'm not the applicant", Act.NO_CODE),
    ("I don't have the applicant's phone number, can someone at the office look it up for me?", Act.NO_CODE),
    ("我不知道当时填的是谁的手机号，是同事办的", Act.NO_CODE),
    ("which code do you mean, passport or phone?", Act.WHICH_CODE), ("不知道是哪四位", Act.WHICH_CODE),
    ("编号我忘了，怎么办", Act.NO_REFERENCE),
    ("I forgot my reference", Act.NO_REFERENCE), ("我忘了申请编号", Act.NO_REFERENCE),
    ("编号在哪里看", Act.NO_REFERENCE), ("where is my reference number?", Act.NO_REFERENCE),
    ("不是这个编号", Act.WRONG_REFERENCE), ("wrong number", Act.WRONG_REFERENCE),
    ("嗯", Act.PAUSE), ("等一下，我去找一下他的护照", Act.PAUSE), ("hold on, let me find the passport", Act.PAUSE), ("wait", Act.PAUSE), ("等一下", Act.PAUSE), ("hmm", Act.PAUSE), ("ok", Act.PAUSE),
    ("APEC卡多少钱？", Act.QUESTION), ("1184?", Act.QUESTION),
    ("你好", Act.OTHER), ("no", Act.OTHER),
])
def test_what_else_a_message_says(text, act):
    reading = read(text)
    assert reading.code is None and reading.references == ()
    assert reading.act == act


def test_a_broken_reference_is_flagged_and_gives_no_code():
    reading = read("ABTC-2025-318")
    assert reading.malformed_reference and reading.code is None and reading.references == ()
