"""Application status lookups through the REST channel, with every service really running."""
import uuid

import pytest

from bot.nlu.language import detect_language

DEMO = [
    ("ABTC-2024-000107", "4821", "卡片正在制作中", "the card is being produced"),
    ("ABTC-2025-000233", "7302", "无犯罪记录证明", "no-criminal-record certificate is missing"),
    ("ABTC-2025-000318", "1569", "北京市人民政府外事办公室审核", "Under review at the Beijing Municipal"),
    ("ABTC-2025-000402", "2046", "16个中已完成11个", "11 of 16 done"),
    ("INV-2025-000051", "3390", "请到外事办窗口领取", "collect it at the office window"),
    ("INV-2025-000064", "5147", "区外办正在进行初审", "Preliminary review at the district office"),
    ("INV-2025-000077", "8803", "访问目的与所附材料不一致", "purpose of the visit does not match"),
]


def sender() -> str:
    return f"status-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize("reference, code, detail_zh, _detail_en", DEMO)
def test_each_demo_record_in_chinese_with_reference_up_front(rest, reference, code, detail_zh, _detail_en):
    user = sender()
    ask = rest.text(user, f"帮我查一下{reference}的进度")
    assert "最后4位" in ask and reference in ask
    answer = rest.text(user, code)
    assert detail_zh in answer and reference in answer
    assert code not in answer


@pytest.mark.parametrize("reference, code, _detail_zh, detail_en", DEMO)
def test_each_demo_record_in_english_with_reference_asked_for(rest, reference, code, _detail_zh, detail_en):
    user = sender()
    ask = rest.text(user, "I want to check the status of my application")
    assert "reference" in ask and detail_en not in ask
    spaced = reference.lower().replace("-", " ")
    assert "last 4" in rest.text(user, spaced)
    answer = rest.text(user, code)
    assert detail_en in answer and detect_language(answer) == "en"
    assert code not in answer


def test_malformed_reference_is_asked_again_with_an_example(rest):
    user = sender()
    rest.text(user, "查询申请进度")
    answer = rest.text(user, "12345678")
    assert "ABTC-2025-000318" in answer


def test_unknown_reference_and_wrong_code_get_clear_messages(rest):
    user = sender()
    rest.text(user, "status of ABTC-2023-999999")
    assert "No application" in rest.text(user, "1234")
    user = sender()
    rest.text(user, "查询ABTC-2025-000318的进度")
    wrong = rest.text(user, "0000")
    assert "核验码不正确" in wrong and "0000" not in wrong


def test_five_wrong_codes_lock_the_reference(rest):
    user = sender()
    rest.text(user, "status of INV-2025-000064 please")
    replies = [rest.text(user, code) for code in ("1111", "2222", "3333", "4444", "5555")]
    assert "locked for 15 minutes" in replies[-1]
    later = sender()
    rest.text(later, "status of INV-2025-000064")
    assert "locked" in rest.text(later, "5147")


def test_faq_in_the_middle_of_the_form_then_back(rest):
    user = sender()
    rest.text(user, "查一下ABTC-2024-000107")
    middle = rest.text(user, "对了，APEC卡办一张要多少钱？")
    assert "720" in middle and "最后4位" in middle
    assert "卡片正在制作中" in rest.text(user, "4821")


def test_cancel_stops_the_lookup(rest):
    user = sender()
    rest.text(user, "我想查申请进度")
    assert "已取消" in rest.text(user, "算了")
    english = sender()
    rest.text(english, "check my application status")
    assert "stopped the lookup" in rest.text(english, "never mind")


def test_backend_down_is_explained_and_recovers_without_restarting_others(stack, rest):
    stack.stop_service("backend")
    try:
        user = sender()
        rest.text(user, "查询ABTC-2025-000318的进度")
        down = rest.text(user, "1569")
        assert "暂时无法使用" in down and "consular.mfa.gov.cn" in down
        assert "720" in rest.text(user, "APEC卡多少钱")
    finally:
        stack.start_service("backend")
    user = sender()
    rest.text(user, "查询ABTC-2025-000318的进度")
    assert "北京市人民政府外事办公室审核" in rest.text(user, "1569")
