"""The REST channel rejects malformed requests with 4xx instead of Rasa's 500 or shared 'default'."""
import json
import urllib.error
import urllib.request

import pytest


def post(url, raw: bytes):
    request = urllib.request.Request(url, data=raw, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize(
    "raw, status",
    [
        (b"[]", 400),
        (b'{"message": "hello"}', 400),
        (b'{"sender": 5, "message": {"a": 1}}', 400),
        (b"not json", 400),
        (b'{"sender": "x", "message": "\xff\xfe"}', 400),
        (b'{"sender": "x", "message": "' + b"a" * 20000 + b'"}', 413),
    ],
)
def test_malformed_requests_get_a_clear_4xx(rest, raw, status):
    code, body = post(rest.url, raw)
    assert code == status
    assert body["error"] and body["message"] and body["message_zh"]
    assert "Traceback" not in json.dumps(body)


def test_hostile_but_valid_text_gets_a_normal_answer(rest):
    for text in ["<script>alert(1)</script>", "'; DROP TABLE events; --", "\u202eعربى", "😀" * 50]:
        replies = rest.send("fuzz-user", text)
        assert replies and all("Traceback" not in m.get("text", "") for m in replies)
