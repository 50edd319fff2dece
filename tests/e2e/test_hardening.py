"""Issue 13 against the real services of `make run` on loopback: what an attacker found in a morning.

Finding 1: the action server only on loopback and only for Rasa (a shared secret), bounded bodies.
Finding 5: personal data masked in the tracker store and the logs. Finding 6: metadata limits and
hostile bodies and packets on every service. Finding 9: the Rasa API checks its token first and the
token is not in the process list. Finding 8 over the whole stack (the details are in tests/web).

Its own stack: these tests send bodies and packets that must not share a service log (traceback
counts) or a backend budget with the other end-to-end tests.
"""
from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest
import websockets

from bot.action_server import TOKEN_HEADER
from bot.fuzz.malformed import deflate_bomb, nested
from bot.launcher import Stack
from tests.e2e.conftest import RestClient, stack_settings

REFERENCE, CODE = "ABTC-2024-000107", "4821"
PERSONAL = {
    "name": "王小明",
    "phone": "13812345678",
    "spaced phone": "+86 139-8765-4321",
    "passport": "E12345678",
    "numeric passport": "987654321",
    "ID card": "11010119900307123X",
    "e-mail": "wang.xm@example.com",
}


@pytest.fixture(scope="module")
def hardened(tmp_path_factory) -> Iterator[Stack]:
    stack = Stack(stack_settings(tmp_path_factory.mktemp("hardening-stack")))
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def chat(hardened: Stack) -> RestClient:
    return RestClient(hardened.settings.url(hardened.settings.rasa_port))


def call(url: str, body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None,
         method: Optional[str] = None) -> Tuple[int, str]:
    request = urllib.request.Request(url, data=body, method=method or ("POST" if body is not None else "GET"),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def tracebacks(stack: Stack) -> Dict[str, int]:
    return {path.name: path.read_text(errors="replace").count("Traceback (most recent call last)")
            for path in stack.settings.log_dir.glob("*.log")}


def stored_rows(stack: Stack, sender: str) -> List[str]:
    with sqlite3.connect(stack.settings.tracker_db) as connection:
        return [data for (data,) in connection.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,))]


# Finding 1 -------------------------------------------------------------------------------------------

def test_the_action_server_listens_on_loopback_only(hardened: Stack) -> None:
    port = hardened.settings.action_port
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    with pytest.raises(OSError):  # 127.0.0.2 is loopback too, but not the address it is bound to
        socket.create_connection(("127.0.0.2", port), timeout=5).close()


def test_action_calls_without_the_secret_are_refused(hardened: Stack) -> None:
    base = hardened.settings.url(hardened.settings.action_port)
    tracker = {"sender_id": "stranger", "slots": {"reference": REFERENCE, "verification_code": CODE},
               "latest_message": {"text": CODE}, "events": [], "active_loop": {"name": "status_form"}}
    call_body = json.dumps({"next_action": "validate_status_form", "tracker": tracker, "domain": {}}).encode()
    assert call(f"{base}/webhook", call_body)[0] == 401
    assert call(f"{base}/webhook", call_body, {TOKEN_HEADER: "guessed"})[0] == 401
    assert call(f"{base}/actions")[0] == 401
    status, body = call(f"{base}/actions", headers={TOKEN_HEADER: hardened.env["ACTION_SERVER_TOKEN"]})
    assert status == 200 and "validate_status_form" in body
    assert call(f"{base}/health")[0] == 200


def test_rasa_sends_the_secret_so_custom_actions_still_answer(chat: RestClient) -> None:
    assert "720" in chat.text("hard-faq", "APEC卡多少钱")


def test_nested_and_deflate_bomb_calls_get_4xx_without_a_traceback(hardened: Stack) -> None:
    url = f"{hardened.settings.url(hardened.settings.action_port)}/webhook"
    token = {TOKEN_HEADER: hardened.env["ACTION_SERVER_TOKEN"]}
    bomb = deflate_bomb()
    assert len(bomb) < 64 * 1024
    assert call(url, nested(), token)[0] == 400
    assert call(url, bomb, {**token, "Content-Encoding": "deflate"})[0] == 413
    assert tracebacks(hardened)["action_server.log"] == 0


# Finding 5 -------------------------------------------------------------------------------------------

def test_personal_data_never_reaches_the_tracker_store_or_the_logs(hardened: Stack, chat: RestClient) -> None:
    user = "hard-privacy"
    chat.text(user, f"查询{REFERENCE}的进度，验证码{CODE}")
    chat.text(user, "查询进度")
    chat.text(user, f"{REFERENCE}，申请人{PERSONAL['name']}，电话{PERSONAL['phone']}")
    chat.text(user, f"my passport is {PERSONAL['passport']}")
    chat.text(user, "取消")
    chat.text(user, f"email {PERSONAL['e-mail']}, phone {PERSONAL['spaced phone']}, "
                    f"ID {PERSONAL['ID card']}, passport {PERSONAL['numeric passport']}")
    chat.text(user, '/greet{"phone": "' + PERSONAL["phone"] + '"}')
    stored = "\n".join(stored_rows(hardened, user))
    assert REFERENCE in stored
    for what, value in PERSONAL.items():
        assert value not in stored, what
    assert f"验证码{CODE}" not in stored and f'"{CODE}"' not in stored
    for path in hardened.settings.log_dir.glob("*.log"):
        content = path.read_text(errors="replace")
        for what, value in PERSONAL.items():
            assert value not in content, (what, path.name)
    assert "/intent{...}" in (hardened.settings.log_dir / "rasa_server.log").read_text(errors="replace")


# Finding 6 -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label, body, expected", [
    ("metadata of 5 KB", json.dumps({"sender": "hard-m", "message": "hi", "metadata": {"a": "x" * 5000}}), 413),
    ("metadata NaN", '{"sender": "hard-m", "message": "hi", "metadata": {"a": NaN}}', 400),
    ("metadata Infinity", '{"sender": "hard-m", "message": "hi", "metadata": {"a": [-Infinity]}}', 400),
    ("metadata nested 1000 deep", '{"sender": "hard-m", "message": "hi", "metadata": ' + nested().decode() + "}",
     400),
    ("body of 3 MB", json.dumps({"sender": "hard-m", "message": "hi", "pad": "x" * 3_000_000}), 413),
])
def test_the_rest_channel_refuses_hostile_metadata_with_4xx(hardened: Stack, label: str, body: str,
                                                           expected: int) -> None:
    url = f"{hardened.settings.url(hardened.settings.rasa_port)}/webhooks/rest/webhook"
    status, answer = call(url, body.encode())
    assert status == expected, (label, answer[:200])
    assert "Traceback" not in answer


def test_small_metadata_with_a_language_still_works(chat: RestClient) -> None:
    assert "720" in chat.text("hard-m-ok", "How much is the APEC card?", {"language": "en", "page": "/visa"})


@pytest.mark.parametrize("service", ["backend", "web"])
def test_other_services_refuse_nested_and_nan_bodies(hardened: Stack, service: str) -> None:
    s = hardened.settings
    url = {"backend": f"{s.url(s.backend_port)}/api/v1/applications/lookup",
           "web": f"{s.url(s.web_port)}/api/feedback"}[service]
    auth = {"Authorization": f"Bearer {hardened.env['BACKEND_SERVICE_TOKEN']}"} if service == "backend" else {}
    for body in (nested(), b'{"reference": NaN, "text": NaN}'):
        status, answer = call(url, body, auth)
        assert 400 <= status < 500 and "Traceback" not in answer, (service, status)


async def _socket(url: str, packets: List[str], origin: str) -> List[str]:
    """Raw Engine.IO 4 over a websocket: connect the namespace, then send `packets`; what came back."""
    received: List[str] = []
    ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(ws_url, origin=origin, open_timeout=10, max_size=None) as sock:
        await sock.recv()
        await sock.send("40")
        received.append(await asyncio.wait_for(sock.recv(), 10))
        for packet in packets:
            await sock.send(packet)
        try:
            while True:
                received.append(await asyncio.wait_for(sock.recv(), 5))
        except (asyncio.TimeoutError, websockets.ConnectionClosed):
            pass
    return received


def test_socketio_refuses_hostile_metadata_and_survives_malformed_packets(hardened: Stack) -> None:
    s = hardened.settings
    url, origin = s.url(s.rasa_port), hardened.cors_origins[0]
    session = '42["session_request", {"session_id": "hard-sock"}]'
    big = json.dumps(["user_uttered", {"message": "hi", "session_id": "hard-sock", "metadata": {"a": "x" * 5000}}])
    nan = '42["user_uttered", {"message": "hi", "session_id": "hard-sock", "metadata": {"a": NaN}}]'
    replies = asyncio.run(_socket(url, [session, "42" + big, nan], origin))
    refusals = [packet for packet in replies if "invalid_metadata" in packet or "metadata_too_large" in packet]
    assert len(refusals) >= 2, replies
    for garbage in ("42[broken", '42{"not": "a list"}', "4x", "49", '43[5, "x"]', "42" + "[" * 1000 + "]" * 1000):
        asyncio.run(_socket(url, [garbage], origin))
    assert "720" in " ".join(asyncio.run(_socket(url, [session, '42["user_uttered", {"message": "APEC卡多少钱", '
                                                               '"session_id": "hard-sock"}]'], origin)))
    assert tracebacks(hardened)["rasa_server.log"] == 0


# Finding 9 -------------------------------------------------------------------------------------------

def test_the_rasa_api_checks_the_token_before_the_body(hardened: Stack) -> None:
    base = hardened.settings.url(hardened.settings.rasa_port)
    for token in ("", "?token=wrong"):
        assert call(f"{base}/conversations/x/execute{token}", b'{"name": "no_such_action"}')[0] == 401
        assert call(f"{base}/model/parse{token}", b"[]")[0] == 401
    assert call(f"{base}/conversations/x/execute?token={hardened.rasa_token}", b'{"name": "no_such_action"}')[0] == 404


def test_no_token_or_secret_is_visible_in_the_process_list(hardened: Stack) -> None:
    listing = subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True, check=True).stdout
    assert "bot.rasa_run" in listing
    for name in ("RASA_API_TOKEN", "ACTION_SERVER_TOKEN", "BACKEND_SERVICE_TOKEN"):
        assert hardened.env[name] not in listing, name


# Finding 8 over the whole stack ----------------------------------------------------------------------

def test_a_cross_origin_lookup_from_a_signed_in_browser_is_refused(hardened: Stack) -> None:
    from bot.fuzz.run import sign_in_operator

    cookie = asyncio.run(sign_in_operator(hardened))
    assert cookie
    web = hardened.settings.url(hardened.settings.web_port)
    forged = json.dumps({"reference": REFERENCE}).encode()
    status, body = call(f"{web}/operator/api/lookup", forged,
                        {"Cookie": cookie, "Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert status == 403 and "Wang" not in body and "王伟" not in body
    status, _ = call(f"{web}/operator/api/lookup", forged, {"Cookie": cookie, "Origin": web})
    assert status == 200


def test_the_launcher_and_rasa_run_refuse_to_start_the_api_without_a_token(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot.rasa_run", "run", "--enable-api"], capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[2])})
    assert result.returncode != 0 and "RASA_API_TOKEN" in result.stderr
