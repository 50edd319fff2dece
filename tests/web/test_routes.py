"""The web app's HTTP surface: pages, widget files, feedback, operator sign-in, search, lookup, report."""
import asyncio
import csv
import io
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from bot.web import report as report_module
from bot.web.conversations import BEIJING
from bot.web.db import WebDatabase
from bot.web.settings import WebSettings
from tests.web.conftest import DEMO_REFERENCE, EMBEDDING_SITE, OPERATOR, PASSWORD, Browser
from tests.web.test_conversations import ANSWER_ZH, write_conversations

pytestmark = pytest.mark.asyncio

VOTE = {"conversation_id": "0123abcd", "message_id": "m1", "text": "不客气！还有其他问题吗？",
        "rating": "down", "language": "zh"}


async def test_health_answers_ok(browser: Browser) -> None:
    async with browser.request("GET", "/health") as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


@pytest.mark.parametrize("path, language", [("/", "zh-CN"), ("/?lang=en", "en")])
async def test_the_demo_page_embeds_the_widget_with_one_script_tag(browser: Browser, path: str, language: str) -> None:
    async with browser.request("GET", path) as response:
        page = await response.text()
        csp = response.headers["Content-Security-Policy"]
    assert f'<html lang="{language}">' in page
    assert page.count("<script") == 1
    assert '<script src="/widget/fao-widget.js" async data-socket-url="http://127.0.0.1:5005">' in page
    assert "ws://127.0.0.1:5005" in csp and "script-src 'self'" in csp


@pytest.mark.parametrize("name", ["fao-widget.js", "fao-widget.css", "vendor/socket.io.min.js"])
async def test_widget_files_and_socket_io_client_are_served_locally(browser: Browser, name: str) -> None:
    async with browser.request("GET", f"/widget/{name}") as response:
        assert response.status == 200
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert len(await response.read()) > 1000


async def test_widget_strings_come_in_chinese_and_english(browser: Browser) -> None:
    async with browser.request("GET", "/widget/strings.json") as response:
        strings = await response.json()
    assert strings["restart"] == {"zh": "重新开始", "en": "Start over"}
    assert all(set(entry) == {"zh", "en"} for entry in strings.values())


async def test_a_vote_is_stored_under_the_answer_it_was_given_on(browser: Browser, database: WebDatabase) -> None:
    async with browser.request("POST", "/api/feedback", json=VOTE) as response:
        assert response.status == 201
        assert await response.json() == {"answer_id": "utter_thank"}
    [row] = database.most_down_voted()
    assert (row.answer_id, row.down) == ("utter_thank", 1)


@pytest.mark.parametrize("change", [
    {"rating": "meh"}, {"conversation_id": "../etc"}, {"text": ""}, {"language": "fr"}, {"message_id": None}])
async def test_a_malformed_vote_is_refused(browser: Browser, change: dict) -> None:
    async with browser.request("POST", "/api/feedback", json={**VOTE, **change}) as response:
        assert response.status == 400
    async with browser.request("POST", "/api/feedback", data=b"not json") as response:
        assert response.status == 400


async def test_feedback_accepts_votes_from_the_sites_the_widget_is_embedded_in_only(browser: Browser) -> None:
    async with browser.request("OPTIONS", "/api/feedback", headers={
            "Origin": EMBEDDING_SITE, "Access-Control-Request-Method": "POST"}) as response:
        assert response.status in (200, 204)
        assert response.headers["Access-Control-Allow-Origin"] == EMBEDDING_SITE
    async with browser.request("POST", "/api/feedback", json=VOTE, headers={"Origin": EMBEDDING_SITE}) as response:
        assert response.status == 201
    async with browser.request("POST", "/api/feedback", json=VOTE, headers={"Origin": "https://evil.example"}) as response:
        assert response.status == 403 and "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("path", ["/operator", "/operator/", "/operator/report"])
async def test_console_pages_redirect_to_the_login_without_a_session(browser: Browser, path: str) -> None:
    async with browser.request("GET", path) as response:
        assert response.status == 302
        assert response.headers["Location"] == "/operator/login"


@pytest.mark.parametrize("path, body", [("/operator/api/search", {"q": "APEC"}),
                                        ("/operator/api/lookup", {"reference": DEMO_REFERENCE})])
async def test_console_api_calls_need_a_session(browser: Browser, path: str, body: dict) -> None:
    async with browser.request("POST", path, json=body) as response:
        assert response.status == 401
    assert browser.fakes.lookups == [] and browser.fakes.parses == []


@pytest.mark.parametrize("name, password", [(OPERATOR, "wrong-password"), ("nobody", "long-enough-password"),
                                            (OPERATOR, "")])
async def test_a_wrong_password_or_name_is_refused(browser: Browser, name: str, password: str) -> None:
    assert await browser.sign_in(name, password) == 401
    async with browser.request("GET", "/operator") as response:
        assert response.status == 302


async def test_signing_in_opens_the_console_with_a_strict_cookie(browser: Browser) -> None:
    form = {"name": OPERATOR, "password": PASSWORD}
    async with browser.request("POST", "/operator/login", data=form) as response:
        assert response.status == 303
        cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/operator" in cookie
    async with browser.request("GET", "/operator") as response:
        page = await response.text()
    assert response.status == 200
    assert f'<strong id="operator-name">{OPERATOR}</strong>' in page
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


async def test_signing_out_ends_the_session(browser: Browser) -> None:
    await browser.sign_in()
    async with browser.request("POST", "/operator/logout") as response:
        assert response.status == 303
    async with browser.request("GET", "/operator") as response:
        assert response.status == 302


async def test_search_returns_the_top_three_answers_in_both_languages_with_sources(browser: Browser) -> None:
    await browser.sign_in()
    async with browser.request("POST", "/operator/api/search", json={"q": "APEC卡的费用"}) as response:
        result = await response.json()
    assert [answer["key"] for answer in result["results"]] == ["apec_fee", "apec_time", "invite_time_fee"]
    first = result["results"][0]
    assert first["confidence"] == 0.81
    assert first["zh"]["source"].startswith("来源") and first["en"]["source"].startswith("Source")
    assert first["zh"]["body"] and first["en"]["body"] and first["title"]["en"]
    assert browser.fakes.parses == ["APEC卡的费用"]


async def test_an_empty_or_huge_search_is_refused(browser: Browser) -> None:
    await browser.sign_in()
    for query in ("", "  ", "x" * 501):
        async with browser.request("POST", "/operator/api/search", json={"q": query}) as response:
            assert response.status == 400


async def test_lookup_passes_the_operators_name_to_the_backend(browser: Browser) -> None:
    await browser.sign_in()
    async with browser.request("POST", "/operator/api/lookup", json={"reference": " abtc-2024-000107 "}) as response:
        result = await response.json()
    assert response.status == 200
    assert result["operator"] == OPERATOR
    assert result["application"]["status"] == "approved"
    assert browser.fakes.lookups == [{"reference": "abtc-2024-000107", "operator": OPERATOR}]


@pytest.mark.parametrize("reference, status, error", [("ABTC-2099-000001", 404, "unknown_reference"),
                                                      ("12345", 400, "bad_reference"),
                                                      ("", 400, "bad_reference")])
async def test_lookup_errors_are_explained_in_both_languages(browser: Browser, reference: str, status: int,
                                                             error: str) -> None:
    await browser.sign_in()
    async with browser.request("POST", "/operator/api/lookup", json={"reference": reference}) as response:
        result = await response.json()
    assert response.status == status
    assert result["error"] == error and result["message_zh"] and result["message_en"]


async def test_search_and_lookup_say_so_when_rasa_and_the_backend_are_down(browser_without_services: Browser) -> None:
    browser = browser_without_services
    await browser.sign_in()
    async with browser.request("POST", "/operator/api/search", json={"q": "APEC"}) as response:
        assert response.status == 503
        assert (await response.json())["error"] == "search_unavailable"
    async with browser.request("POST", "/operator/api/lookup", json={"reference": DEMO_REFERENCE}) as response:
        assert response.status == 503
        assert (await response.json())["error"] == "lookup_unavailable"


def yesterday_10am() -> float:
    today = datetime.now(BEIJING).date()
    return datetime.combine(today - timedelta(days=1), time(10), BEIJING).timestamp()


async def test_the_report_shows_days_unanswered_questions_and_each_down_vote_with_its_question(
        browser: Browser, settings: WebSettings) -> None:
    await asyncio.to_thread(write_conversations, Path(settings.tracker_db_url[len("sqlite:///"):]), yesterday_10am())
    vote = {**VOTE, "conversation_id": "c1", "text": ANSWER_ZH.split("\n")[0], "message_id": "m2"}
    async with browser.request("POST", "/api/feedback", json=vote) as response:
        assert response.status == 201
    await browser.sign_in()
    async with browser.request("GET", "/operator/report") as response:
        page = await response.text()
    assert response.status == 200
    assert page.count('<svg class="chart"') == 4  # outcomes and ratings, for each language
    assert "月球签证" in page and "can I bring my cat" in page and "****" not in page and "???" not in page
    down = page[page.index('id="down-voted"'):]
    assert "APEC卡费用" in down  # the question (a button's title) beside the down-voted answer
    assert "👎" not in page and "👍" not in page  # words, not emoji that need an emoji font


async def test_the_report_filters_by_date_and_exports_csv(browser: Browser, settings: WebSettings) -> None:
    await asyncio.to_thread(write_conversations, Path(settings.tracker_db_url[len("sqlite:///"):]), yesterday_10am())
    await browser.sign_in()
    day2 = (datetime.now(BEIJING).date()).isoformat()
    async with browser.request("GET", f"/operator/report?from={day2}&to={day2}") as response:
        page = await response.text()
    assert "can I bring my cat" in page and "月球签证" not in page
    async with browser.request("GET", "/operator/report?from=2026-13-01") as response:
        assert response.status == 200 and 'id="range-error"' in await response.text()
    async with browser.request("GET", f"/operator/report.csv?table=daily&from={day2}&to={day2}") as response:
        body = (await response.read()).decode("utf-8-sig")
        assert response.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["day", "language", "conversations"]
    assert [day2, "en", "1", "1", "1", "0", "0", "0", "0"] in rows
    async with browser.request("GET", "/operator/report.csv?table=unanswered") as response:
        unanswered = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert unanswered[1][:2][1] == "2"  # the most frequent unanswered question comes first, asked twice


async def test_long_lists_are_paged(browser: Browser, settings: WebSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    await asyncio.to_thread(write_conversations, Path(settings.tracker_db_url[len("sqlite:///"):]), yesterday_10am())
    monkeypatch.setattr(report_module, "PAGE_SIZE", 1)
    await browser.sign_in()
    async with browser.request("GET", "/operator/report?unanswered_page=2") as response:
        page = await response.text()
    assert "2 / 3" in page and 'rel="prev"' in page and 'rel="next"' in page
