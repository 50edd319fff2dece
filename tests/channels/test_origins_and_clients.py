"""Origin allow-list and client-address pseudonyms used by the chat channels."""
from __future__ import annotations

import pytest

from bot.channels.origins import origin_allowed
from bot.privacy.clients import CLIENT_KEY, client_key, with_client_key


def test_only_listed_origins_pass_and_requests_without_origin_are_not_browser_requests(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAO_CORS_ORIGINS", "http://127.0.0.1:8080, http://localhost:8080/")
    assert origin_allowed("http://localhost:8080")
    assert origin_allowed("http://127.0.0.1:8080/")
    assert not origin_allowed("http://evil.example")
    assert not origin_allowed("http://127.0.0.1:8081")
    assert origin_allowed(None)
    monkeypatch.setenv("FAO_CORS_ORIGINS", "*")
    assert origin_allowed("http://evil.example")


def test_the_client_key_is_a_stable_pseudonym_that_depends_on_the_shared_secret(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAO_CLIENT_KEY_SECRET", "one")
    first = client_key("203.0.113.7")
    assert first == client_key("203.0.113.7") and first != client_key("203.0.113.8")
    assert first is not None and "203.0.113.7" not in first
    monkeypatch.setenv("FAO_CLIENT_KEY_SECRET", "two")
    assert client_key("203.0.113.7") != first
    assert client_key("") is None


def test_a_client_cannot_choose_its_own_key() -> None:
    metadata = with_client_key({CLIENT_KEY: "c-forged", "language": "en"}, "198.51.100.1")
    assert metadata[CLIENT_KEY] != "c-forged" and metadata["language"] == "en"
    assert CLIENT_KEY not in with_client_key({CLIENT_KEY: "c-forged"}, None)
    assert with_client_key("not a dict", None) == {}
