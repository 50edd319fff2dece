"""Application status lookups through the REST channel, with every service really running.

This module runs its own stack, and every test that spends failed attempts looks up a reference of its
own (written into the stack's database), so no test here depends on another's order or on other suites.
All turns come from 127.0.0.1, one client key: the per-client budgets are lifted for that reason only;
the budgets per reference and per conversation are the shipped ones (each test has its own sender).
"""
from __future__ import annotations

import re
import uuid
from typing import Iterator

import pytest

from bot.launcher import Stack
from bot.nlu.language import detect_language
from tests.backend.conftest import add_application
from tests.e2e.conftest import RestClient, stack_settings

DEMO = [
    ("ABTC-2024-000107", "4821", "卡片正在制作中", "the card is being produced"),
    ("ABTC-2025-000233", "7302", "无犯罪记录证明", "no-criminal-record certificate is missing"),
    ("ABTC-2025-000318", "1569", "北京市人民政府外事办公室审核", "Under review at the Beijing Municipal"),
    ("ABTC-2025-000402", "2046", "16个中已完成11个", "11 of 16 done"),
    ("INV-2025-000051", "3390", "请到外事办窗口领取", "collect it at the office window"),
    ("INV-2025-000064", "5147", "区外办正在进行初审", "Preliminary review at the district office"),
    ("INV-2025-000077", "8803", "访问目的与所附材料不一致", "purpose of the visit does not match"),
]
SHARED_ADDRESS_BUDGETS = {
    "BACKEND_FAILURES_PER_CLIENT": "10000 per day", "BACKEND_FAILURES_OVERALL": "10000 per day",
    "BACKEND_LOOKUPS_PER_CLIENT": "10000", "BACKEND_ATTEMPTS_PER_REFERENCE": "1000 per 10 seconds",
}
PLACEHOLDER = re.compile(r"待外办填写|TO BE FILLED|【|\[TO BE")
ASKS_PASSPORT = ("护照号码的最后4位", "passport number")
ASKS_PHONE = ("联系电话的最后4位", "contact phone number")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(stack_settings(tmp_path_factory.mktemp("status-stack")), extra_env=SHARED_ADDRESS_BUDGETS)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def rest(stack: Stack) -> RestClient:
    return RestClient(stack.settings.url(stack.settings.rasa_port))


@pytest.fixture
def own_reference(stack: Stack):
    """A fresh application only this test looks up: `own_reference(code, kind="apec_card")` → reference."""
    url = f"sqlite:///{stack.settings.state_dir / 'backend.db'}"
    return lambda code, **overrides: add_application(url, code, **overrides)


def sender() -> str:
    return f"status-{uuid.uuid4().hex[:12]}"


def asks_code(reply: str, reference: str, prompt: tuple[str, str] = ASKS_PASSPORT) -> bool:
    return reference in reply and any(words in reply for words in prompt)


@pytest.mark.parametrize("reference, code, detail_zh, _detail_en", DEMO)
def test_each_demo_record_in_chinese_with_reference_up_front(rest, reference, code, detail_zh, _detail_en):
    user = sender()
    ask = rest.text(user, f"帮我查一下{reference}的进度")
    assert "最后4位" in ask and reference in ask
    answer = rest.text(user, code)
    assert detail_zh in answer and reference in answer
    assert code not in answer and not PLACEHOLDER.search(answer)


@pytest.mark.parametrize("reference, code, _detail_zh, detail_en", DEMO)
def test_each_demo_record_in_english_with_reference_asked_for(rest, reference, code, _detail_zh, detail_en):
    user = sender()
    ask = rest.text(user, "I want to check the status of my application")
    assert "reference" in ask and detail_en not in ask
    spaced = reference.lower().replace("-", " ")
    assert "last 4" in rest.text(user, spaced)
    answer = rest.text(user, code)
    assert detail_en in answer and detect_language(answer) == "en"
    assert code not in answer and not PLACEHOLDER.search(answer)


def test_malformed_reference_is_asked_again_with_an_example(rest):
    user = sender()
    rest.text(user, "查询申请进度")
    answer = rest.text(user, "12345678")
    assert "ABTC-2025-000318" in answer


def test_re_pasting_the_reference_at_the_code_prompt_spends_no_attempt(rest, own_reference):
    reference = own_reference("4321")
    user = sender()
    assert asks_code(rest.text(user, f"查询{reference}的进度"), reference)
    for typed in (reference, reference.lower().replace("-", " "), reference, f"编号是{reference}"):
        reply = rest.text(user, typed)  # each of these used to send "2031" as the code
        assert asks_code(reply, reference) and "对不上" not in reply and "次数过多" not in reply
    assert "测试。" in rest.text(user, "4321")


def test_a_new_reference_in_the_middle_switches_to_it(rest):
    user = sender()
    assert asks_code(rest.text(user, "status of ABTC-2025-000233 please"), "ABTC-2025-000233")
    switched = rest.text(user, "sorry, wrong number, it's INV-2025-000051")
    assert asks_code(switched, "INV-2025-000051", ASKS_PHONE) and "ABTC" not in switched
    assert "collect it at the office window" in rest.text(user, "3390")
    user = sender()
    rest.text(user, "查一下ABTC-2025-000233")
    assert asks_code(rest.text(user, "不是这个编号，是INV-2025-000064"), "INV-2025-000064", ASKS_PHONE)
    assert "区外办正在进行初审" in rest.text(user, "5147")


@pytest.mark.parametrize("message, detail", [
    ("ABTC-2025-000233 7302", "无犯罪记录证明"),  # no word of either language: the default, Chinese
    ("status of ABTC-2025-000233, code 7302", "no-criminal-record certificate"),
    ("查询 ABTC-2025-000233 验证码7302", "无犯罪记录证明"),
    ("INV-2025-000051，电话后四位3390", "请到外事办窗口领取"),
])
def test_reference_and_code_in_one_message_are_answered_at_once(rest, message, detail):
    answer = rest.text(sender(), message)
    assert detail in answer and "7302" not in answer and "3390" not in answer


@pytest.mark.parametrize("message, reference", [
    ("查询 ABTC-2025-000233", "ABTC-2025-000233"),
    ("你好，INV-2025-000064", "INV-2025-000064"),
    ("APEC卡 ABTC-2025-000318 办到哪一步了，多少钱也想问", "ABTC-2025-000318"),
    ("thanks! ABTC-2024-000107", "ABTC-2024-000107"),
])
def test_any_message_with_a_reference_starts_the_lookup(rest, message, reference):
    prompt = ASKS_PHONE if reference.startswith("INV") else ASKS_PASSPORT
    assert asks_code(rest.text(sender(), message), reference, prompt)


def test_a_bare_lookup_word_starts_the_form_and_never_cancels_it(rest):
    user = sender()
    assert "申请编号" in rest.text(user, "查询")
    assert asks_code(rest.text(user, "ABTC-2025-000318"), "ABTC-2025-000318")
    again = rest.text(user, "查询")
    assert "已取消" not in again and "最后4位" in again
    assert "北京市人民政府外事办公室审核" in rest.text(user, "1569")


@pytest.mark.parametrize("reference, code, question, explained", [
    ("ABTC", "4321", "which code?", "last 4 characters of the applicant's passport number"),
    ("ABTC", "4321", "是护照后四位还是手机后四位？", "申请人护照号码的最后4位"),
    ("INV", "6612", "which code?", "last 4 digits of the contact phone number"),
    ("INV", "6612", "是哪四位", "联系电话的最后4位数字"),
])
def test_which_code_is_explained_without_spending_an_attempt(rest, own_reference, reference, code, question,
                                                              explained):
    kind = "apec_card" if reference == "ABTC" else "invitation"
    reference = own_reference(code, kind=kind)
    user = sender()
    rest.text(user, f"check {reference}")
    for _ in range(4):  # more than the 3 misses a caller may make in 10 minutes
        assert explained in rest.text(user, question)
    assert ("A test." if question.isascii() else "测试。") in rest.text(user, code)


def test_hesitations_questions_and_years_are_not_sent_as_codes(rest, own_reference):
    reference = own_reference("4321")
    user = sender()
    rest.text(user, f"查询{reference}")
    for typed in ("嗯", "wait", "okay", "2031年申请的", "is it the passport?", "等一下"):
        reply = rest.text(user, typed)
        assert "对不上" not in reply and "do not match" not in reply and "次数过多" not in reply, typed
    assert "测试。" in rest.text(user, "4321")


def test_no_reference_or_no_code_leads_to_where_to_find_it_or_a_person(rest):
    user = sender()
    rest.text(user, "I want to check my application status")
    forgot = rest.text(user, "I forgot my reference")
    assert "acknowledgement e-mail" in forgot and "12345" in forgot and not PLACEHOLDER.search(forgot)
    rest.text(user, "ABTC-2025-000318")
    no_code = rest.text(user, "I can't give the code")
    assert "applicant" in no_code and "12345" in no_code and not PLACEHOLDER.search(no_code)
    user = sender()
    rest.text(user, "查询申请进度")
    forgot = rest.text(user, "我忘了申请编号")
    assert "受理回执" in forgot and "12345" in forgot and not PLACEHOLDER.search(forgot)


def test_cancel_words_cancel_and_corrections_do_not(rest):
    user = sender()
    rest.text(user, "我想查申请进度")
    assert "已取消" in rest.text(user, "算了")
    user = sender()
    rest.text(user, "查一下ABTC-2025-000318")
    assert "已取消" in rest.text(user, "不查了")
    english = sender()
    rest.text(english, "check my application status")
    assert "stopped the lookup" in rest.text(english, "never mind")
    user = sender()
    rest.text(user, "查一下ABTC-2025-000318")
    kept = rest.text(user, "不是这个编号，是INV-2025-000051")
    assert "已取消" not in kept and asks_code(kept, "INV-2025-000051", ASKS_PHONE)


def test_unknown_reference_and_wrong_code_get_the_same_reply(rest, own_reference):
    reference = own_reference("4321")
    unknown = "ABTC-2031-999999"
    replies = []
    for target in (reference, unknown):
        user = sender()
        rest.text(user, f"status of {target}")
        replies.append(rest.text(user, "1234").replace(target, "<reference>"))
    assert replies[0] == replies[1] and "do not match" in replies[0]


def test_too_many_misses_say_when_to_try_again_and_name_a_person(rest, own_reference):
    reference = own_reference("4321")
    user = sender()
    rest.text(user, f"查询{reference}")
    for code in ("1111", "2222", "3333"):
        assert "对不上" in rest.text(user, code)
    refused = rest.text(user, "4321")  # the right code, but this caller must wait now
    assert "次数过多" in refused and "分钟后再试" in refused and "12345" in refused
    assert "测试。" not in refused and not PLACEHOLDER.search(refused)


def test_faq_in_the_middle_of_the_form_then_back(rest):
    user = sender()
    rest.text(user, "查一下ABTC-2024-000107")
    middle = rest.text(user, "对了，APEC卡办一张要多少钱？")
    assert "720" in middle and "最后4位" in middle
    assert "卡片正在制作中" in rest.text(user, "4821")


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
