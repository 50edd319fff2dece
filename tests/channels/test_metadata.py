"""Metadata of third-party widgets: customData's language, the browser's Accept-Language; own-site origins."""
import logging

import pytest

from bot.channels import origins
from bot.channels.metadata import (
    ACCEPT_LANGUAGE,
    MAX_ACCEPT_LANGUAGE_CHARS,
    accept_language,
    widget_metadata,
    with_accept_language,
)
from bot.settings import with_own_site


@pytest.mark.parametrize("metadata, custom_data, expected", [
    ({"language": "en"}, None, {"language": "en"}),
    (None, {"language": "en"}, {"language": "en"}),            # rasa-webchat
    ({}, {"language": "en", "page": "x" * 5000}, {"language": "en"}),  # only the language is taken
    ({"language": "zh"}, {"language": "en"}, {"language": "zh"}),  # metadata wins
    ({"language": 5}, {"language": "en"}, {"language": "en"}),
    (None, None, {}),
    (None, "en", {}),
    ({"other": 1}, {"language": ["en"]}, {"other": 1}),
])
def test_the_language_comes_from_metadata_or_custom_data(metadata, custom_data, expected) -> None:
    assert widget_metadata(metadata, custom_data) == expected


def test_accept_language_is_set_by_the_server_and_trimmed() -> None:
    header = "en-GB,en;q=0.9,zh-CN;q=0.8," + "x" * 100
    assert with_accept_language({"language": "zh"}, header) == {
        "language": "zh", ACCEPT_LANGUAGE: header[:MAX_ACCEPT_LANGUAGE_CHARS]}
    assert with_accept_language({ACCEPT_LANGUAGE: "forged"}, None) == {}
    assert accept_language("   ") is None and accept_language(None) is None


def test_configured_origins_add_to_the_own_site() -> None:
    own = ["http://127.0.0.1:8080", "http://localhost:8080"]
    assert with_own_site(own, "") == own
    assert with_own_site(own, "https://www.example.gov.cn, http://127.0.0.1:8080/") == [
        *own, "https://www.example.gov.cn"]


def test_a_refused_origin_is_logged_once_without_anything_else(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("FAO_CORS_ORIGINS", "http://127.0.0.1:8080")
    monkeypatch.setattr(origins, "_logged", set())
    with caplog.at_level(logging.WARNING, logger="bot.channels.origins"):
        origins.log_refused("https://office.example.gov.cn", "REST channel")
        origins.log_refused("https://office.example.gov.cn", "REST channel")
    [record] = caplog.records
    assert "https://office.example.gov.cn" in record.getMessage() and "FAO_CORS_ORIGINS" in record.getMessage()
    assert origins.refusal_headers("https://office.example.gov.cn")["Access-Control-Allow-Origin"] == \
        "https://office.example.gov.cn"
