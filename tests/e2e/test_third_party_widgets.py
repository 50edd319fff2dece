"""Standard Rasa widgets on the office's own site (a second origin), against the whole running assistant.

botfront's rasa-webchat 1.0.1 (npm, tests/web/thirdparty, served by the office's site, never a CDN)
in real Chromium, in both languages: its `customData.language` decides the language. A page whose
origin is not in FAO_CORS_ORIGINS is refused readably and the refusal is logged without the message.
RasaHQ's chat widget sends no metadata: its init payload `/greet{"language":"en"}` or the browser's
Accept-Language decide (checked over REST and socket.io, as that widget speaks them).

This module starts its own stack with FAO_CORS_ORIGINS set to the office's site, which must add to
the own-site default rather than replace it.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

import pytest
import websockets

from bot.launcher import Stack
from bot.nlu.language import detect_language
from tests.e2e.conftest import stack_settings
from tests.web.chromium import browser_context, playwright_driver, screenshot
from tests.web.harness import NPM, OfficeSite

WEBCHAT = NPM / "rasa-webchat" / "lib" / "index.js"
GREETING = {"zh": "您好", "en": "Hello"}
QUESTION = {"zh": ("APEC卡有效期几年", "5年", "来源"), "en": ("how long is the APEC card valid", "5 years", "Source")}


def webchat_page(rasa_url: str, language: str) -> str:
    """The embed recipe of bot/web/README.md for rasa-webchat >= 1.0.1."""
    props = {"initPayload": "/greet", "customData": {"language": language}, "socketUrl": rasa_url,
             "socketPath": "/socket.io/", "title": "FAO Assistant", "params": {"storage": "session"}}
    return f"""<!doctype html><html lang="{'en' if language == 'en' else 'zh-CN'}"><head><meta charset="utf-8">
<title>Office</title></head><body><h1>District office</h1>
<script src="/npm/rasa-webchat/lib/index.js"></script>
<script>WebChat.default({json.dumps(props)}, null);</script>
<style>.rw-message-text {{ overflow-wrap: anywhere; }}</style></body></html>"""


@pytest.fixture(scope="module")
def office() -> Iterator[OfficeSite]:
    with OfficeSite("") as site:
        yield site


@pytest.fixture(scope="module")
def office_stack(office: OfficeSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAO_CORS_ORIGINS", office.url)
        running = Stack(stack_settings(Path(tmp_path_factory.mktemp("office-stack"))))
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with playwright_driver() as driver:
        yield driver


def rasa_url(stack: Stack) -> str:
    return stack.settings.url(stack.settings.rasa_port)


def rest(stack: Stack, text: str, metadata: Optional[Dict[str, Any]] = None,
         headers: Optional[Dict[str, str]] = None) -> Tuple[int, Dict[str, str], Any]:
    body: Dict[str, Any] = {"sender": f"tp-{uuid.uuid4().hex[:10]}", "message": text}
    if metadata is not None:
        body["metadata"] = metadata
    request = urllib.request.Request(f"{rasa_url(stack)}/webhooks/rest/webhook", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def reply_text(replies: Any) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_rasa_webchat_from_the_offices_site_answers_in_the_pages_language_with_buttons(
        office: OfficeSite, office_stack: Stack, driver: Any, language: str) -> None:
    if not WEBCHAT.exists():
        pytest.fail(f"{WEBCHAT} is missing: run scripts/setup_web.sh (npm ci in tests/web/thirdparty)")
    office.pages[f"/webchat-{language}.html"] = webchat_page(rasa_url(office_stack), language)
    with browser_context(driver, viewport={"width": 1366, "height": 800}) as context:
        page = context.new_page()
        page.goto(f"{office.url}/webchat-{language}.html")
        page.locator(".rw-launcher").click()
        greeting = page.locator(".rw-response", has_text=GREETING[language]).first
        greeting.wait_for()
        assert page.locator(".rw-reply").count() >= 2  # the greeting's topic buttons are rendered
        question, fact, source = QUESTION[language]
        page.locator(".rw-new-message").fill(question)
        page.locator(".rw-new-message").press("Enter")
        answer = page.locator(".rw-response", has_text=fact)
        answer.wait_for()
        assert source in page.locator(".rw-messages-container").inner_text()
        assert detect_language(answer.inner_text()) == language
        screenshot(page, f"third-party-rasa-webchat-{language}")


def test_the_own_site_still_works_when_other_sites_are_configured(office_stack: Stack) -> None:
    own = office_stack.settings.url(office_stack.settings.web_port)
    status, headers, replies = rest(office_stack, "APEC卡多少钱", headers={"Origin": own})
    assert status == 200 and "720" in reply_text(replies)
    assert headers.get("Access-Control-Allow-Origin") == own


def test_a_page_of_an_unlisted_origin_can_read_why_it_was_refused_and_the_office_sees_it_in_the_log(
        office: OfficeSite, office_stack: Stack, driver: Any) -> None:
    unlisted = office.url.replace("127.0.0.1", "localhost")  # same site, another origin, not configured
    office.pages["/unlisted.html"] = "<!doctype html><html lang='en'><title>x</title><p>unlisted</p></html>"
    secret = "my passport is E12345678"
    with browser_context(driver) as context:
        page = context.new_page()
        page.goto(f"{unlisted}/unlisted.html")
        status, body = page.evaluate("""async ([url, text]) => {
            const response = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                                               body: JSON.stringify({sender: "refused-1", message: text})});
            return [response.status, await response.json()];
        }""", [f"{rasa_url(office_stack)}/webhooks/rest/webhook", secret])
    assert status == 403 and body["error"] == "origin_not_allowed" and body["message_zh"]
    log = (office_stack.settings.log_dir / "rasa_server.log").read_text(encoding="utf-8", errors="replace")
    assert unlisted in log and "FAO_CORS_ORIGINS" in log
    assert "E12345678" not in log


def in_thread(coroutine: Any) -> Any:
    """Run a coroutine to its end in a thread of its own (Playwright's driver holds this thread's loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _socket_greeting(url: str, origin: str, payload: Dict[str, Any],
                           accept_language: Optional[str] = None) -> str:
    """One exchange over socket.io (Engine.IO 4 on a raw websocket), as a browser widget does it."""
    headers = {"Accept-Language": accept_language} if accept_language else {}
    ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(ws_url, origin=origin, extra_headers=headers, open_timeout=10) as socket:

        async def receive(prefix: str) -> str:
            while True:
                packet = await asyncio.wait_for(socket.recv(), timeout=60)
                if packet == "2":
                    await socket.send("3")
                elif packet.startswith("44"):
                    raise ConnectionRefusedError(packet)
                elif packet.startswith(prefix):
                    return packet[len(prefix):]

        await receive("0")
        await socket.send("40")
        await receive("40")
        session = f"tp-{uuid.uuid4().hex[:10]}"
        await socket.send("42" + json.dumps(["session_request", {"session_id": session}]))
        await receive('42["session_confirm"')
        await socket.send("42" + json.dumps(["user_uttered", {**payload, "session_id": session}]))
        event = json.loads("[" + await receive('42["bot_uttered",'))
        return event[0].get("text", "")


def test_rasa_webchat_custom_data_sets_the_language_over_socket_io(office: OfficeSite, office_stack: Stack) -> None:
    text = in_thread(_socket_greeting(rasa_url(office_stack), office.url,
                                        {"message": "/greet", "customData": {"language": "en"}}))
    assert "Hello" in text


def test_a_socket_io_connection_from_an_unlisted_origin_is_refused_with_a_reason(
        office: OfficeSite, office_stack: Stack) -> None:
    with pytest.raises(ConnectionRefusedError, match="origin_not_allowed"):
        in_thread(_socket_greeting(rasa_url(office_stack), office.url.replace("127.0.0.1", "localhost"),
                                     {"message": "/greet"}))


@pytest.mark.parametrize("payload, language", [('/greet{"language":"en"}', "en"), ('/greet{"language":"zh"}', "zh")])
def test_a_widget_without_metadata_gets_its_language_from_the_init_payload(
        office_stack: Stack, payload: str, language: str) -> None:
    status, _, replies = rest(office_stack, payload)
    assert status == 200 and GREETING[language] in reply_text(replies)


@pytest.mark.parametrize("header, language", [("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9,en;q=0.8", "zh")])
def test_a_widget_without_metadata_or_payload_language_follows_the_browser(
        office: OfficeSite, office_stack: Stack, header: str, language: str) -> None:
    status, _, replies = rest(office_stack, "/greet", headers={"Accept-Language": header})
    assert status == 200 and GREETING[language] in reply_text(replies)
    text = in_thread(_socket_greeting(rasa_url(office_stack), office.url, {"message": "/greet"}, header))
    assert GREETING[language] in text


def test_accept_language_never_overrides_what_the_visitor_writes(office_stack: Stack) -> None:
    status, _, replies = rest(office_stack, "APEC卡多少钱", headers={"Accept-Language": "en-US,en"})
    assert status == 200 and detect_language(reply_text(replies)) == "zh"


def test_rasa_webchat_1_0_0_and_older_are_told_they_cannot_connect(office: OfficeSite, office_stack: Stack) -> None:
    request = urllib.request.Request(f"{rasa_url(office_stack)}/socket.io/?EIO=3&transport=polling",
                                     headers={"Origin": office.url})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    assert json.loads(refused.value.read())["error"] == "engine_io_3_unsupported"
    log = (office_stack.settings.log_dir / "rasa_server.log").read_text(encoding="utf-8", errors="replace")
    assert "rasa-webchat 1.0.1 or later" in log
