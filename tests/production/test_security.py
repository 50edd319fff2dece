"""Security of the production profile, over HTTP on the real cluster: the Rasa API needs its token, other
origins are refused, operator pages need a login, lookups are rate-limited, codes never reach storage or logs."""
from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from bot.cluster.cluster import Cluster
from tests.production.conftest import (
    LOOKUPS_PER_CLIENT, LOOKUPS_PER_CONVERSATION, Chat, contains_token, direct, log_texts, new_sender,
    random_source, tracker_events,
)

EVIL = "http://evil.example"
RATE_LIMITED = ("查询过于频繁", "Too many lookups")
API_CALLS = [
    ("GET", "/status", None),
    ("GET", "/conversations/someone/tracker", None),
    ("POST", "/model/parse", b'{"text": "hello"}'),
    ("POST", "/conversations/someone/messages", b'{"text": "hello", "sender": "user"}'),
]


@pytest.mark.parametrize("method, path, body", API_CALLS)
def test_the_rasa_api_refuses_calls_without_or_with_a_wrong_token(cluster: Cluster, method, path, body) -> None:
    token = cluster.settings.rasa_token
    for base in (cluster.rasa_url(1), cluster.rasa_url(2), cluster.settings.internal_url):
        client = Chat(base, "127.0.0.1")
        assert client.request(method, path, body)[0] == 401
        assert client.request(method, f"{path}?token=wrong{token[:8]}", body)[0] in (401, 403)
    assert Chat(cluster.rasa_url(1), "127.0.0.1").request("GET", f"/status?token={token}")[0] == 200


def test_the_public_entrance_does_not_expose_the_rasa_api_at_all(cluster: Cluster, chat: Chat) -> None:
    token = cluster.settings.rasa_token
    status, _, body = chat.request("GET", f"/status?token={token}")
    assert status == 404 and b"model_file" not in body


def test_chat_requests_from_another_origin_are_refused(cluster: Cluster, chat: Chat) -> None:
    message = json.dumps({"sender": new_sender(), "message": "你好"}).encode()
    status, headers, body = chat.request("POST", "/webhooks/rest/webhook", message, {"Origin": EVIL})
    # The refusal carries CORS headers so the refused page can read why (issue 14); it holds no reply.
    assert status == 403 and json.loads(body)["error"] == "origin_not_allowed"
    assert headers.get("access-control-allow-origin") == EVIL
    own = cluster.settings.public_url
    status, headers, body = chat.request("POST", "/webhooks/rest/webhook", message, {"Origin": own})
    assert status == 200 and headers.get("access-control-allow-origin") == own and json.loads(body)


async def _socket_reply(url: str, origin: str) -> str:
    """Speaks socket.io (Engine.IO 4) over a raw websocket with `origin`: connect, session, one question.

    Returns the first reply text, or raises ConnectionRefusedError when the namespace connect is refused.
    (python-socketio's asyncio client needs a newer aiohttp than Rasa pins; its polling client
    waits a full ping interval on disconnect.)
    """
    ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(ws_url, origin=origin, open_timeout=10) as socket:

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
        session = new_sender("sock")
        await socket.send("42" + json.dumps(["session_request", {"session_id": session}]))
        await receive('42["session_confirm"')
        await socket.send("42" + json.dumps(["user_uttered", {"message": "APEC卡多少钱", "session_id": session}]))
        event = json.loads("[" + await receive('42["bot_uttered",'))
        return event[0].get("text", "")


def test_socketio_connections_from_another_origin_are_refused(cluster: Cluster) -> None:
    with pytest.raises(ConnectionRefusedError):
        asyncio.run(_socket_reply(cluster.settings.public_url, EVIL))
    assert "720" in asyncio.run(_socket_reply(cluster.settings.public_url, cluster.settings.public_url))


@pytest.mark.parametrize("path", ["/operator", "/operator/", "/operator/report"])
def test_operator_pages_need_a_login(chat: Chat, path: str) -> None:
    status, headers, body = chat.request("GET", path)
    assert status in (302, 303) and headers["location"].endswith("/operator/login")
    assert b"console" not in body.lower()


@pytest.mark.parametrize("path, body", [
    ("/operator/api/lookup", b'{"reference": "ABTC-2025-000318"}'),
    ("/operator/api/search", b'{"q": "APEC"}'),
])
def test_operator_apis_need_a_login(chat: Chat, path: str, body: bytes) -> None:
    assert chat.request("POST", path, body)[0] == 401


def test_backend_endpoints_need_the_service_token(cluster: Cluster) -> None:
    backend = Chat(cluster.settings.url(cluster.settings.backend_port), random_source())
    body = json.dumps({"reference": "ABTC-2025-000318", "operator": "x"}).encode()
    assert backend.request("POST", "/api/v1/operator/lookup", body)[0] == 401
    body = json.dumps({"reference": "ABTC-2025-000318", "verification_code": "1569",
                       "conversation_id": "x"}).encode()
    assert backend.request("POST", "/api/v1/applications/lookup", body)[0] == 401


def _lookup(chat: Chat, user: str) -> str:
    chat.text(user, "查询ABTC-2024-000107的进度")
    return chat.text(user, "4821")


def test_lookups_per_conversation_are_limited_with_a_clear_message(chat: Chat) -> None:
    user = new_sender()
    answers = [_lookup(chat, user) for _ in range(LOOKUPS_PER_CONVERSATION + 1)]
    assert all("卡片正在制作中" in answer for answer in answers[:-1])
    assert RATE_LIMITED[0] in answers[-1] and "卡片正在制作中" not in answers[-1]
    assert "卡片正在制作中" in _lookup(chat, new_sender())


def test_lookups_per_client_address_are_limited_with_a_clear_message(cluster: Cluster) -> None:
    source = random_source()
    through_nginx = Chat(cluster.settings.public_url, source)
    answers = [_lookup(through_nginx, new_sender()) for _ in range(LOOKUPS_PER_CLIENT - 1)]
    answers.append(_lookup(direct(cluster, 2, source), new_sender()))
    assert all("卡片正在制作中" in answer for answer in answers)
    refused = _lookup(through_nginx, new_sender())
    assert RATE_LIMITED[0] in refused and "卡片正在制作中" not in refused
    assert "卡片正在制作中" in _lookup(Chat(cluster.settings.public_url, random_source()), new_sender())


def test_codes_and_passport_numbers_never_reach_the_tracker_store_or_the_logs(cluster: Cluster, chat: Chat) -> None:
    user = new_sender()
    wrong_code, right_code, passport = "7391", "3390", "E83649275"
    chat.text(user, "查询INV-2025-000051的进度")
    assert "对不上" in chat.text(user, f"是{wrong_code}")
    assert "请到外事办窗口领取" in chat.text(user, right_code)
    chat.text(user, f"我的护照号是{passport}")
    events = tracker_events(cluster, user)
    user_texts = [json.loads(data)["text"] for kind, data in events if kind == "user"]
    assert len(user_texts) == 4 and user_texts[0] == "查询INV-2025-000051的进度"
    assert user_texts[1] == user_texts[2] == "****" and passport not in user_texts[3]
    stored = "\n".join(data for _, data in events)
    for secret in (wrong_code, right_code, passport):
        assert not contains_token(stored, secret), secret
    logs = log_texts(cluster)
    assert any("rasa_server" in path.name for path in logs)
    for path, content in logs.items():
        for secret in (wrong_code, passport):
            assert secret not in content, (secret, path)
        assert not contains_token(content, right_code), (right_code, path)


# Issue 13 in the production profile ------------------------------------------------------------------

def test_action_servers_answer_only_rasa_directly_and_through_nginx(cluster: Cluster) -> None:
    tracker = {"sender_id": "stranger", "slots": {}, "latest_message": {}, "events": [], "active_loop": {}}
    call = json.dumps({"next_action": "validate_status_form", "tracker": tracker}).encode()
    secret = cluster.env["ACTION_SERVER_TOKEN"]
    for base, path in [(cluster.settings.url(port), "/webhook") for port in cluster.settings.action_ports] + [
            (cluster.settings.internal_url, "/actions/webhook")]:
        client = Chat(base, "127.0.0.1")
        assert client.request("POST", path, call)[0] == 401, base
        assert client.request("POST", path, call, {"X-FAO-Action-Token": "guess"})[0] == 401, base
        assert client.request("GET", path.replace("webhook", "actions"), None, {"X-FAO-Action-Token": secret})[0] \
            == 200, base
    assert "720" in Chat(cluster.settings.public_url, random_source()).text(new_sender(), "APEC卡多少钱")


def test_no_token_is_in_the_process_list_and_nginx_never_retries_a_sent_request(cluster: Cluster) -> None:
    import subprocess

    listing = subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True, check=True).stdout
    for name in ("RASA_API_TOKEN", "ACTION_SERVER_TOKEN", "BACKEND_SERVICE_TOKEN"):
        assert cluster.env[name] not in listing, name
    config = (cluster.settings.state_dir / "nginx" / "nginx.conf").read_text()
    assert "proxy_next_upstream" in config and "non_idempotent" not in config


def test_hostile_metadata_is_refused_through_nginx(chat: Chat) -> None:
    for body, expected in [
        (json.dumps({"sender": new_sender(), "message": "hi", "metadata": {"a": "x" * 5000}}).encode(), 413),
        (b'{"sender": "prod-nan", "message": "hi", "metadata": {"a": NaN}}', 400),
        (b'{"sender": "prod-deep", "message": "hi", "metadata": ' + b"[" * 1000 + b"]" * 1000 + b"}", 400),
    ]:
        assert chat.request("POST", "/webhooks/rest/webhook", body)[0] == expected


def test_the_console_refuses_cross_origin_posts_and_throttles_sign_in_behind_nginx(cluster: Cluster) -> None:
    import urllib.parse

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    address = Chat(cluster.settings.public_url, random_source())
    body = urllib.parse.urlencode({"name": "nobody", "password": "wrong password"}).encode()
    assert address.request("POST", "/operator/login", body, {**form, "Origin": EVIL})[0] == 403
    statuses = [address.request("POST", "/operator/login", body, form)[0] for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    # Another address is not affected by the first one's failures on a different account.
    other = urllib.parse.urlencode({"name": "somebody", "password": "wrong password"}).encode()
    assert Chat(cluster.settings.public_url, random_source()).request("POST", "/operator/login", other, form)[0] == 401
