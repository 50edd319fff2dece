"""The action server's client: typed results and errors from the real service, and no hang when it is slow."""
import asyncio
import time
from contextlib import asynccontextmanager
from datetime import datetime
from typing import AsyncIterator, Optional

import pytest

from bot.backend.client import (
    BackendClient, BackendUnavailable, InvalidRequest, LookupResult, NoMatch, RateLimited, TooManyAttempts,
)
from bot.backend.settings import BackendSettings
from tests.backend.conftest import TOKEN, Server, add_application, free_port


@asynccontextmanager
async def stub_server(response: Optional[bytes]) -> AsyncIterator[str]:
    """A loopback server that reads a request and sends `response`, or, given None, accepts and never answers."""
    connections: list[tuple[asyncio.Task[None], asyncio.StreamWriter]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append((asyncio.current_task(), writer))  # type: ignore[arg-type]
        if response is None:
            await reader.read()  # returns only when either side closes the connection
        else:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(response)
            await writer.drain()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        for _, writer in connections:
            writer.close()
        await asyncio.gather(*(task for task, _ in connections), return_exceptions=True)


def canned(status: str, body: bytes, extra: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}"
            f"Connection: close\r\n\r\n").encode() + body


def client_for(server: Server, token: Optional[str] = TOKEN) -> BackendClient:
    return BackendClient(f"http://127.0.0.1:{server.port}", token)


@pytest.mark.asyncio
async def test_right_code_gives_the_status_in_both_languages(sqlite_backend: Server) -> None:
    client = client_for(sqlite_backend)
    try:
        result = await client.lookup("ABTC-2025-000233", "7302", "conv-client")
    finally:
        await client.close()
    assert isinstance(result, LookupResult)
    assert (result.reference, result.kind, result.status) == ("ABTC-2025-000233", "apec_card", "returned")
    assert result.status_meaning_zh == "退回补充材料" and "missing" in result.detail_en
    assert isinstance(result.updated_at, datetime) and result.updated_at.tzinfo is not None
    assert [step.status for step in result.history] == ["submitted", "under_review", "returned"]


@pytest.mark.asyncio
async def test_each_refusal_is_a_typed_error(sqlite_backend: Server) -> None:
    reference = add_application(sqlite_backend.database_url, "4321")
    client = client_for(sqlite_backend)
    try:
        with pytest.raises(NoMatch):
            await client.lookup("ABTC-2025-999999", "4321", "c")
        with pytest.raises(InvalidRequest) as invalid:
            await client.lookup("ABTC-25", "4321", "c")
        assert invalid.value.error == "invalid_reference"
        for _ in range(3):  # the failure budget of one reference and caller: 3 per 10 minutes
            with pytest.raises(NoMatch):
                await client.lookup(reference, "0000", "c")
        with pytest.raises(TooManyAttempts) as refused:
            await client.lookup(reference, "4321", "c")
        assert refused.value.retry_after is not None and 0 < refused.value.retry_after <= 600
        assert "0000" not in str(refused.value) and "4321" not in str(refused.value)
    finally:
        await client.close()


@pytest.mark.asyncio
async def test_rejected_token_counts_as_unavailable(sqlite_backend: Server) -> None:
    client = client_for(sqlite_backend, token="wrong")
    try:
        with pytest.raises(BackendUnavailable):
            await client.lookup("ABTC-2025-000318", "1569", "c")
    finally:
        await client.close()


@pytest.mark.asyncio
async def test_server_that_never_answers_times_out_after_two_seconds() -> None:
    async with stub_server(None) as url:
        client = BackendClient(url, TOKEN)
        started = time.monotonic()
        with pytest.raises(BackendUnavailable):
            await client.lookup("ABTC-2025-000318", "1569", "c")
        elapsed = time.monotonic() - started
        await client.close()
    assert 1.8 <= elapsed < 3.0


@pytest.mark.asyncio
async def test_nothing_listening_is_unavailable_at_once() -> None:
    client = BackendClient(f"http://127.0.0.1:{free_port()}", TOKEN)
    started = time.monotonic()
    with pytest.raises(BackendUnavailable):
        await client.lookup("ABTC-2025-000318", "1569", "c")
    await client.close()
    assert time.monotonic() - started < 1


@pytest.mark.asyncio
@pytest.mark.parametrize("response, error", [
    (canned("500 Internal Server Error", b'{"error": "internal_error"}'), BackendUnavailable),
    (canned("502 Bad Gateway", b"<html>bad gateway</html>"), BackendUnavailable),
    (canned("200 OK", b"not json"), BackendUnavailable),
    (canned("200 OK", b'{"reference": "ABTC-2025-000318"}'), BackendUnavailable),
    (canned("429 Too Many Requests", b'{"error": "rate_limited", "retry_after": 7}', "Retry-After: 7\r\n"),
     RateLimited),
    (canned("429 Too Many Requests", b'{"error": "too_many_attempts", "retry_after": 7}'), TooManyAttempts),
    (canned("403 Forbidden", b'{"error": "no_match"}'), NoMatch),
])
async def test_bad_or_throttled_answers_are_typed(response: bytes, error: type) -> None:
    async with stub_server(response) as url:
        client = BackendClient(url, TOKEN)
        with pytest.raises(error) as raised:
            await client.lookup("ABTC-2025-000318", "1569", "c")
        await client.close()
    if error in (RateLimited, TooManyAttempts):
        assert raised.value.retry_after == 7


@pytest.mark.filterwarnings("ignore:Unclosed client session:ResourceWarning")  # the first loop's session,
@pytest.mark.filterwarnings("ignore:Unclosed connector:ResourceWarning")  # left behind with its loop
def test_session_is_made_on_first_use_and_once_per_event_loop(sqlite_backend: Server) -> None:
    client = client_for(sqlite_backend)
    assert client._session is None

    async def two_lookups() -> object:
        await client.lookup("INV-2025-000051", "3390", "c")
        first = client._session
        await client.lookup("INV-2025-000064", "5147", "c")
        assert client._session is first
        return first

    first_loop_session = asyncio.run(two_lookups())
    second_loop_session = asyncio.run(two_lookups())
    assert first_loop_session is not second_loop_session
    asyncio.run(client.close())


def test_client_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKEND_URL", "http://backend.internal:9000/")
    monkeypatch.setenv("BACKEND_SERVICE_TOKEN", "s3")
    monkeypatch.setenv("BACKEND_TIMEOUT_SECONDS", "1.5")
    client = BackendClient.from_settings(BackendSettings())
    assert client.base_url == "http://backend.internal:9000"
    assert client._timeout.total == 1.5
