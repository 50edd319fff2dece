"""Rasa's HTTP API and the action server refuse malformed requests with the right 4xx (stock: 500)."""
import json
import urllib.error
import urllib.request

from bot.action_server import TOKEN_HEADER


def call(url, method="POST", raw=b"", headers=None):
    request = urllib.request.Request(url, data=raw or None, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def rasa(stack, path, token=True):
    url = stack.settings.url(stack.settings.rasa_port) + path
    return f"{url}?token={stack.rasa_token}" if token else url


def test_malformed_parse_body_gets_400_and_a_valid_one_still_parses(stack):
    status, body = call(rasa(stack, "/model/parse"), raw=b"[]")
    assert status == 400 and json.loads(body)["reason"] == "BadRequest"
    status, body = call(rasa(stack, "/model/parse"), raw=json.dumps({"text": "APEC卡有效期几年？"}).encode())
    assert status == 200 and json.loads(body)["intent"]["name"]


def test_requests_without_a_token_are_still_refused_by_rasa(stack):
    status, _ = call(rasa(stack, "/model/parse", token=False), raw=b"[]")
    assert status == 401


def test_execute_of_an_unknown_action_is_404(stack):
    status, _ = call(rasa(stack, "/conversations/guard-1/execute"), raw=b'{"name": "no_such_action"}')
    assert status == 404


def test_model_cannot_be_unloaded_or_replaced_through_the_api(stack):
    assert call(rasa(stack, "/model"), method="DELETE")[0] == 403
    assert call(rasa(stack, "/model"), method="PUT", raw=b'{"model_file": "/tmp/x.tar.gz"}')[0] == 403
    status, body = call(rasa(stack, "/status"), method="GET")
    assert status == 200 and json.loads(body)["model_file"]


def test_action_server_refuses_malformed_calls_without_echoing_them(stack):
    base = stack.settings.url(stack.settings.action_port)
    secret = {TOKEN_HEADER: stack.env["ACTION_SERVER_TOKEN"]}
    status, body = call(f"{base}/webhook", raw=b'["code 4821"]', headers=secret)
    assert status == 400 and "4821" not in body
    assert call(f"{base}/webhook", method="PUT", raw=b"{}", headers=secret)[0] == 405
    assert call(f"{base}/no/such/path", method="GET", headers=secret)[0] == 404
    status, body = call(f"{base}/webhook", raw=b'["code 4821"]')
    assert status == 401 and "4821" not in body
