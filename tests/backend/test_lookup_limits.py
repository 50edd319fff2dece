"""Lookups are limited per conversation and per client key (the chat user's address pseudonym), not only per caller."""
from pathlib import Path

from tests.backend.conftest import Databases, Server, start_server


def _lookup(server: Server, conversation: str, client_key: str | None = None) -> int:
    body = {"reference": "ABTC-2025-000318", "verification_code": "1569", "conversation_id": conversation}
    if client_key:
        body["client_key"] = client_key
    return server.call("POST", "/api/v1/applications/lookup", body)[0]


def test_a_conversation_gets_its_budget_then_429_while_others_go_on(
    databases: Databases, servers: list[Server], tmp_path: Path,
) -> None:
    servers.append(start_server(databases.new("sqlite"), tmp_path, BACKEND_LOOKUPS_PER_CONVERSATION="2"))
    server = servers[0]
    assert [_lookup(server, "conv-a") for _ in range(3)] == [200, 200, 429]
    assert _lookup(server, "conv-b") == 200


def test_a_client_key_gets_its_budget_across_conversations(
    databases: Databases, servers: list[Server], tmp_path: Path,
) -> None:
    servers.append(start_server(databases.new("sqlite"), tmp_path, BACKEND_LOOKUPS_PER_CLIENT="2"))
    server = servers[0]
    assert [_lookup(server, f"conv-{i}", "c-1234") for i in range(3)] == [200, 200, 429]
    assert _lookup(server, "conv-9", "c-5678") == 200
    assert server.call("POST", "/api/v1/applications/lookup", {
        "reference": "ABTC-2025-000318", "verification_code": "1569", "conversation_id": "x",
        "client_key": 5})[0] == 400
