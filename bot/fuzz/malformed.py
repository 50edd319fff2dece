"""Malformed HTTP requests to every endpoint of every service, each with the statuses it may get.

The endpoints are the routes in the code: Rasa 3.6's HTTP API (rasa/server.py) and our channels
(bot/channels), rasa-sdk's action server (rasa_sdk/endpoint.py), the backend (bot/backend/api) and
the web app (bot/web/routes). A request is malformed by its body, its method, its path, or its
missing credentials; the right answer is always a 4xx (a page may redirect to its login page).
"""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from bot.action_server import TOKEN_HEADER

JSON = {"Content-Type": "application/json"}
HUGE_BYTES = 3_000_000  # above every service's limit (Rasa API guard 2 MiB, backend 16 KiB, web 64 KiB)

BAD_BODIES: Dict[str, Tuple[bytes, Dict[str, str]]] = {
    "bad_json": (b"{not json", JSON),
    "json_array": (b"[]", JSON),
    "json_number": (b"5", JSON),
    "json_string": (b'"x"', JSON),
    "json_null": (b"null", JSON),
    "empty": (b"", JSON),
    "wrong_types": (json.dumps({
        "sender": 5, "message": {"a": 1}, "text": 5, "name": 7, "next_action": 5, "tracker": "x",
        "reference": 5, "verification_code": [1], "q": 5, "conversation_id": {}, "rating": 1, "event": 3,
        "metadata": [1], "model_file": 5}).encode(), JSON),
    "empty_object": (b"{}", JSON),
    "invalid_utf8": (b'{"sender": "x", "message": "\xff\xfe", "text": "\xc3\x28", "q": "\xed\xa0\x80"}', JSON),
    "huge": (b'{"sender": "x", "message": "' + b"A" * HUGE_BYTES + b'", "text": "x"}', JSON),
    "form_encoded": (b"sender=x&message=hi&text=hi", {"Content-Type": "application/x-www-form-urlencoded"}),
    "xml": (b"<?xml version='1.0'?><m>hi</m>", {"Content-Type": "text/xml"}),
    "multipart_garbage": (b"--x\r\nContent-Disposition: form-data\r\n\r\n\xff\r\n",
                          {"Content-Type": "multipart/form-data; boundary=x"}),
}
CLIENT_ERROR = range(400, 500)
REDIRECT_OR_CLIENT_ERROR = tuple(range(300, 400)) + tuple(CLIENT_ERROR)


@dataclass(frozen=True)
class Probe:
    service: str
    label: str
    method: str
    url: str
    body: bytes = b""
    headers: Dict[str, str] = field(default_factory=dict)
    expected: Tuple[int, ...] = tuple(CLIENT_ERROR)

    @property
    def oversized(self) -> bool:
        """Above every service's body limit: closing the connection instead of answering is a refusal too."""
        return len(self.body) >= HUGE_BYTES


@dataclass(frozen=True)
class Targets:
    """Where the services listen and the credentials a legitimate caller would have."""

    rasa: str
    action: str
    backend: str
    web: str
    rasa_token: str
    backend_token: str
    action_token: str = ""
    operator_cookie: Optional[str] = None


def _bodies(service: str, label: str, method: str, url: str, headers: Optional[Dict[str, str]] = None,
            expected: Tuple[int, ...] = tuple(CLIENT_ERROR), only: Optional[List[str]] = None) -> List[Probe]:
    names = only or list(BAD_BODIES)
    return [Probe(service, f"{label} {name}", method, url, BAD_BODIES[name][0],
                  {**BAD_BODIES[name][1], **(headers or {})}, expected) for name in names]


def _rasa(t: Targets) -> List[Probe]:
    rest = f"{t.rasa}/webhooks/rest/webhook"
    token = f"?token={t.rasa_token}"
    probes = _bodies("rasa", "REST webhook", "POST", rest)
    probes += [Probe("rasa", f"REST webhook {label}", "POST", rest, body, JSON) for label, body in [
        ("missing sender", b'{"message": "hello"}'),
        ("sender number, message object", b'{"sender": 5, "message": {"a": 1}}'),
        ("sender with spaces", b'{"sender": "a b", "message": "hi"}'),
        ("metadata list", b'{"sender": "x", "message": "hi", "metadata": [1]}'),
        ("message 20000 chars", json.dumps({"sender": "x", "message": "签" * 20000}).encode()),
        ("nested 1000 deep", b'{"sender": "x", "message": "hi", "metadata": ' + nested() + b"}"),
        ("metadata 5 KB", json.dumps({"sender": "x", "message": "hi", "metadata": {"a": "x" * 5000}}).encode()),
        ("metadata NaN", b'{"sender": "x", "message": "hi", "metadata": {"a": NaN}}'),
        ("metadata Infinity", b'{"sender": "x", "message": "hi", "metadata": {"a": [Infinity]}}'),
    ]]
    probes += [Probe("rasa", f"REST webhook wrong method {m}", m, rest) for m in ("GET", "PUT", "DELETE", "PATCH")]
    api_posts = ["/model/parse", "/model/predict", "/conversations/fz1/messages", "/conversations/fz1/trigger_intent",
                 "/conversations/fz1/execute", "/conversations/fz1/tracker/events"]
    for path in api_posts:
        # An empty event list is a valid state to predict from.
        names = [n for n in BAD_BODIES if not (path == "/model/predict" and n == "json_array")]
        probes += _bodies("rasa", f"API {path} with token", "POST", t.rasa + path + token, only=names)
    probes += _bodies("rasa", "API PUT tracker/events with token", "PUT",
                      f"{t.rasa}/conversations/fz1/tracker/events{token}",
                      only=[n for n in BAD_BODIES if n != "json_array"])  # [] replaces the events with none
    probes += [Probe("rasa", f"API {label}", "POST", t.rasa + path + token, json.dumps(body).encode(), JSON)
               for label, path, body in [
                   ("unknown action", "/conversations/fz1/execute", {"name": "no_such_action"}),
                   ("unknown intent", "/conversations/fz1/trigger_intent", {"name": "no_such_intent"}),
                   ("message from the bot", "/conversations/fz1/messages", {"text": "hi", "sender": "bot"}),
                   ("user event text number", "/conversations/fz1/tracker/events", {"event": "user", "text": 5}),
                   ("unknown event", "/conversations/fz1/tracker/events", {"event": "no_such_event"}),
                   ("parse 20000 chars", "/model/parse", {"text": "签" * 20000}),
               ]]
    # The token comes before the body: without it nothing about actions or bodies can be learnt.
    probes += [Probe("rasa", f"API {label} wrong token", "POST", f"{t.rasa}{path}?token=wrong", body, JSON)
               for label, path, body in [("unknown action", "/conversations/fz1/execute", b'{"name": "no_such"}'),
                                         ("malformed parse", "/model/parse", b"[]")]]
    # Model management is off: refused whatever the body.
    for method, path in [("POST", "/model/train"), ("POST", "/model/test/stories"), ("POST", "/model/test/intents"),
                         ("PUT", "/model"), ("DELETE", "/model")]:
        probes += _bodies("rasa", f"API {method} {path} with token", method, t.rasa + path + token,
                          only=["json_array", "wrong_types", "invalid_utf8", "empty"])
    # Without a token, or with a wrong one, every API route is refused.
    for method, path in [("GET", "/status"), ("GET", "/conversations/fz1/tracker"), ("GET", "/domain"),
                         ("GET", "/conversations/fz1/story"), ("POST", "/conversations/fz1/predict"),
                         ("POST", "/model/parse"), ("POST", "/model/train"), ("PUT", "/model"), ("DELETE", "/model"),
                         ("POST", "/conversations/fz1/messages"), ("PUT", "/conversations/fz1/tracker/events")]:
        probes += _bodies("rasa", f"API {method} {path} no token", method, t.rasa + path,
                          only=["wrong_types", "json_array"])
        probes.append(Probe("rasa", f"API {method} {path} wrong token", method, f"{t.rasa}{path}?token=wrong",
                            b'{"text": "hi"}', JSON))
    probes += [
        Probe("rasa", "API bad include_events", "GET", f"{t.rasa}/conversations/fz1/tracker{token}&include_events=BAD"),
        Probe("rasa", "API wrong method DELETE /status", "DELETE", t.rasa + "/status" + token),
        Probe("rasa", "API wrong method POST /version", "POST", t.rasa + "/version", b"{}", JSON),
        Probe("rasa", "API wrong method GET /model/parse", "GET", t.rasa + "/model/parse" + token),
        Probe("rasa", "unknown path", "GET", t.rasa + "/no/such/path"),
        Probe("rasa", "socket.io no query", "GET", t.rasa + "/socket.io/"),
        Probe("rasa", "socket.io bad EIO", "GET", t.rasa + "/socket.io/?EIO=99&transport=polling"),
        Probe("rasa", "socket.io bad transport", "GET", t.rasa + "/socket.io/?EIO=4&transport=pigeon"),
        Probe("rasa", "socket.io bogus sid", "GET", t.rasa + "/socket.io/?EIO=4&transport=polling&sid=bogus"),
    ]
    polling = t.rasa + "/socket.io/?EIO=4&transport=polling&sid=bogus"
    probes += _bodies("rasa", "socket.io POST bogus sid", "POST", polling,
                      only=["bad_json", "invalid_utf8", "huge", "empty"])
    return probes


def deflate_bomb(inflated_bytes: int = 20 * 1024 * 1024) -> bytes:
    """About 20 KB that inflate to `inflated_bytes` of JSON whitespace."""
    return zlib.compress(b"{" + b" " * inflated_bytes + b"}", 9)


def nested(depth: int = 1000) -> bytes:
    """A JSON object nested `depth` levels deep (Python's decoder recurses ~1,000 levels, then raises)."""
    return b'{"a":' * depth + b"1" + b"}" * depth


def _action_server(t: Targets) -> List[Probe]:
    url = f"{t.action}/webhook"
    tracker = {"sender_id": "fz", "slots": {}, "latest_message": {}, "events": [], "active_loop": {}}
    token = {TOKEN_HEADER: t.action_token}
    valid = json.dumps({"next_action": "action_language", "tracker": tracker}).encode()
    # Without the secret every call is refused, well formed or not.
    probes = [Probe("action server", f"/webhook no token {name}", "POST", url, BAD_BODIES[name][0], JSON)
              for name in ("wrong_types", "json_array")]
    probes += [Probe("action server", "/webhook no token, valid call", "POST", url, valid, JSON),
               Probe("action server", "/webhook wrong token, valid call", "POST", url, valid,
                     {**JSON, TOKEN_HEADER: "wrong"}),
               Probe("action server", "GET /actions no token", "GET", t.action + "/actions")]
    probes += _bodies("action server", "/webhook", "POST", url, token)
    odd_calls = [
        ("nested 1000 deep", nested(), {}),
        ("deflate bomb", deflate_bomb(), {"Content-Encoding": "deflate"}),
        ("deflate garbage", b"not deflated", {"Content-Encoding": "deflate"}),
        ("unknown action", json.dumps({"next_action": "no_such_action", "tracker": tracker}).encode(), {}),
        ("tracker events string", json.dumps({"next_action": "action_language",
                                              "tracker": {**tracker, "events": "x"}}).encode(), {}),
        ("domain number", json.dumps({"next_action": "action_language", "tracker": tracker, "domain": 3}).encode(), {}),
    ]
    probes += [Probe("action server", f"/webhook {label}", "POST", url, body, {**JSON, **token, **headers})
               for label, body, headers in odd_calls]
    probes += [Probe("action server", f"wrong method {m} {p}", m, t.action + p, headers=token)
               for m, p in [("GET", "/webhook"), ("PUT", "/webhook"), ("DELETE", "/actions"), ("POST", "/health"),
                            ("POST", "/actions")]]
    probes.append(Probe("action server", "unknown path", "GET", t.action + "/no/such/path", headers=token))
    return probes


def _backend(t: Targets) -> List[Probe]:
    bearer = {"Authorization": f"Bearer {t.backend_token}"}
    probes: List[Probe] = []
    for path in ("/api/v1/applications/lookup", "/api/v1/operator/lookup"):
        url = t.backend + path
        probes += _bodies("backend", f"{path} with token", "POST", url, bearer)
        probes += _bodies("backend", f"{path} no token", "POST", url, only=["wrong_types", "bad_json"])
        probes.append(Probe("backend", f"{path} wrong token", "POST", url, b'{"reference": "ABTC-2025-000318"}',
                            {**JSON, "Authorization": "Bearer wrong"}))
        probes.append(Probe("backend", f"{path} hostile reference", "POST", url,
                            json.dumps({"reference": "ABTC-2025-000318' OR 1=1 --", "verification_code": "<sc",
                                        "operator": "<script>"}).encode(), {**JSON, **bearer}))
        probes += [Probe("backend", f"wrong method {m} {path}", m, url, headers=bearer)
                   for m in ("GET", "PUT", "DELETE")]
    probes += [Probe("backend", "wrong method POST health", "POST", t.backend + "/api/v1/health", b"{}", JSON),
               Probe("backend", "unknown path", "GET", t.backend + "/api/v1/no/such/path")]
    return probes


# Engine.IO / socket.io packets python-socketio cannot decode or dispatch (sent on a real session).
BAD_PACKETS: Dict[str, str] = {
    "event not JSON": "42[broken",
    "event not a list": '42{"not": "a list"}',
    "unknown packet type": "49",
    "ack for nothing": '43[5, "x"]',
    "binary event without attachments": '451-["user_uttered",{"_placeholder":true,"num":0}]',
    "event name a number": "42[5]",
    "nested 1000 deep": "42" + "[" * 1000 + "]" * 1000,
    "metadata NaN": '42["user_uttered", {"message": "hi", "session_id": "fz-sock", "metadata": {"a": NaN}}]',
    "metadata 5 KB": '42["user_uttered", {"message": "hi", "session_id": "fz-sock", "metadata": {"a": "'
                     + "x" * 5000 + '"}}]',
}


def _web(t: Targets) -> List[Probe]:
    probes = _bodies("web", "/api/feedback", "POST", t.web + "/api/feedback")
    vote = json.dumps({"conversation_id": "fz", "message_id": "m1", "text": "Call 400-820-1234 now",
                       "rating": "down", "language": "en"}).encode()
    probes.append(Probe("web", "/api/feedback from another origin", "POST", t.web + "/api/feedback", vote,
                        {**JSON, "Origin": "https://evil.example"}))
    probes.append(Probe("web", "/operator/login from another origin", "POST", t.web + "/operator/login",
                        b"name=x&password=y", {"Content-Type": "application/x-www-form-urlencoded",
                                               "Origin": "https://evil.example"}))
    probes += _bodies("web", "/operator/login", "POST", t.web + "/operator/login")
    for path in ("/operator/api/search", "/operator/api/lookup"):
        probes += _bodies("web", f"{path} signed out", "POST", t.web + path, only=["wrong_types", "bad_json"])
        if t.operator_cookie:
            probes += _bodies("web", f"{path} signed in", "POST", t.web + path, {"Cookie": t.operator_cookie})
            # Cross-site request forgery: a simple (text/plain) post from another page, with the cookie.
            probes.append(Probe("web", f"{path} signed in, cross-origin text/plain", "POST", t.web + path,
                                b'{"reference": "ABTC-2024-000107", "q": "APEC"}',
                                {"Content-Type": "text/plain", "Origin": "https://evil.example",
                                 "Cookie": t.operator_cookie}))
    probes += [
        Probe("web", "console signed out", "GET", t.web + "/operator/", expected=REDIRECT_OR_CLIENT_ERROR),
        Probe("web", "console signed out, no slash", "GET", t.web + "/operator", expected=REDIRECT_OR_CLIENT_ERROR),
        Probe("web", "report signed out", "GET", t.web + "/operator/report", expected=REDIRECT_OR_CLIENT_ERROR),
        Probe("web", "bogus session cookie", "GET", t.web + "/operator/", headers={"Cookie": "fao_operator=forged"},
              expected=REDIRECT_OR_CLIENT_ERROR),
        Probe("web", "widget path traversal", "GET", t.web + "/widget/..%2f..%2f..%2fetc%2fpasswd"),
        Probe("web", "static path traversal", "GET", t.web + "/static/site/..%2f..%2f..%2f..%2fetc%2fpasswd"),
        Probe("web", "unknown widget file", "GET", t.web + "/widget/no-such.js"),
    ]
    probes += [Probe("web", f"wrong method {m} {p}", m, t.web + p, b"{}", JSON)
               for m, p in [("POST", "/"), ("DELETE", "/health"), ("GET", "/api/feedback"), ("PUT", "/operator/login"),
                            ("POST", "/widget/fao-widget.js"), ("POST", "/widget/strings.json"),
                            ("GET", "/operator/logout"), ("GET", "/operator/api/search")]]
    probes.append(Probe("web", "unknown path", "GET", t.web + "/no/such/path"))
    return probes


def probes(targets: Targets) -> List[Probe]:
    """Every malformed request, service by service."""
    return _rasa(targets) + _action_server(targets) + _backend(targets) + _web(targets)
