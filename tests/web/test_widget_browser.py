"""The widget in real headless Chromium on another origin's page, with socket.io scripted (tests/web/harness.py).

Each behaviour of issue 14 in both languages at 1366 px and 360 px; the axe-core scans (WCAG 2.1 A/AA). Screenshots
go to tests/artifacts/screenshots/. The same widget against the real assistant: tests/e2e/test_widget.py.
"""
from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.web.chromium import browser_context, playwright_driver, screenshot
from tests.web.harness import OfficeSite, axe_violations, bot_says, describe, emitted, open_host_page, web_app

DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 360, "height": 740}
LANGUAGES = ["zh", "en"]
SOURCED = {
    "zh": "APEC商务旅行卡有效期5年。\n来源：外交部领事司 https://cs.mfa.gov.cn/zggmcg/cgqz/sbwl/t20150831_123.shtml",
    "en": "The APEC card is valid for 5 years.\n"
          "Source: Ministry of Foreign Affairs https://cs.mfa.gov.cn/zggmcg/cgqz/sbwl/t20150831_123.shtml",
}
GREETING = {"zh": "您好！我是外事助手。", "en": "Hello! I am the FAO Assistant."}
LONG = {"zh": "第一行。" + "这是一段很长的回答。" * 120, "en": "First line. " + "This is a long answer. " * 150}
ACTIVE = """() => { const a = document.querySelector('#fao-widget').shadowRoot.activeElement;
                    return a ? (a.id || a.className || a.tagName) : null; }"""


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfficeSite]:
    """The web app (serving the widget) and the office's site on another origin."""
    with OfficeSite("") as site, web_app(Path(tmp_path_factory.mktemp("web")), site.url) as url:
        site.web_url = url
        yield site


@pytest.fixture(params=["1366px", "360px"])
def screen(request: pytest.FixtureRequest) -> str:
    """Each behaviour on a desktop (1366 px) and on a phone (360 px, full-screen panel)."""
    return request.param


@contextlib.contextmanager
def screen_context(driver: Any, screen: str) -> Iterator[Any]:
    phone = screen == "360px"
    viewport = PHONE if phone else DESKTOP
    with browser_context(driver, viewport=viewport, is_mobile=phone, has_touch=phone) as context:
        yield context


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with playwright_driver() as driver:
        yield driver


def opened(context: Any, web: OfficeSite, language: str, online: bool = True) -> Any:
    page = open_host_page(context, web, language, online)
    page.locator(".launcher").click()
    page.locator("#fao-input").wait_for()
    if online:
        page.wait_for_function("fakeSocket.emitted.some(e => e[0] === 'user_uttered')")  # the greeting request
        bot_says(page, GREETING[language])
        page.locator(".msg.bot").first.wait_for()
    return page


def ask(page: Any, text: str) -> None:
    page.locator("#fao-input").fill(text)
    page.locator("#fao-input").press("Enter")
    page.locator(".msg.user").last.wait_for()


@pytest.mark.parametrize("language", LANGUAGES)
def test_links_keep_two_part_domains_and_sources_are_titled_links_to_the_exact_page(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        source_line = SOURCED[language].split("\n")[1]
        bot_says(page, "见 china.com.au 与 metroradio.com.hk/news/1 以及 www.nia.gov.cn。\n" + source_line)
        message = page.locator(".msg.bot").last
        hrefs = [link.get_attribute("href") for link in message.locator(".line a").all()]
        assert hrefs == ["https://china.com.au", "https://metroradio.com.hk/news/1", "https://www.nia.gov.cn"]
        source = message.locator(".source a")
        assert source.count() == 1
        url = "https://cs.mfa.gov.cn/zggmcg/cgqz/sbwl/t20150831_123.shtml"
        assert source.get_attribute("href") == url and source.get_attribute("title") == url
        shown = source.inner_text()
        assert url not in shown and ("外交部领事司" in shown or "Ministry of Foreign Affairs" in shown)
        assert message.locator(".source .host").inner_text().strip() == "cs.mfa.gov.cn"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_source_line_with_several_dated_pages_links_each_publisher(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    line = {"zh": "来源：北京市东城区人民政府 https://www.bjdch.gov.cn/zwgk/t20230712_3160579.html（2023-07-12）；"
                  "香港特别行政区政府入境事务处 https://www.immd.gov.hk/eng/press/20150831.html（2015-08-31）",
            "en": "Source: Dongcheng District Government https://www.bjdch.gov.cn/zwgk/t20230712_3160579.html "
                  "(2023-07-12); Immigration Department https://www.immd.gov.hk/eng/press/20150831.html (2015-08-31)"}
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        bot_says(page, "5年。\n" + line[language])
        links = page.locator(".msg.bot").last.locator(".source a")
        names = [link.evaluate("a => a.firstChild.textContent") for link in links.all()]
        expected = {"zh": ["北京市东城区人民政府", "香港特别行政区政府入境事务处"],
                    "en": ["Dongcheng District Government", "Immigration Department"]}
        assert names == expected[language]
        assert [link.get_attribute("href") for link in links.all()] == [
            "https://www.bjdch.gov.cn/zwgk/t20230712_3160579.html", "https://www.immd.gov.hk/eng/press/20150831.html"]
        hosts = page.locator(".msg.bot").last.locator(".source .host").all_inner_texts()
        dates = {"zh": ["（2023-07-12）", "（2015-08-31）"], "en": ["(2023-07-12)", "(2015-08-31)"]}[language]
        assert [host.strip() for host in hosts] == [f"bjdch.gov.cn {dates[0]}", f"immd.gov.hk {dates[1]}"]
        screenshot(page, f"widget-sources-{language}-{screen}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_hotline_numbers_are_tap_to_call_but_amounts_and_durations_are_not(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        bot_says(page, "请拨打12308或+86-10-12308，北京热线12345、010-12345；报警110，急救120。"
                       "免签120天，费用CNY 120，编号 ABTC-2024-012345。")
        links = page.locator(".msg.bot").last.locator("a.tel")
        assert [link.get_attribute("href") for link in links.all()] == [
            "tel:12308", "tel:+861012308", "tel:12345", "tel:01012345", "tel:110", "tel:120"]
        label = links.first.get_attribute("aria-label")
        assert label == ("拨打 12308" if language == "zh" else "Call 12308")


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_focus_stays_in_the_full_screen_panel(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        if screen == "1366px":  # a corner panel beside the page: not modal, Tab may go on to the page
            assert page.locator("#fao-panel").get_attribute("aria-modal") == "false"
            return
        assert page.locator("#fao-panel").get_attribute("aria-modal") == "true"
        seen = set()
        for _ in range(25):
            page.keyboard.press("Tab")
            inside = page.evaluate(ACTIVE)
            assert inside is not None, "Tab left the full-screen panel for the page behind it"
            seen.add(inside)
        for _ in range(5):
            page.keyboard.press("Shift+Tab")
            assert page.evaluate(ACTIVE) is not None
        assert "fao-input" in seen and "close" in seen


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_widgets_own_controls_take_the_language_of_the_switch(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    other = "en" if language == "zh" else "zh"
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        root = page.locator(".root")
        assert root.get_attribute("lang") == ("en" if language == "en" else "zh-CN")
        page.locator(f".languages button[data-language='{other}']").click()
        assert root.get_attribute("lang") == ("en" if other == "en" else "zh-CN")
        assert page.locator(".send").inner_text() == ("Send" if other == "en" else "发送")
        ask(page, "hello")
        assert emitted(page)[-1]["metadata"] == {"language": other}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_long_reply_opens_at_its_start_and_a_short_one_at_the_bottom(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        ask(page, "question")
        bot_says(page, LONG[language])
        page.wait_for_timeout(100)
        log_box = page.locator(".log").bounding_box()
        start = page.locator(".msg.bot").last.bounding_box()
        assert log_box["y"] - 1 <= start["y"] <= log_box["y"] + 40, "the start of the long reply is not in view"
        screenshot(page, f"widget-long-reply-{language}-{screen}")
        ask(page, "next")
        bot_says(page, GREETING[language])
        page.wait_for_timeout(100)
        assert page.evaluate("""() => {
            const l = document.querySelector('#fao-widget').shadowRoot.querySelector('.log');
            return l.scrollHeight - l.clientHeight - l.scrollTop; }""") < 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unreachable_assistant_is_said_at_once_with_a_retry_and_reconnecting_is_announced(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    with screen_context(driver, screen) as context:
        page = opened(context, web, language, online=False)
        status = page.locator(".status")
        status.wait_for()
        assert ("连接不上" if language == "zh" else "cannot be reached") in status.inner_text()
        ask(page, "APEC")
        assert not page.locator(".typing.on").count()  # no typing dots while nothing can answer
        assert ("恢复后会自动发送" if language == "zh" else "once the connection is back") in status.inner_text()
        screenshot(page, f"widget-offline-{language}-{screen}")
        page.evaluate("window.fakeOnline = true")
        page.locator(".status .retry").click()
        page.locator(".status.reconnected").wait_for()
        assert ("已重新连接" if language == "zh" else "Reconnected") in status.inner_text()
        assert [data["message"] for data in emitted(page)][-1] == "APEC"  # the queued message went out
        status.wait_for(state="hidden", timeout=8000)  # the notice does not stay forever


@pytest.mark.parametrize("language", LANGUAGES)
def test_messages_have_timestamps_and_a_reply_to_a_closed_panel_leaves_a_badge(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        moment = page.locator(".msg.bot time.at").first
        assert re.fullmatch(r"\d{1,2}:\d{2}( [AP]M)?", moment.inner_text().strip())
        assert moment.get_attribute("datetime")
        page.locator(".close").click()
        bot_says(page, "one")
        bot_says(page, "two")
        badge = page.locator(".launcher .badge")
        assert badge.is_visible() and badge.inner_text() == "2"
        assert "2" in page.locator(".launcher").inner_text()
        screenshot(page, f"widget-unread-badge-{language}-{screen}")
        page.locator(".launcher").click()
        assert badge.is_hidden()


@pytest.mark.parametrize("language", LANGUAGES)
def test_start_over_asks_first(web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        ask(page, "APEC")
        page.locator(".restart").click()
        confirm = page.locator(".confirm[role='alertdialog']")
        assert confirm.is_visible() and page.evaluate(ACTIVE) == "confirm-no"
        screenshot(page, f"widget-start-over-{language}-{screen}")
        page.locator(".confirm-no").click()
        assert page.locator(".msg.user").count() == 1 and confirm.is_hidden()
        page.locator(".restart").click()
        page.locator(".confirm-yes").click()
        assert page.locator(".msg.user").count() == 0
        assert emitted(page, "session_request")[-1] == {"session_id": None}


@pytest.mark.parametrize("language", LANGUAGES)
def test_votes_only_on_sourced_answers_with_a_visible_thank_you(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        assert page.locator(".msg.bot").first.locator(".vote").count() == 0  # not under the greeting
        ask(page, "APEC")
        bot_says(page, SOURCED[language])
        answer = page.locator(".msg.bot").last
        with page.expect_response(lambda response: response.url.endswith("/api/feedback")) as sent:
            answer.locator(".vote[data-rating='down']").click()
        assert sent.value.status == 201
        thanks = answer.locator(".thanks")
        assert thanks.is_visible() and ("谢谢" if language == "zh" else "Thanks") in thanks.inner_text()
        assert answer.locator(".vote[data-rating='down']").get_attribute("aria-pressed") == "true"
        screenshot(page, f"widget-vote-{language}-{screen}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_digits_typed_for_the_status_lookup_stay_out_of_the_widgets_history(
        web: OfficeSite, driver: Any, language: str, screen: str) -> None:
    prompt = {"zh": "为核实身份，请输入申请人护照号码的最后4位（编号 ABTC-2025-000318）。",
              "en": "To verify it's you, please enter the last 4 characters of the applicant's passport number."}
    with screen_context(driver, screen) as context:
        page = opened(context, web, language)
        bot_says(page, prompt[language])
        ask(page, "ABTC-2025-000318 4821")
        assert emitted(page)[-1]["message"] == "ABTC-2025-000318 4821"  # Rasa gets what was typed
        assert page.locator(".msg.user .bubble").last.inner_text().endswith("ABTC-2025-000318 ••••")
        stored = page.evaluate("JSON.stringify(localStorage)")
        assert "4821" not in stored and "ABTC-2025-000318" in stored
        bot_says(page, GREETING[language])
        ask(page, "2025年的费用")
        assert "2025" in page.locator(".msg.user .bubble").last.inner_text()  # outside the lookup, digits stay
        bot_says(page, "查询进度需要申请编号。\n来源：外交部 https://cs.mfa.gov.cn/x")  # an answer, not a prompt
        ask(page, "2024年的呢")
        assert "2024" in page.locator(".msg.user .bubble").last.inner_text()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "360px"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_wcag_21_a_or_aa_violations(web: OfficeSite, driver: Any, language: str, viewport: dict) -> None:
    phone = viewport is PHONE
    with browser_context(driver, viewport=viewport, is_mobile=phone, has_touch=phone) as context:
        page = open_host_page(context, web, language)
        closed = axe_violations(page)
        page.locator(".launcher").click()
        page.wait_for_function("fakeSocket.emitted.some(e => e[0] === 'user_uttered')")
        bot_says(page, GREETING[language], [{"title": "APEC", "payload": "/choose_topic"}])
        ask(page, "APEC")
        bot_says(page, SOURCED[language] + "\n12308")
        page.locator(".msg.bot .vote").first.click()
        opened_violations = axe_violations(page)
        name = f"widget-axe-{language}-{viewport['width']}px"
        screenshot(page, name)
        print(f"axe {name}: closed {len(closed)}, open {len(opened_violations)} violations")
        assert closed == [] and opened_violations == [], describe(closed + opened_violations)
