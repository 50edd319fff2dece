"""Hostile input against the real services: a sample of the fuzz run that `make fuzz` does in full.

Its own stack (not the shared one): the malformed requests use up the backend's per-address
request budget, which would throttle the lookups of the other end-to-end tests.

Deterministic: a server that closes the connection while a body above every limit (3 MB) is still
being sent has refused it, and that is counted as "dropped", not as a transport error (it used to
fail about one run in 40); a dropped connection on any other request is still a failure.
"""
import asyncio

import pytest

from bot.fuzz.malformed import HUGE_BYTES, JSON, Probe
from bot.fuzz.run import FuzzReport, _probes, fuzz, memory_problems
from bot.fuzz.tally import Tally
from bot.launcher import Stack
from tests.e2e.conftest import stack_settings

MESSAGES = 300


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> FuzzReport:
    stack = Stack(stack_settings(tmp_path_factory.mktemp("fuzz-stack")))
    stack.start()
    try:
        result = asyncio.run(fuzz(stack, MESSAGES, seed=60))
    finally:
        stack.stop()
    print(result.summary())
    return result


def test_every_message_was_sent_over_both_channels(report):
    rest, socket = report.tally.counts["rasa / REST channel"], report.tally.counts["rasa / socket.io channel"]
    assert rest.sent + socket.sent == MESSAGES
    assert rest.sent > 100 and socket.sent > 100


def test_well_formed_messages_are_answered_and_malformed_ones_refused_with_4xx(report):
    chat = [report.tally.counts[name] for name in ("rasa / REST channel", "rasa / socket.io channel")]
    assert all(c.answered > 0 and c.refused > 0 for c in chat)
    assert [f for f in report.tally.failures if "channel" in f] == []


def test_malformed_requests_to_every_service_get_4xx_never_5xx(report):
    for service in ("rasa", "action server", "backend", "web"):
        counts = report.tally.counts[service]
        assert counts.sent > 10, service
        assert counts.server_errors == 0 and counts.answered == 0 and counts.transport_errors == 0, service
    assert report.tally.failures == []


def test_a_dropped_connection_is_a_refusal_for_an_oversized_body_only():
    """Against a server that reads a little of every request and hangs up, as a body limit may."""

    async def run() -> Tally:
        async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.read(1024)
            writer.transport.abort()

        server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/webhook"
        tally = Tally()
        try:
            await _probes([Probe("svc", "huge", "POST", url, b"x" * HUGE_BYTES, JSON),
                           Probe("svc", "small", "POST", url, b"{}", JSON)], tally, concurrency=1)
        finally:
            server.close()
            await server.wait_closed()
        return tally

    tally = asyncio.run(run())
    counts = tally.counts["svc"]
    assert (counts.dropped, counts.transport_errors) == (1, 1)
    assert len(tally.failures) == 1 and "small" in tally.failures[0]


def test_no_answer_contains_a_stack_trace(report):
    assert report.tally.total("traces") == 0


def test_every_service_is_alive_and_healthy_afterwards(report):
    assert report.dead == []


def test_no_service_logged_a_stack_trace(report):
    assert sum(report.log_tracebacks.values()) == 0, report.log_tracebacks


def test_memory_stays_flat_after_warm_up(report):
    assert len(report.memory) == 4
    assert memory_problems(report) == []
