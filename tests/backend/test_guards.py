"""Service-wide protections: the per-address request budget and a missing service token."""
from pathlib import Path

from tests.backend.conftest import TOKEN, Databases, Server, start_server


def test_too_many_requests_from_one_address_get_429(
    databases: Databases, servers: list[Server], tmp_path: Path,
) -> None:
    servers.append(start_server(databases.new("sqlite"), tmp_path, BACKEND_RATE_LIMIT="3",
                                BACKEND_RATE_WINDOW_SECONDS="30"))
    server = servers[0]
    statuses = [server.lookup("ABTC-2025-000318", "1569")[0] for _ in range(3)]
    status, body, headers = server.lookup("ABTC-2025-000318", "1569")
    assert statuses == [200, 200, 200]
    assert (status, body["error"]) == (429, "rate_limited")
    assert body["message_zh"] and body["message_en"]
    assert 1 <= body["retry_after"] <= 30 and headers["retry-after"] == str(body["retry_after"])
    # a caller without the token has its own budget (test_attempt_budgets.py): refused for the token only
    assert server.lookup("ABTC-2025-000318", "1569", token="guess")[0] == 401
    assert server.call("GET", "/api/v1/health", token=None)[0] == 200


def test_without_a_configured_token_every_call_is_401(
    databases: Databases, servers: list[Server], tmp_path: Path,
) -> None:
    servers.append(start_server(databases.new("sqlite"), tmp_path, BACKEND_SERVICE_TOKEN=""))
    server = servers[0]
    for token in (TOKEN, "", None, "None"):
        status, body, _ = server.lookup("ABTC-2025-000318", "1569", token=token)
        assert (status, body["error"]) == (401, "unauthorized")
    assert server.call("GET", "/api/v1/health", token=None)[0] == 200
    assert "BACKEND_SERVICE_TOKEN is not set" in server.log()


def test_startup_log_shows_neither_the_token_nor_the_database_password(
    databases: Databases, servers: list[Server], tmp_path: Path,
) -> None:
    url = databases.new("postgresql").replace("postgres@", "postgres:pw-s3cret-77@", 1)
    servers.append(start_server(url, tmp_path))
    log = servers[0].log()
    assert "schema version" in log and "***" in log
    assert TOKEN not in log and "pw-s3cret-77" not in log
