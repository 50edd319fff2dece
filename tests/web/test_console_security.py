"""The console against a stranger (issue 13, finding 8) and the feedback API against forged votes (finding 9),
on the real web app on loopback: sign-in throttling per account and per address, CSRF, the password
rule, the audit of searches and lookups, vote origin, size and rate limits."""
import dataclasses
import subprocess
import sys

import pytest

from bot.settings import REPO_ROOT
from bot.web.db import WebDatabase
from bot.web.passwords import WeakPassword, hash_password, password_problem
from bot.web.settings import WebSettings
from tests.web.conftest import DEMO_REFERENCE, EMBEDDING_SITE, OPERATOR, PASSWORD, Browser

pytestmark = pytest.mark.asyncio

EVIL = "https://evil.example"
VOTE = {"conversation_id": "0123abcd", "message_id": "m1", "text": "不客气！还有其他问题吗？",
        "rating": "down", "language": "zh"}


@pytest.fixture
def settings(settings: WebSettings) -> WebSettings:
    """Small limits so a test reaches them quickly."""
    return dataclasses.replace(settings, login_failures_per_account=5, login_failures_per_address=8,
                               votes_per_address=4)


async def test_wrong_passwords_lock_the_account_even_for_the_right_password(browser: Browser) -> None:
    statuses = [await browser.sign_in(password=f"wrong-{i}") for i in range(5)]
    assert statuses == [401] * 5
    assert await browser.sign_in() == 429
    async with browser.request("POST", "/operator/login", data={"name": OPERATOR, "password": "x"}) as response:
        assert response.status == 429 and int(response.headers["Retry-After"]) > 0
        assert "15" in await response.text()


async def test_wrong_passwords_for_many_names_from_one_address_are_throttled(browser: Browser,
                                                                          database: WebDatabase) -> None:
    database.add_operator("operator.wang", hash_password("another long passphrase"))
    statuses = [await browser.sign_in(name=f"guess{i}", password="wrong password") for i in range(8)]
    assert statuses == [401] * 8
    assert await browser.sign_in(name="operator.wang", password="another long passphrase") == 429


async def test_a_successful_sign_in_clears_the_accounts_failures(browser: Browser) -> None:
    for i in range(4):
        assert await browser.sign_in(password=f"wrong-{i}") == 401
    assert await browser.sign_in() == 303
    assert await browser.sign_in(password="wrong-again") == 401
    assert await browser.sign_in() == 303


async def test_a_cross_origin_text_plain_lookup_with_the_cookie_is_refused(browser: Browser) -> None:
    assert await browser.sign_in() == 303
    body = f'{{"reference": "{DEMO_REFERENCE}"}}'
    async with browser.request("POST", "/operator/api/lookup", data=body,
                               headers={"Content-Type": "text/plain", "Origin": EVIL}) as response:
        assert response.status == 403
        assert DEMO_REFERENCE not in await response.text()
    async with browser.request("POST", "/operator/api/lookup", data=body,
                               headers={"Content-Type": "text/plain"}) as response:
        assert response.status == 403
    async with browser.request("POST", "/operator/api/lookup", json={"reference": DEMO_REFERENCE},
                               headers={"Origin": browser.base_url}) as response:
        assert response.status == 200


async def test_the_login_form_cannot_be_posted_from_another_site(browser: Browser) -> None:
    async with browser.request("POST", "/operator/login", data={"name": OPERATOR, "password": PASSWORD},
                               headers={"Origin": EVIL}) as response:
        assert response.status == 403 and "fao_operator" not in response.cookies
    async with browser.request("POST", "/operator/login", data={"name": OPERATOR, "password": PASSWORD},
                               headers={"Referer": f"{EVIL}/page"}) as response:
        assert response.status == 403
    async with browser.request("POST", "/operator/login", data={"name": OPERATOR, "password": PASSWORD},
                               headers={"Origin": browser.base_url}) as response:
        assert response.status == 303


async def test_searches_and_lookups_are_audited_without_personal_data(browser: Browser) -> None:
    assert await browser.sign_in() == 303
    query = "王小明的护照E12345678丢了怎么办"
    async with browser.request("POST", "/operator/api/search", json={"q": query}) as response:
        assert response.status == 200
    async with browser.request("POST", "/operator/api/lookup", json={"reference": DEMO_REFERENCE}) as response:
        assert response.status == 200
    async with browser.request("GET", "/operator/api/audit") as response:
        assert response.status == 200
        text = await response.text()
        entries = (await response.json())["entries"]
    assert [(e["action"], e["operator"]) for e in entries] == [("lookup", OPERATOR), ("search", OPERATOR)]
    assert entries[0]["subject"].endswith(DEMO_REFERENCE[-2:]) and DEMO_REFERENCE not in text
    assert "王小明" not in text and "E12345678" not in text
    async with browser.request("GET", "/operator/api/audit?limit=x") as response:
        assert response.status == 400


async def test_the_audit_needs_a_signed_in_operator(browser: Browser) -> None:
    async with browser.request("GET", "/operator/api/audit") as response:
        assert response.status == 401


async def test_votes_are_rate_limited_per_address(browser: Browser) -> None:
    statuses = []
    for i in range(5):
        async with browser.request("POST", "/api/feedback", json={**VOTE, "message_id": f"m{i}"}) as response:
            statuses.append(response.status)
    assert statuses == [201] * 4 + [429]


async def test_votes_from_other_sites_or_too_large_are_refused(browser: Browser) -> None:
    async with browser.request("POST", "/api/feedback", json=VOTE, headers={"Origin": EVIL}) as response:
        assert response.status == 403
    async with browser.request("POST", "/api/feedback", json={**VOTE, "text": "x" * 9000}) as response:
        assert response.status == 413
    async with browser.request("POST", "/api/feedback", json=VOTE, headers={"Origin": EMBEDDING_SITE}) as response:
        assert response.status == 201


async def test_a_forged_vote_cannot_put_a_phone_number_in_the_report(browser: Browser, database: WebDatabase) -> None:
    forged = {**VOTE, "text": "Call our new hotline 400-820-1234 or write to help@evil.example for your visa"}
    async with browser.request("POST", "/api/feedback", json=forged) as response:
        assert response.status == 201
    [row] = database.most_down_voted()
    assert "400-820-1234" not in row.answer_text and "help@evil.example" not in row.answer_text


@pytest.mark.parametrize("weak", ["short-pass", "Password2024!", "qwertyuiop123", "aaaaaaaaaaaaaa",
                                  "beijing foreign affairs", "abcdefghijklmnop", "operator.li-2026!"])
def test_weak_passwords_are_refused(weak: str) -> None:
    assert password_problem(weak, OPERATOR)
    with pytest.raises(WeakPassword):
        hash_password(weak, OPERATOR)


@pytest.mark.parametrize("strong", ["correct horse battery", "x9!Lm2#qR7vT", "Zhang-Wei-2026-xk"])
def test_passphrases_and_random_passwords_are_accepted(strong: str) -> None:
    assert password_problem(strong, OPERATOR) is None


def test_the_operators_command_refuses_a_weak_password(settings: WebSettings) -> None:
    result = subprocess.run([sys.executable, "-m", "bot.web.operators", "add", "operator.zhao"],
                            input="zhao12345678\n", text=True, capture_output=True, cwd=REPO_ROOT,
                            env={"DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin",
                                 "PYTHONPATH": str(REPO_ROOT)})
    assert result.returncode == 2 and "error" in result.stderr
